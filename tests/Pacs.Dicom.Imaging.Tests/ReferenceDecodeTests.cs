using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Tests;

/// <summary>Every compressed sample decodes; lossless ones equal DCMTK's or GDCM's decode, made here by running the tool.</summary>
public class ReferenceDecodeTests
{
    public static TheoryData<string, string> LosslessSamples => new()
    {
        { "pydd_JPEG-LL.dcm", "dcmdjpeg" },
        { "pyd_SC_rgb_jpeg_gdcm.dcm", "dcmdjpeg" },
        { "pyd_MR_small_RLE.dcm", "dcmdrle" },
        { "pyd_SC_rgb_rle_16bit_2frame.dcm", "dcmdrle" },
        { "pyd_rtdose_rle_1frame.dcm", "dcmdrle" },
        { "pyd_MR_small_jpeg_ls_lossless.dcm", "dcmdjpls" },
        { "pyd_JPEGLSNearLossless_16.dcm", "dcmdjpls" },
        { "pyd_SC_rgb_jls_lossy_line.dcm", "dcmdjpls" },
        { "pyd_MR_small_jp2klossless.dcm", "gdcmconv" },
        { "pyd_JPEG2000.dcm", "gdcmconv" },
        { "pydd_US1_J2KI.dcm", "gdcmconv" },
        { "pyd_GDCMJ2K_TextGBR.dcm", "gdcmconv" },
    };

    public static TheoryData<string, string, int> LossySamples => new()
    {
        { "pyd_SC_rgb_jpeg_dcmtk.dcm", "dcmdjpeg", 0 },
        { "pyd_SC_rgb_dcmtk_+eb+cy+np.dcm", "dcmdjpeg", 0 },
        { "pyd_examples_ybr_color.dcm", "dcmdjpeg", 0 },
        { "pyd_SC_jpeg_no_color_transform.dcm", "gdcmconv", 1 },
        { "pyd_SC_rgb_jpeg.dcm", "gdcmconv", 1 },
        { "pyd_JPGExtended.dcm", "gdcmconv", 1 },
        { "pyd_JPEG-lossy.dcm", "gdcmconv", 1 },
    };

    [Theory]
    [MemberData(nameof(LosslessSamples))]
    public void Lossless_and_near_lossless_samples_equal_the_reference_decode(string sample, string tool)
    {
        var reference = ReferenceDecode(sample, tool);
        var (expected, _) = TestData.NativePixels(reference);
        var (actual, format) = TestData.DecodeAll(TestData.Open(TestData.Sample(sample)));
        TestData.AssertSamplesEqual(expected, actual, format, sample);
    }

    [Theory]
    [MemberData(nameof(LossySamples))]
    public void Lossy_jpeg_samples_match_the_reference_decode_within_rounding(string sample, string tool, int tolerance)
    {
        var reference = ReferenceDecode(sample, tool);
        var (expected, _) = TestData.NativePixels(reference);
        var (actual, format) = TestData.DecodeAll(TestData.Open(TestData.Sample(sample)));
        Assert.Equal(expected.Length, actual.Length);
        var bps = format.BytesPerSample;
        var max = 0;
        for (var i = 0; i < expected.Length; i += bps)
        {
            var e = bps == 1 ? expected[i] : expected[i] | (expected[i + 1] << 8);
            var a = bps == 1 ? actual[i] : actual[i] | (actual[i + 1] << 8);
            max = Math.Max(max, Math.Abs(e - a));
        }

        Assert.True(max <= tolerance, $"{sample}: max difference {max} > {tolerance}");
    }

    [Theory]
    [InlineData("pydd_HTJ2KLossless_08_RGB.dcm")]
    [InlineData("pydd_HTJ2K_08_RGB.dcm")]
    [InlineData("pydd_liver_deflate.dcm")]
    public void Samples_without_a_dcmtk_or_gdcm_decoder_decode_to_the_declared_size(string sample)
    {
        var file = TestData.Open(TestData.Sample(sample));
        var data = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
        for (var i = 0; i < data.NumberOfFrames; i++)
        {
            var frame = data.GetFrame(i);
            Assert.Equal(frame.Format.DecodedFrameLength, frame.Pixels.Length);
        }
    }

    [Fact]
    public void Htj2k_lossless_sample_equals_the_openjph_decode()
    {
        var file = TestData.Open(TestData.Sample("pydd_HTJ2KLossless_08_RGB.dcm"));
        var data = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
        var dir = TestData.TempDirectory("htj2k");
        var j2c = Path.Combine(dir, "frame.j2c");
        File.WriteAllBytes(j2c, data.GetStoredFrame(0).ToArray());
        var ppm = Path.Combine(dir, "frame.ppm");
        TestData.Run("ojph_expand", "-i", j2c, "-o", ppm);
        var bytes = File.ReadAllBytes(ppm);
        var expected = bytes[^(int)data.Format.DecodedFrameLength..];
        var frame = data.GetFrame(0);
        TestData.AssertSamplesEqual(expected, frame.Pixels.ToArray(), frame.Format, "HTJ2K lossless");
    }

    internal static string ReferenceDecode(string sample, string tool)
    {
        var dir = TestData.TempDirectory("reference");
        var output = Path.Combine(dir, tool + "_" + sample);
        if (tool == "gdcmconv")
        {
            TestData.Run("gdcmconv", "--raw", TestData.Sample(sample), output);
        }
        else
        {
            TestData.Run(tool, "-q", TestData.Sample(sample), output);
        }

        return output;
    }
}
