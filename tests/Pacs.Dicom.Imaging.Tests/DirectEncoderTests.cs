using NetVips;
using Pacs.Dicom.Imaging.Rendering;

namespace Pacs.Dicom.Imaging.Tests;

/// <summary>
/// The direct PNG (zlib) and JPEG (libturbojpeg) writers behind unscaled rendering, decoded by libvips (libspng /
/// libjpeg): PNG must give back every sample exactly, JPEG must be close at quality 90.
/// </summary>
public class DirectEncoderTests
{
    [Theory]
    [InlineData("pyd_CT_small.dcm", false)]
    [InlineData("pyd_CT_small.dcm", true)]
    [InlineData("pyd_MR_small.dcm", true)]
    [InlineData("pydd_SC_rgb.dcm", false)]
    public void Png_decodes_to_exactly_the_rendered_samples(string sample, bool sixteenBit)
    {
        using var image = Rendered(sample, sixteenBit);
        var png = ImageEncoder.Encode(image, RenderedImageFormat.Png);
        using var decoded = Image.NewFromBuffer(png);
        Assert.Equal(image.Width, decoded.Width);
        Assert.Equal(image.Height, decoded.Height);
        Assert.Equal(image.Bands, decoded.Bands);
        Assert.Equal(image.BitsPerSample == 16 ? Enums.BandFormat.Ushort : Enums.BandFormat.Uchar, decoded.Format);
        var samples = image.BitsPerSample == 16
            ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(decoded.WriteToMemory<ushort>().AsSpan()).ToArray()
            : decoded.WriteToMemory<byte>();
        Assert.Equal(image.Length, samples.Length);
        Assert.True(image.Pixels.SequenceEqual(samples), $"{sample}: decoded PNG samples differ from the rendered ones");
    }

    [Fact]
    public void Png_of_a_large_image_with_flat_and_busy_rows_round_trips()
    {
        using var image = new RenderedImage(1031, 517, 1, 8);
        var random = new Random(7);
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.Pixels.Slice(y * image.Width, image.Width);
            if (y % 3 == 0)
            {
                random.NextBytes(row);
            }
            else
            {
                row.Fill((byte)y);
            }
        }

        using var decoded = Image.NewFromBuffer(ImageEncoder.Encode(image, RenderedImageFormat.Png));
        Assert.True(image.Pixels.SequenceEqual(decoded.WriteToMemory<byte>()));
    }

    [Theory]
    [InlineData("pyd_CT_small.dcm", false, 2.0)]
    [InlineData("pyd_CT_small.dcm", true, 2.0)]
    [InlineData("pydd_SC_rgb.dcm", false, 2.0)]
    public void Jpeg_at_quality_90_decodes_close_to_the_rendered_samples(string sample, bool sixteenBit, double maxMean)
    {
        using var image = Rendered(sample, sixteenBit);
        var jpeg = ImageEncoder.Encode(image, RenderedImageFormat.Jpeg, 90);
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        using var decoded = Image.NewFromBuffer(jpeg);
        Assert.Equal(image.Width, decoded.Width);
        Assert.Equal(image.Height, decoded.Height);
        Assert.Equal(image.Bands, decoded.Bands);
        var samples = decoded.WriteToMemory<byte>();
        var source = image.Pixels;
        var step = image.BitsPerSample / 8;
        double sum = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            // 16-bit images are written with their high byte, as the libvips path does.
            sum += Math.Abs(samples[i] - source[(i * step) + step - 1]);
        }

        Assert.True(sum / samples.Length <= maxMean, $"{sample}: mean difference {sum / samples.Length:F2}");
    }

    [Fact]
    public void Png_chunk_crc_is_the_standard_crc32()
    {
        Assert.Equal(0xAE426082u, PngCrc32.Compute("IEND"u8));
        Assert.Equal(0xCBF43926u, PngCrc32.Compute("123456789"u8));
    }

    private static RenderedImage Rendered(string sample, bool sixteenBit)
    {
        var file = TestData.Open(TestData.Sample(sample));
        return new DicomRenderer().Render(file.Dataset, file.TransferSyntax, new RenderOptions { SixteenBit = sixteenBit });
    }
}
