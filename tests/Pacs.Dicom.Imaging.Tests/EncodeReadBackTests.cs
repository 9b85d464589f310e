using Pacs.Dicom.Imaging.Transcoding;
using Pacs.Dicom.IO;

namespace Pacs.Dicom.Imaging.Tests;

/// <summary>Our lossless encodes, written as files by the transcoder, are read back exactly by DCMTK or GDCM.</summary>
public class EncodeReadBackTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var kind in SyntheticImages.Kinds)
        {
            data.Add(kind, DicomTransferSyntax.RLELossless.UidValue, "dcmdrle");
            data.Add(kind, DicomTransferSyntax.JPEGLSLossless.UidValue, "dcmdjpls");
            data.Add(kind, DicomTransferSyntax.JPEG2000Lossless.UidValue, "gdcmconv");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Lossless_encode_is_read_back_exactly_by_the_reference_tool(string kind, string transferSyntax, string tool)
    {
        var source = TestData.Open(SyntheticImages.Source(kind));
        var target = DicomTransferSyntax.Parse(transferSyntax);
        var transcoded = new DicomTranscoder().Transcode(source, target);
        var dir = TestData.TempDirectory("readback");
        var encodedPath = Path.Combine(dir, $"{kind}.{transferSyntax}.dcm");
        await transcoded.SaveAsync(encodedPath, new DicomWriteOptions());
        var decodedPath = encodedPath + ".ref.dcm";
        if (tool == "gdcmconv")
        {
            TestData.Run("gdcmconv", "--raw", encodedPath, decodedPath);
        }
        else
        {
            TestData.Run(tool, encodedPath, decodedPath);
        }

        var (expected, format) = TestData.NativePixels(SyntheticImages.Source(kind));
        var (actual, _) = TestData.NativePixels(decodedPath);
        TestData.AssertSamplesEqual(expected, actual, format, $"{kind} via {tool}");

        // And our own decoder reads our encoding back too.
        var (ours, _) = TestData.DecodeAll(TestData.Open(encodedPath));
        TestData.AssertSamplesEqual(expected, ours, format, $"{kind} via our decoder");
    }

    [Theory]
    [InlineData("pyd_examples_ybr_color.dcm", "1.2.840.10008.1.2.5")]
    [InlineData("pyd_SC_rgb_rle_16bit_2frame.dcm", "1.2.840.10008.1.2.4.80")]
    [InlineData("pyd_MR_small_jpeg_ls_lossless.dcm", "1.2.840.10008.1.2.8.1")]
    [InlineData("pydd_JPEG-LL.dcm", "1.2.840.10008.1.2.4.90")]
    [InlineData("pydd_emri_small.dcm", "1.2.840.10008.1.2.5")]
    public void Transcoding_between_syntaxes_keeps_every_decoded_sample(string sample, string target)
    {
        var file = TestData.Open(TestData.Sample(sample));
        var (before, format) = TestData.DecodeAll(file);
        var transcoder = new DicomTranscoder();
        var encoded = transcoder.Transcode(file, DicomTransferSyntax.Parse(target));
        Assert.Equal(target, encoded.TransferSyntax.UidValue);
        var back = transcoder.Transcode(encoded, DicomTransferSyntax.ExplicitVRLittleEndian);
        var (after, _) = TestData.DecodeAll(back);
        TestData.AssertSamplesEqual(before, after, format, sample);
        Assert.Equal(format.PhotometricInterpretation, back.Dataset.GetString(DicomTag.PhotometricInterpretation));
    }

    [Fact]
    public void Lossy_transcode_records_lossy_image_compression()
    {
        var file = TestData.Open(TestData.Sample("pyd_CT_small.dcm"));
        var lossy = new DicomTranscoder().Transcode(file, DicomTransferSyntax.JPEG2000);
        Assert.Equal("01", lossy.Dataset.GetString(DicomTag.LossyImageCompression));
        Assert.Equal("ISO_15444_1", lossy.Dataset.GetString(DicomTag.LossyImageCompressionMethod));
        Assert.True(lossy.Dataset.GetValue<double>(DicomTag.LossyImageCompressionRatio) > 1);
    }
}
