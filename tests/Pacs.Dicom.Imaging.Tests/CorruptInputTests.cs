using Pacs.Dicom.Imaging.Codecs;
using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Tests;

/// <summary>Each decoder, fed a seeded set of truncated and bit-flipped frames, either decodes or throws our exception type.</summary>
public class CorruptInputTests
{
    public static TheoryData<string> Samples => new()
    {
        "pyd_SC_rgb_jpeg_dcmtk.dcm",
        "pyd_SC_jpeg_no_color_transform.dcm",
        "pyd_JPGExtended.dcm",
        "pydd_JPEG-LL.dcm",
        "pyd_MR_small_RLE.dcm",
        "pyd_MR_small_jpeg_ls_lossless.dcm",
        "pyd_MR_small_jp2klossless.dcm",
        "pyd_GDCMJ2K_TextGBR.dcm",
        "pydd_HTJ2K_08_RGB.dcm",
        "pydd_liver_deflate.dcm",
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Corrupt_frames_raise_only_DicomException(string sample)
    {
        var file = TestData.Open(TestData.Sample(sample));
        var data = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
        var codec = DicomCodecRegistry.Default.GetDecoder(file.TransferSyntax);
        var frame = data.GetStoredFrame(0).ToArray();
        var random = new Random(5150);
        var variants = new List<byte[]>();
        foreach (var fraction in new[] { 0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99 })
        {
            variants.Add(frame[..(int)(frame.Length * fraction)]);
        }

        for (var v = 0; v < 40; v++)
        {
            var copy = (byte[])frame.Clone();
            var flips = 1 + random.Next(8);
            for (var k = 0; k < flips; k++)
            {
                // Bias half of the damage towards the headers, where lengths and sizes live.
                var at = random.Next(2) == 0 ? random.Next(Math.Min(copy.Length, 400)) : random.Next(copy.Length);
                copy[at] ^= (byte)(1 << random.Next(8));
            }

            variants.Add(copy);
        }

        var failures = 0;
        foreach (var variant in variants)
        {
            try
            {
                var decoded = codec.Decode(variant, data.Format);
                Assert.Equal(decoded.Format.DecodedFrameLength, decoded.Pixels.Length);
            }
            catch (DicomException)
            {
                failures++;
            }
        }

        // The empty and the 1% frames can never decode.
        Assert.True(failures >= 2, $"only {failures} variants failed");
    }
}
