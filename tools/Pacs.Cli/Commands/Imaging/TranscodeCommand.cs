using Pacs.Dicom;
using Pacs.Dicom.Imaging.Transcoding;
using Pacs.Dicom.IO;

namespace Pacs.Cli.Commands.Imaging;

/// <summary>`pacs transcode IN OUT --transfer-syntax UID`: re-encode the pixel data in another transfer syntax.</summary>
internal sealed class TranscodeCommand : ICliCommand
{
    private static readonly HashSet<string> ValueOptions = ["--transfer-syntax"];

    public string Name => "transcode";

    public string Summary => "re-encode pixel data in another transfer syntax (JPEG, JPEG-LS, JPEG 2000, RLE, native)";

    public string Usage => """
        Usage: pacs transcode IN OUT --transfer-syntax UID

          Decodes every frame of IN and writes OUT in the transfer syntax UID: native (1.2.840.10008.1.2,
          .1.2.1, .1.2.2, .1.2.1.99), RLE (.1.2.5), JPEG-LS lossless (.1.2.4.80), JPEG 2000 (.1.2.4.90
          lossless, .1.2.4.91 lossy), JPEG baseline (.1.2.4.50, lossy) or deflated frames (.1.2.8.1).
          The pixel module and the Lossy Image Compression attributes follow the result.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ValueOptions);
        if (parsed.Positionals.Count != 2)
        {
            throw new CliUsageException("name one input and one output file.");
        }

        var uid = parsed.Value("--transfer-syntax") ?? throw new CliUsageException("--transfer-syntax UID is required.");
        var target = DicomTransferSyntax.Lookup(uid) ?? throw new CliUsageException($"unknown transfer syntax '{uid}'.");
        var (input, output) = (parsed.Positionals[0], parsed.Positionals[1]);
        try
        {
            var file = await DicomFile.OpenAsync(input, cancellationToken: cancellationToken).ConfigureAwait(false);
            var transcoded = new DicomTranscoder().Transcode(file, target);
            await transcoded.SaveAsync(output, new DicomWriteOptions(), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{input} -> {output} ({target.Name})");
            return 0;
        }
        catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{input}: {ex.Message}");
            return 1;
        }
    }
}
