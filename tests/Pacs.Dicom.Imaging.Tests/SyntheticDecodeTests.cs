using Pacs.Dicom.Imaging.Codecs;
using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Tests;

/// <summary>Synthetic 8/12/16-bit signed and unsigned and RGB frames, encoded by DCMTK, GDCM and OpenJPH, decode exactly.</summary>
public class SyntheticDecodeTests
{
    public static TheoryData<string, int> LosslessJpegVectors()
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in SyntheticImages.Kinds)
        {
            for (var sv = 1; sv <= 7; sv++)
            {
                data.Add(kind, sv);
            }
        }

        return data;
    }

    public static TheoryData<string> Kinds() => [.. SyntheticImages.Kinds];

    [Theory]
    [MemberData(nameof(LosslessJpegVectors))]
    public void Jpeg_lossless_any_predictor_from_dcmcjpeg_decodes_exactly(string kind, int predictor)
    {
        var encoded = SyntheticImages.Encoded(kind, "sv" + predictor, "dcmcjpeg", "+el", "+sv", predictor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AssertDecodesToSource(kind, encoded, DicomTransferSyntax.JPEGLossless.UidValue);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Jpeg_lossless_sv1_from_dcmcjpeg_decodes_exactly(string kind) =>
        AssertDecodesToSource(kind, SyntheticImages.Encoded(kind, "sv1-70", "dcmcjpeg", "+e1"), DicomTransferSyntax.JPEGLosslessSV1.UidValue);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Rle_from_dcmcrle_decodes_exactly(string kind) =>
        AssertDecodesToSource(kind, SyntheticImages.Encoded(kind, "rle", "dcmcrle"), DicomTransferSyntax.RLELossless.UidValue);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Jpeg_ls_from_dcmcjpls_decodes_exactly(string kind) =>
        AssertDecodesToSource(kind, SyntheticImages.Encoded(kind, "jls", "dcmcjpls", "+el"), DicomTransferSyntax.JPEGLSLossless.UidValue);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Jpeg2000_lossless_from_gdcmconv_decodes_exactly(string kind) =>
        AssertDecodesToSource(kind, SyntheticImages.Encoded(kind, "j2k", "gdcmconv", "--j2k"), DicomTransferSyntax.JPEG2000Lossless.UidValue);

    [Theory]
    [InlineData("u8")]
    [InlineData("u12")]
    [InlineData("u16")]
    public void Htj2k_lossless_from_ojph_compress_decodes_exactly(string kind)
    {
        var (source, format) = TestData.NativePixels(SyntheticImages.Source(kind));
        var dir = TestData.TempDirectory("ojph");
        var pgm = Path.Combine(dir, kind + ".pgm");
        var max = (1 << format.BitsStored) - 1;
        using (var f = File.Create(pgm))
        {
            f.Write(System.Text.Encoding.ASCII.GetBytes($"P5\n{format.Columns} {format.Rows}\n{max}\n"));
            for (var i = 0; i < format.PixelCount; i++)
            {
                if (format.BytesPerSample == 1)
                {
                    f.WriteByte(source[i]);
                }
                else
                {
                    f.WriteByte(source[(2 * i) + 1]);
                    f.WriteByte(source[2 * i]);
                }
            }
        }

        var j2c = Path.Combine(dir, kind + ".j2c");
        TestData.Run("ojph_compress", "-i", pgm, "-o", j2c, "-reversible", "true");
        var codec = DicomCodecRegistry.Default.GetDecoder(DicomTransferSyntax.HTJ2KLossless);
        var frame = codec.Decode(File.ReadAllBytes(j2c), format);
        TestData.AssertSamplesEqual(source, frame.Pixels.ToArray(), format, "HTJ2K " + kind);
    }

    [Theory]
    [InlineData("u12")]
    [InlineData("u8")]
    public void Jpeg_extended_from_dcmcjpeg_matches_dcmdjpeg_within_rounding(string kind)
    {
        var encoded = SyntheticImages.Encoded(kind, "ee", "dcmcjpeg", "+ee");
        var reference = encoded + ".dcmdjpeg.dcm";
        TestData.Run("dcmdjpeg", encoded, reference);
        var (expected, format) = TestData.NativePixels(reference);
        var (actual, _) = TestData.DecodeAll(TestData.Open(encoded));
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0;
        for (var i = 0; i < expected.Length; i += format.BytesPerSample)
        {
            var e = format.BytesPerSample == 1 ? expected[i] : expected[i] | (expected[i + 1] << 8);
            var a = format.BytesPerSample == 1 ? actual[i] : actual[i] | (actual[i + 1] << 8);
            worst = Math.Max(worst, Math.Abs(e - a));
        }

        Assert.True(worst <= 1, $"max difference {worst}");
    }

    [Theory]
    [InlineData("u8")]
    [InlineData("rgb8")]
    public void Jpeg_baseline_from_dcmcjpeg_equals_dcmdjpeg(string kind)
    {
        var encoded = SyntheticImages.Encoded(kind, "eb", "dcmcjpeg", "+eb");
        var reference = encoded + ".dcmdjpeg.dcm";
        TestData.Run("dcmdjpeg", "+cp", encoded, reference);
        var (expected, _) = TestData.NativePixels(reference);
        var (actual, format) = TestData.DecodeAll(TestData.Open(encoded));
        var worst = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        Assert.Equal(expected.Length, actual.Length);
        Assert.True(worst <= 1, $"{kind}: max difference {worst} ({format.PhotometricInterpretation})");
    }

    private static void AssertDecodesToSource(string kind, string encodedPath, string expectedTransferSyntax)
    {
        var (source, _) = TestData.NativePixels(SyntheticImages.Source(kind));
        var file = TestData.Open(encodedPath);
        Assert.Equal(expectedTransferSyntax, file.TransferSyntax.UidValue);
        var (actual, format) = TestData.DecodeAll(file);
        TestData.AssertSamplesEqual(source, actual, format, $"{kind} {Path.GetFileName(encodedPath)}");
    }
}
