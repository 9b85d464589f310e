using System.Runtime.InteropServices;
using Pacs.Dicom.Imaging.Codecs.Jpeg;

namespace Pacs.Dicom.Imaging.Rendering;

/// <summary>
/// Writes an 8-bit grey or RGB image as a baseline JPEG File Interchange Format stream with libturbojpeg directly: no
/// image object, no intermediate copies, the SIMD encoder. Grey is written as one component; RGB at quality 90 and above
/// keeps full chroma resolution (4:4:4), below it 4:2:0, the choice libvips and most viewers make.
/// </summary>
internal static unsafe class TurboJpegWriter
{
    private const int Subsampling420 = 2;

    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int bands, int quality)
    {
        if (bands is not (1 or 3) || pixels.Length < width * height * bands)
        {
            throw new DicomException($"A JPEG is written from 8-bit grey or RGB pixels, not {bands} band(s) of {pixels.Length} bytes for {width}x{height}.");
        }

        var handle = TurboJpegNative.tjInitCompress();
        if (handle == IntPtr.Zero)
        {
            throw new DicomException("libturbojpeg could not create a compressor.");
        }

        var jpeg = IntPtr.Zero;
        nuint size = 0;
        try
        {
            var grey = bands == 1;
            var subsampling = grey ? TurboJpegNative.SubsamplingGray : quality >= 90 ? TurboJpegNative.Subsampling444 : Subsampling420;
            fixed (byte* source = pixels)
            {
                if (TurboJpegNative.tjCompress2(handle, source, width, 0, height, grey ? TurboJpegNative.PixelFormatGray : TurboJpegNative.PixelFormatRgb,
                        ref jpeg, ref size, subsampling, Math.Clamp(quality, 1, 100), 0) != 0)
                {
                    throw new DicomException("JPEG encoding failed: " + TurboJpegNative.LastError(handle));
                }
            }

            var data = new byte[size];
            Marshal.Copy(jpeg, data, 0, (int)size);
            return data;
        }
        finally
        {
            if (jpeg != IntPtr.Zero)
            {
                TurboJpegNative.tjFree(jpeg);
            }

            _ = TurboJpegNative.tjDestroy(handle);
        }
    }
}
