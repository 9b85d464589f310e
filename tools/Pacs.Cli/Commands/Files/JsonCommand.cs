using Pacs.Dicom;
using Pacs.Dicom.IO;
using Pacs.Dicom.Serialization;

namespace Pacs.Cli.Commands.Files;

/// <summary>`pacs json [--out DIR] FILE...`: DICOM JSON (PS3.18 Annex F) of each file's dataset.</summary>
internal sealed class JsonCommand : ICliCommand
{
    private static readonly HashSet<string> ValueOptions = ["--out"];

    public string Name => "json";

    public string Summary => "write the DICOM JSON model (PS3.18 Annex F) of DICOM files";

    public string Usage => """
        Usage: pacs json [--out DIR] [--compact] FILE...

          Without --out, prints the DICOM JSON of each file on stdout.
          With --out DIR, writes DIR/<file name>.json for each file.
          Bulk data (pixel data, other binary values) is written inline as base64.
        A file that cannot be read prints "FILE: reason" on stderr and the others go on; the exit code is 1 if any failed.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ValueOptions);
        if (parsed.Positionals.Count == 0)
        {
            throw new CliUsageException("name at least one file.");
        }

        var outDir = parsed.Value("--out");
        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
        }

        var options = new DicomJsonOptions { Indented = !parsed.Has("--compact") };
        var failed = 0;
        foreach (var path in parsed.Positionals)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var file = await DicomFile.OpenAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
                var json = DicomJson.Serialize(file.Dataset, options);
                if (outDir is null)
                {
                    await Console.Out.WriteLineAsync(json).ConfigureAwait(false);
                }
                else
                {
                    var target = Path.Combine(outDir, Path.GetFileName(path) + ".json");
                    await File.WriteAllTextAsync(target, json, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"{path}: {ex.Message}").ConfigureAwait(false);
                failed++;
            }
        }

        return failed > 0 ? 1 : 0;
    }
}
