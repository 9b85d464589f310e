using System.Buffers;
using NetVips;

namespace Pacs.Dicom.Imaging.Rendering;

/// <summary>The file formats a rendered frame is written in.</summary>
public enum RenderedImageFormat
{
    Png,
    Jpeg,
    WebP,
}

/// <summary>
/// Writes rendered frames as PNG (8/16-bit), JPEG or WebP, scaled to a viewport on request: unscaled PNG and JPEG directly
/// with zlib and libturbojpeg, everything else through libvips.
/// </summary>
public static class ImageEncoder
{
    /// <summary>The format named by a file extension (.png, .jpg/.jpeg, .webp); null for anything else.</summary>
    public static RenderedImageFormat? FormatOf(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".PNG" => RenderedImageFormat.Png,
        ".JPG" or ".JPEG" => RenderedImageFormat.Jpeg,
        ".WEBP" => RenderedImageFormat.WebP,
        _ => null,
    };

    /// <summary>
    /// Encodes <paramref name="image"/>; with <paramref name="maxWidth"/>/<paramref name="maxHeight"/> it is first scaled
    /// (up or down, aspect kept) to fit that box. 16-bit images stay 16-bit in PNG and are reduced to 8 bits otherwise.
    /// </summary>
    public static byte[] Encode(RenderedImage image, RenderedImageFormat format, int quality = 90, int maxWidth = 0, int maxHeight = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        quality = Math.Clamp(quality, 1, 100);
        if (format != RenderedImageFormat.WebP && FitScale(image, maxWidth, maxHeight) is null)
        {
            return EncodeUnscaled(image, format, quality);
        }

        var vips = Image.NewFromMemory(image.Buffer, image.Width, image.Height, image.Bands, image.BitsPerSample == 16 ? Enums.BandFormat.Ushort : Enums.BandFormat.Uchar);
        try
        {
            vips = Replace(vips, vips.Copy(interpretation: image.Bands == 3 ? Enums.Interpretation.Srgb : image.BitsPerSample == 16 ? Enums.Interpretation.Grey16 : Enums.Interpretation.Bw));
            if (FitScale(image, maxWidth, maxHeight) is { } scale)
            {
                vips = Replace(vips, vips.Resize(scale, kernel: scale < 1 ? Enums.Kernel.Lanczos3 : Enums.Kernel.Linear));
            }

            if (image.BitsPerSample == 16 && format != RenderedImageFormat.Png)
            {
                vips = Replace(vips, vips.Cast(Enums.BandFormat.Uchar, shift: true));
            }

            return format switch
            {
                RenderedImageFormat.Png => vips.PngsaveBuffer(compression: 6),
                RenderedImageFormat.Jpeg => vips.JpegsaveBuffer(q: quality),
                _ => vips.WebpsaveBuffer(q: quality),
            };
        }
        catch (VipsException ex)
        {
            throw new DicomException("Image encoding failed: " + ex.Message, ex);
        }
        finally
        {
            vips.Dispose();
        }
    }

    /// <summary>A thumbnail fitting <paramref name="size"/>×<paramref name="size"/>, as JPEG (or the given format).</summary>
    public static byte[] Thumbnail(RenderedImage image, int size, RenderedImageFormat format = RenderedImageFormat.Jpeg, int quality = 85) =>
        Encode(image, format, quality, size, size);

    /// <summary>The factor that fits the image into the box, or null when it already fits exactly (or there is no box).</summary>
    private static double? FitScale(RenderedImage image, int maxWidth, int maxHeight)
    {
        if (maxWidth <= 0 && maxHeight <= 0)
        {
            return null;
        }

        var scale = Math.Min(
            maxWidth > 0 ? (double)maxWidth / image.Width : double.MaxValue,
            maxHeight > 0 ? (double)maxHeight / image.Height : double.MaxValue);
        return Math.Abs(scale - 1) > 1e-9 ? scale : null;
    }

    /// <summary>
    /// PNG and JPEG at the image's own size, the common case of viewers, go straight to zlib and libturbojpeg: several
    /// times faster than through a libvips image. 16-bit grey keeps 16 bits in PNG and its high byte in JPEG, as the
    /// libvips path does.
    /// </summary>
    private static byte[] EncodeUnscaled(RenderedImage image, RenderedImageFormat format, int quality)
    {
        if (format == RenderedImageFormat.Png)
        {
            return PngWriter.Encode(image.Pixels, image.Width, image.Height, image.Bands, image.BitsPerSample);
        }

        if (image.BitsPerSample == 8)
        {
            return TurboJpegWriter.Encode(image.Pixels, image.Width, image.Height, image.Bands, quality);
        }

        var pixels = image.Pixels;
        var high = ArrayPool<byte>.Shared.Rent(pixels.Length / 2);
        try
        {
            for (var i = 0; i < pixels.Length / 2; i++)
            {
                high[i] = pixels[(2 * i) + 1];
            }

            return TurboJpegWriter.Encode(high.AsSpan(0, pixels.Length / 2), image.Width, image.Height, image.Bands, quality);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(high);
        }
    }

    private static Image Replace(Image old, Image replacement)
    {
        old.Dispose();
        return replacement;
    }
}
