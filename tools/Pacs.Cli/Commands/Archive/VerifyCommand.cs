using System.Globalization;
using Pacs.Archive.Maintenance;

namespace Pacs.Cli.Commands.Archive;

/// <summary>`pacs verify [--repair]`: checks that the index and the blob store agree.</summary>
internal sealed class VerifyCommand : ICliCommand
{
    private static readonly HashSet<string> ValueOptions = [.. ArchiveSession.ValueOptions, "--min-age", "--parallel"];

    public string Name => "verify";

    public string Summary => "check that every indexed instance has its blob (size, dataset hash) and find orphans";

    public string Usage => $"""
        Usage: pacs verify [options]

          Every created version in the index must have its blob with the recorded size and dataset hash; every blob
          must be referred to by the index; no reservation may be stuck in 'creating'. Prints one line per
          problem: KIND<TAB>blob key<TAB>SOP Instance UID<TAB>detail.
        {ArchiveSession.Usage}
          --repair         delete orphan blobs and stale reservations, and remove from the index the instances
                           whose blob is missing (blobs with a wrong size or hash are reported, never deleted)
          --sizes-only     compare sizes, do not read blobs to hash them
          --min-age S      leave blobs and reservations younger than S seconds alone (default 600: stores in flight)
          --parallel N     blobs checked at once (default 4)
        Exit code 0 when the archive is consistent (or every problem was repaired), 1 otherwise.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ValueOptions);
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'.");
        }

        var options = new ArchiveVerifyOptions
        {
            Repair = parsed.Has("--repair"),
            CheckHashes = !parsed.Has("--sizes-only"),
            MinimumAge = TimeSpan.FromSeconds(parsed.IntValue("--min-age", 600)),
            Parallelism = parsed.IntValue("--parallel", 4),
        };
        await using var session = await ArchiveSession.OpenAsync(parsed, cancellationToken).ConfigureAwait(false);
        var report = await new ArchiveVerifier(session.Index, session.Blobs).VerifyAsync(options, progress: null, cancellationToken).ConfigureAwait(false);
        foreach (var p in report.Problems)
        {
            Console.WriteLine(string.Join('\t', p.Kind, p.BlobKey, p.SopInstanceUid ?? "-", p.Detail + (p.Repaired ? " (repaired)" : string.Empty)));
        }

        var repaired = report.Problems.Count(p => p.Repaired);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.VersionsChecked} indexed versions checked, {report.BlobsListed} blobs listed: {report.Problems.Count} problems, {repaired} repaired"));
        return report.Problems.Count == repaired ? 0 : 1;
    }
}
