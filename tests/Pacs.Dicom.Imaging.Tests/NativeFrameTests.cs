using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Tests;

/// <summary>Frames of native pixel data equal pydicom's pixel_array (1-bit, 32-bit, multi-frame, big endian, colour).</summary>
public class NativeFrameTests
{
    [Theory]
    [InlineData("pyd_liver_1frame.dcm")]
    [InlineData("pyd_rtdose.dcm")]
    [InlineData("pydd_emri_small.dcm")]
    [InlineData("pyd_MR_small_bigendian.dcm")]
    [InlineData("pyd_ExplVR_BigEnd.dcm")]
    [InlineData("pydd_SC_rgb.dcm")]
    public void Native_frames_equal_pydicom_pixel_array(string sample)
    {
        var dir = TestData.TempDirectory("pydicom");
        var output = Path.Combine(dir, sample + ".raw");
        // pixel_array is frames x rows x cols (x samples); written little endian, 1-bit unpacked to one byte.
        TestData.Run("/usr/bin/python3", "-c",
            "import sys,pydicom,numpy as np;ds=pydicom.dcmread(sys.argv[1]);a=ds.pixel_array;a=a.astype(a.dtype.newbyteorder('<'));open(sys.argv[2],'wb').write(a.tobytes())",
            TestData.Sample(sample), output);
        var expected = File.ReadAllBytes(output);
        var file = TestData.Open(TestData.Sample(sample));
        var data = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
        using var all = new MemoryStream();
        PixelFormat format = data.Format;
        for (var i = 0; i < data.NumberOfFrames; i++)
        {
            var frame = data.GetFrame(i);
            format = frame.Format;
            var pixels = frame.Pixels.Span[..(int)frame.Format.DecodedFrameLength];
            // pydicom gives colour-by-pixel; native colour-by-plane frames are interleaved here to compare.
            all.Write(frame.Format.PlanarConfiguration == 1 ? Codecs.FrameSamples.Interleave(pixels, frame.Format) : pixels);
        }

        TestData.AssertSamplesEqual(expected, all.ToArray(), format, sample);
    }
}
