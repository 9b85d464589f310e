using Pacs.Dicom;
using Pacs.Dicom.IO;

namespace Pacs.Cli.Commands.Files;

/// <summary>`pacs roundtrip IN OUT [--transfer-syntax UID]`: read a file and write it back.</summary>
internal sealed class RoundtripCommand : ICliCommand
{
    private static readonly HashSet<string> ValueOptions = ["--transfer-syntax"];

    public string Name => "roundtrip";

    public string Summary => "read a DICOM file and write it back (optionally in another uncompressed or deflated TS)";

    public string Usage => """
        Usage: pacs roundtrip IN OUT [--transfer-syntax UID]

          Reads IN and writes OUT with regenerated File Meta Information. Without --transfer-syntax the
          file keeps its transfer syntax; with it, the dataset is re-encoded in that syntax (implicit or
          explicit VR little endian, explicit VR big endian, deflated explicit VR little endian).
          Compressed pixel data is never transcoded by this command.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ValueOptions);
        if (parsed.Positionals.Count != 2)
        {
            throw new CliUsageException("name one input and one output file.");
        }

        DicomTransferSyntax? target = null;
        if (parsed.Value("--transfer-syntax") is { } uid)
        {
            target = DicomTransferSyntax.Lookup(uid) ?? throw new CliUsageException($"unknown transfer syntax '{uid}'.");
        }

        var (input, output) = (parsed.Positionals[0], parsed.Positionals[1]);
        try
        {
            var file = await DicomFile.OpenAsync(input, cancellationToken: cancellationToken).ConfigureAwait(false);
            await file.SaveAsync(output, new DicomWriteOptions { TransferSyntax = target }, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{input} -> {output} ({(target ?? file.TransferSyntax).Name})");
            return 0;
        }
        catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{input}: {ex.Message}");
            return 1;
        }
    }
}
