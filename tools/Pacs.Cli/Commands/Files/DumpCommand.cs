using Pacs.Dicom;
using Pacs.Dicom.IO;

namespace Pacs.Cli.Commands.Files;

/// <summary>`pacs dump FILE...`: a readable listing of each file like dcmdump's.</summary>
internal sealed class DumpCommand : ICliCommand
{
    private static readonly HashSet<string> ValueOptions = ["--max-length"];

    public string Name => "dump";

    public string Summary => "list the elements of DICOM files (tag, VR, value, length, keyword)";

    public string Usage => """
        Usage: pacs dump [--header-only] [--max-length N] FILE...

          Lists the File Meta Information and the dataset of each file, like dcmdump.
          --header-only   stop before Pixel Data (fast, for large objects)
          --max-length N  cut values longer than N characters (default 64)
        A file that cannot be read prints "FILE: reason" on stderr; the exit code is 1 if any failed.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ValueOptions);
        if (parsed.Positionals.Count == 0)
        {
            throw new CliUsageException("name at least one file.");
        }

        var options = new DicomReadOptions
        {
            StopBeforePixelData = parsed.Has("--header-only"),
            BulkDataThreshold = 1 << 20,
        };
        var dumper = new DatasetDumper(Console.Out, parsed.IntValue("--max-length", 64));
        var failed = 0;
        foreach (var path in parsed.Positionals)
        {
            try
            {
                var file = await DicomFile.OpenAsync(path, options, cancellationToken).ConfigureAwait(false);
                if (parsed.Positionals.Count > 1)
                {
                    Console.WriteLine($"# {path}");
                }

                Console.WriteLine("# Dicom-Meta-Information-Header");
                Console.WriteLine($"# Used TransferSyntax: {file.TransferSyntax.Name}");
                dumper.Dump(file.FileMetaInformation);
                Console.WriteLine();
                Console.WriteLine("# Dicom-Data-Set");
                Console.WriteLine($"# Specific Character Set: {DatasetDumper.CharacterSetLabel(file.Dataset.CharacterSet)}");
                dumper.Dump(file.Dataset);
                Console.WriteLine();
            }
            catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"{path}: {ex.Message}");
                failed++;
            }
        }

        return failed > 0 ? 1 : 0;
    }
}
