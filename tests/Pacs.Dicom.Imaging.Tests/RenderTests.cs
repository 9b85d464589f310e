using System.Globalization;
using System.Text;
using Pacs.Dicom.Imaging.Rendering;

namespace Pacs.Dicom.Imaging.Tests;

/// <summary>Rendered frames compared with DCMTK's dcmj2pnm at the same window (PGM/PPM output).</summary>
public class RenderTests
{
    [Theory]
    [InlineData("pyd_CT_small.dcm", 40, 400)]
    [InlineData("pyd_CT_small.dcm", 300, 1500)]
    [InlineData("pyd_MR_small.dcm", 600, 1200)]
    [InlineData("pydd_JPEG-LL.dcm", 1000, 2000)]
    [InlineData("hdc_dx_image.dcm", 2000, 3000)]
    public void Monochrome_window_matches_dcmj2pnm(string sample, double center, double width)
    {
        var reference = Dcmj2pnm(sample, "+Ww", center.ToString(CultureInfo.InvariantCulture), width.ToString(CultureInfo.InvariantCulture));
        var file = TestData.Open(TestData.Sample(sample));
        using var image = new DicomRenderer().Render(file.Dataset, file.TransferSyntax, new RenderOptions { Window = new VoiWindow(center, width) });
        AssertClose(reference, image, 1.0, sample);
    }

    [Theory]
    [InlineData("pyd_CT_small.dcm")]
    [InlineData("pyd_MR_small.dcm")]
    [InlineData("pyd_MR_small_RLE.dcm")]
    [InlineData("fod_CR-MONO1-10-chest")]
    public void Default_window_from_the_dataset_matches_dcmj2pnm(string sample)
    {
        var file = TestData.Open(TestData.Sample(sample));
        var hasWindow = file.Dataset.Contains(DicomTag.WindowCenter);
        var reference = Dcmj2pnm(sample, hasWindow ? "+Wi" : "+Wm", hasWindow ? "1" : string.Empty);
        using var image = new DicomRenderer().Render(file.Dataset, file.TransferSyntax);
        AssertClose(reference, image, 1.0, sample);
    }

    [Theory]
    [InlineData("pydd_SC_rgb.dcm")]
    [InlineData("pydd_SC_ybr_full_uncompressed.dcm")]
    [InlineData("pyd_SC_ybr_full_422_uncompressed.dcm")]
    [InlineData("pyd_examples_palette.dcm")]
    [InlineData("pyd_SC_rgb_jpeg_dcmtk.dcm")]
    public void Colour_matches_dcmj2pnm(string sample)
    {
        var reference = Dcmj2pnm(sample);
        var file = TestData.Open(TestData.Sample(sample));
        using var image = new DicomRenderer().Render(file.Dataset, file.TransferSyntax);
        AssertClose(reference, image, 2.0, sample);
    }

    [Fact]
    public void Overlay_is_burnt_in_on_request()
    {
        var file = TestData.Open(TestData.Sample("pyd_examples_overlay.dcm"));
        var reference = Dcmj2pnm("pyd_examples_overlay.dcm", "+Wm", "+O", "1");
        using var plain = new DicomRenderer().Render(file.Dataset, file.TransferSyntax);
        using var burnt = new DicomRenderer().Render(file.Dataset, file.TransferSyntax, new RenderOptions { BurnInOverlays = true });
        var changed = 0;
        var agree = 0;
        for (var i = 0; i < burnt.Length; i++)
        {
            if (burnt.Pixels[i] != plain.Pixels[i])
            {
                changed++;
                agree += reference.Pixels[i] == 255 ? 1 : 0;
            }
        }

        Assert.True(changed > 100, $"{changed} pixels changed");
        Assert.True(agree > changed * 0.95, $"dcmj2pnm shows {agree} of {changed} overlay pixels at full intensity");
    }

    [Fact]
    public void Png_jpeg_webp_and_16_bit_png_are_written_and_scaled()
    {
        var file = TestData.Open(TestData.Sample("pyd_CT_small.dcm"));
        using var image = new DicomRenderer().Render(file.Dataset, file.TransferSyntax);
        var png = ImageEncoder.Encode(image, RenderedImageFormat.Png);
        var jpeg = ImageEncoder.Encode(image, RenderedImageFormat.Jpeg, 80, 64, 64);
        var webp = ImageEncoder.Encode(image, RenderedImageFormat.WebP);
        using var wide = new DicomRenderer().Render(file.Dataset, file.TransferSyntax, new RenderOptions { SixteenBit = true });
        var png16 = ImageEncoder.Encode(wide, RenderedImageFormat.Png);
        Assert.Equal(0x89, png[0]);
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(webp, 0, 4));
        Assert.Equal(16, png16[24]); // IHDR bit depth
        var dir = TestData.TempDirectory("encode");
        File.WriteAllBytes(Path.Combine(dir, "t.jpg"), jpeg);
        var identify = TestData.Run("/usr/bin/python3", "-c", "import sys,struct;d=open(sys.argv[1],'rb').read();i=d.find(b'\\xff\\xc0');print(struct.unpack('>HH',d[i+5:i+9]))", Path.Combine(dir, "t.jpg"));
        Assert.Equal("(64, 64)", identify.Trim());
    }

    private static void AssertClose(Pnm reference, RenderedImage image, double maxMean, string what)
    {
        Assert.Equal(reference.Width, image.Width);
        Assert.Equal(reference.Height, image.Height);
        Assert.Equal(reference.Bands, image.Bands);
        long sum = 0;
        for (var i = 0; i < image.Length; i++)
        {
            sum += Math.Abs(reference.Pixels[i] - image.Pixels[i]);
        }

        var mean = (double)sum / image.Length;
        Assert.True(mean <= maxMean, $"{what}: mean absolute difference {mean:F3} > {maxMean}");
    }

    private sealed record Pnm(int Width, int Height, int Bands, byte[] Pixels);

    private static Pnm Dcmj2pnm(string sample, params string[] options)
    {
        var dir = TestData.TempDirectory("dcmj2pnm");
        var output = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".pnm");
        TestData.Run("dcmj2pnm", [.. options.Where(o => o.Length > 0), TestData.Sample(sample), output]);
        var bytes = File.ReadAllBytes(output);
        var fields = new List<string>();
        var pos = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)bytes[pos]))
            {
                pos++;
            }

            var start = pos;
            while (!char.IsWhiteSpace((char)bytes[pos]))
            {
                pos++;
            }

            fields.Add(Encoding.ASCII.GetString(bytes, start, pos - start));
        }

        pos++;
        var bands = fields[0] == "P6" ? 3 : 1;
        return new Pnm(int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture), bands, bytes[pos..]);
    }
}
