using System.Globalization;
using Pacs.Dicom;
using Pacs.Dicom.Imaging.Rendering;
using Pacs.Dicom.IO;

namespace Pacs.Cli.Commands.Imaging;

/// <summary>`pacs render FILE [--frame N] [--window C,W] [--size WxH] [--quality Q] --out F.png|.jpg|.webp`.</summary>
internal sealed class RenderCommand : ICliCommand
{
    private static readonly HashSet<string> ValueOptions = ["--frame", "--window", "--size", "--out", "--quality"];

    public string Name => "render";

    public string Summary => "render one frame to PNG, JPEG or WebP (window, viewport size, overlays)";

    public string Usage => """
        Usage: pacs render FILE [--frame N] [--window C,W] [--size WxH] [--quality Q] [--overlays] [--16bit] --out F.png|.jpg|.webp

          Decodes frame N (default 0) of FILE, applies the modality LUT, the window C,W (default: the file's
          window or VOI LUT, else the pixel range) and MONOCHROME1 inversion, and writes the image in the
          format the extension of --out names. --size fits the image into W x H keeping its aspect;
          --overlays burns in overlay planes; --16bit writes a 16-bit PNG for monochrome images.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ValueOptions);
        if (parsed.Positionals.Count != 1)
        {
            throw new CliUsageException("name one input file.");
        }

        var output = parsed.Value("--out") ?? throw new CliUsageException("--out F.png|.jpg|.webp is required.");
        var format = ImageEncoder.FormatOf(output) ?? throw new CliUsageException($"'{output}' must end in .png, .jpg, .jpeg or .webp.");
        var options = new RenderOptions
        {
            Frame = parsed.IntValue("--frame", 0),
            Window = ParseWindow(parsed.Value("--window")),
            BurnInOverlays = parsed.Has("--overlays"),
            SixteenBit = parsed.Has("--16bit"),
        };
        var (width, height) = ParseSize(parsed.Value("--size"));
        var quality = parsed.IntValue("--quality", 90);
        var input = parsed.Positionals[0];
        try
        {
            var file = await DicomFile.OpenAsync(input, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var image = new DicomRenderer().Render(file.Dataset, file.TransferSyntax, options);
            var bytes = ImageEncoder.Encode(image, format, quality, width, height);
            await File.WriteAllBytesAsync(output, bytes, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{input} -> {output} ({image.Width}x{image.Height}, {bytes.Length} bytes)");
            return 0;
        }
        catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{input}: {ex.Message}");
            return 1;
        }
    }

    private static VoiWindow? ParseWindow(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(',');
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var center)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var width)
            || width < 1)
        {
            throw new CliUsageException($"--window expects CENTER,WIDTH with WIDTH >= 1, not '{text}'.");
        }

        return new VoiWindow(center, width);
    }

    private static (int Width, int Height) ParseSize(string? text)
    {
        if (text is null)
        {
            return (0, 0);
        }

        var parts = text.ToUpperInvariant().Split('X');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var w)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var h)
            || w <= 0 || h <= 0)
        {
            throw new CliUsageException($"--size expects WIDTHxHEIGHT, not '{text}'.");
        }

        return (w, h);
    }
}
