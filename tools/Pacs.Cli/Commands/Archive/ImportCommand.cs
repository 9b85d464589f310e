using System.Collections.Concurrent;
using Pacs.Archive.Index;
using Pacs.Archive.Ingest;
using Pacs.Cli.Terminal;

namespace Pacs.Cli.Commands.Archive;

/// <summary>`pacs import DIR…`: bulk import of folder trees into the archive through the server's ingest pipeline.</summary>
internal sealed class ImportCommand : ICliCommand
{
    private static readonly HashSet<string> ValueOptions = [.. ArchiveSession.ValueOptions, "--parallel", "--source-ae", "--failures"];

    public string Name => "import";

    public string Summary => "import folders of DICOM files into the archive (parallel, resumable)";

    public string Usage => $"""
        Usage: pacs import [options] DIR|FILE...

          Stores every file under the folders through the same ingest pipeline as the DICOM SCP (validation,
          blob write, index commit), several at once. Files whose content the archive already holds are
          skipped without being written again, so an interrupted import can simply be run again.
        {ArchiveSession.Usage}
          --parallel N     files in flight at once (default 8; commits of concurrent files are grouped)
          --source-ae AE   Source Application Entity Title written into the stored files' meta (default none)
          --failures FILE  also write the failed files, one "path<TAB>status<TAB>reason" a line
          --no-resume      store every file even if its content is already archived
        Exit code 0 when every file was stored or already there, 1 when some failed.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ValueOptions);
        if (parsed.Positionals.Count == 0)
        {
            throw new CliUsageException("name at least one folder or file.");
        }

        var files = new List<string>();
        foreach (var root in parsed.Positionals)
        {
            if (Directory.Exists(root))
            {
                files.AddRange(Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                    .Where(IsCandidate)
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(root))
            {
                files.Add(root);
            }
            else
            {
                throw new CliUsageException($"{root} is neither a folder nor a file.");
            }
        }

        var parallel = parsed.IntValue("--parallel", 8);
        if (parallel < 1)
        {
            throw new CliUsageException("--parallel must be at least 1.");
        }

        var resume = !parsed.Has("--no-resume");
        var sourceAe = parsed.Value("--source-ae");
        await using var session = await ArchiveSession.OpenAsync(parsed, cancellationToken).ConfigureAwait(false);
        var pipeline = new IngestPipeline(session.Blobs, session.Index, new IngestOptions { DuplicatePolicy = session.Settings.DuplicatePolicy });
        var counts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var failures = new ConcurrentBag<(string Path, string Status, string Reason)>();
        using (var progress = new ProgressBar("import", files.Count))
        {
            await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (path, ct) =>
            {
                long bytes = 0;
                IngestResult result;
                try
                {
                    bytes = new FileInfo(path).Length;
                    result = await pipeline.IngestFileAsync(path, sourceAe, resume, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    failures.Add((path, "Unreadable", ex.Message));
                    counts.AddOrUpdate("unreadable", 1, (_, n) => n + 1);
                    progress.Advance(succeeded: false);
                    return;
                }

                counts.AddOrUpdate(Describe(result.Status), 1, (_, n) => n + 1);
                if (!result.IsSuccess)
                {
                    failures.Add((path, result.Status.ToString(), result.ErrorComment ?? string.Empty));
                }

                progress.Advance(result.IsSuccess, bytes);
            }).ConfigureAwait(false);
        }

        Console.WriteLine($"{files.Count} files: " + string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}")));
        var sorted = failures.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        foreach (var (path, status, reason) in sorted.Take(50))
        {
            Console.WriteLine($"failed: {path}: {status} {reason}".TrimEnd());
        }

        if (sorted.Count > 50)
        {
            Console.WriteLine($"… and {sorted.Count - 50} more failures");
        }

        if (parsed.Value("--failures") is { } failureFile)
        {
            await File.WriteAllLinesAsync(failureFile, sorted.Select(f => $"{f.Path}\t{f.Status}\t{f.Reason}"), cancellationToken).ConfigureAwait(false);
        }

        return sorted.Count > 0 ? 1 : 0;
    }

    private static bool IsCandidate(string path)
    {
        var name = Path.GetFileName(path);
        return !name.StartsWith('.') && !string.Equals(name, "DICOMDIR", StringComparison.OrdinalIgnoreCase) &&
               !name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) &&
               !name.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
    }

    private static string Describe(IngestStatus status) => status switch
    {
        IngestStatus.Stored => "stored",
        IngestStatus.Replaced => "replaced",
        IngestStatus.AlreadyStored => "already archived",
        IngestStatus.KeptExisting => "kept existing",
        IngestStatus.RejectedDuplicate => "rejected duplicates",
        IngestStatus.CannotUnderstand => "not DICOM",
        IngestStatus.InvalidDataset => "invalid",
        IngestStatus.StorageUnavailable => "storage failures",
        IngestStatus.IndexUnavailable => "index failures",
        _ => status.ToString(),
    };
}
