using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// JPEG Baseline (Process 1), 1.2.840.10008.1.2.4.50, through libturbojpeg. TurboJPEG always converts three components
/// from YCbCr, so JPEGs whose components are RGB go to the managed decoder. Encoding is lossy (quality 90 by default).
/// </summary>
public sealed unsafe class JpegBaselineCodec : IDicomCodec
{
    // TurboJPEG handles are not thread-safe and a handle that reported an error must not be reused; idle ones are kept here.
    private readonly ConcurrentBag<IntPtr> _decompressors = [];

    public JpegBaselineCodec(int quality = 90)
    {
        Quality = Math.Clamp(quality, 1, 100);
    }

    public int Quality { get; }

    public DicomTransferSyntax TransferSyntax => DicomTransferSyntax.JPEGBaseline8Bit;

    public bool CanEncode => true;

    public DecodedFrame Decode(ReadOnlyMemory<byte> encoded, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var span = encoded.Span;
        if (span.Length < 4 || span[0] != 0xFF || span[1] != 0xD8)
        {
            throw new DicomCodecException("JPEG frame does not start with SOI.");
        }

        var header = JpegHeaderInfo.Read(span);
        var declaredRgb = format.PhotometricInterpretation == "RGB" && !header.HasJfif && header.AdobeTransform < 0;
        if (header.Precision != 8 || header.ComponentsAreRgb || declaredRgb || header.Components == 4)
        {
            var managed = JpegLibraryDecoder.Decode(encoded, format.Columns, format.Rows);
            var samples = FrameSamples.Fit(managed.Samples, managed.Precision > 8 ? 2 : 1, format, managed.Components);
            return new DecodedFrame(samples, FrameSamples.Decoded(format, header.Components == 3 && (header.ComponentsAreRgb || declaredRgb) ? "RGB" : null));
        }

        var handle = _decompressors.TryTake(out var h) ? h : TurboJpegNative.tjInitDecompress();
        if (handle == IntPtr.Zero)
        {
            throw new DicomCodecException("libturbojpeg could not create a decompressor.");
        }

        var ok = false;
        try
        {
            fixed (byte* source = span)
            {
                if (TurboJpegNative.tjDecompressHeader3(handle, source, (nuint)span.Length, out var width, out var height, out _, out var colorspace) != 0)
                {
                    throw new DicomCodecException("JPEG header: " + TurboJpegNative.LastError(handle));
                }

                var components = colorspace == TurboJpegNative.ColorspaceGray ? 1 : 3;
                if (width != format.Columns || height != format.Rows || components != format.SamplesPerPixel)
                {
                    throw new DicomCodecException($"JPEG frame is {width}x{height}x{components}; the dataset says {format.Columns}x{format.Rows}x{format.SamplesPerPixel}.");
                }

                var output = new byte[width * height * components];
                fixed (byte* destination = output)
                {
                    var pixelFormat = components == 1 ? TurboJpegNative.PixelFormatGray : TurboJpegNative.PixelFormatRgb;
                    if (TurboJpegNative.tjDecompress2(handle, source, (nuint)span.Length, destination, width, width * components, height, pixelFormat, 0) != 0)
                    {
                        throw new DicomCodecException("JPEG decode: " + TurboJpegNative.LastError(handle));
                    }
                }

                ok = true;
                var samples = FrameSamples.Fit(output, 1, format, components);
                return new DecodedFrame(samples, FrameSamples.Decoded(format, components == 3 ? "RGB" : null));
            }
        }
        finally
        {
            if (ok)
            {
                _decompressors.Add(handle);
            }
            else
            {
                _ = TurboJpegNative.tjDestroy(handle);
            }
        }
    }

    public EncodedFrame Encode(ReadOnlySpan<byte> pixels, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (format.BitsAllocated != 8 || format.SamplesPerPixel is not (1 or 3) || format.PhotometricInterpretation is not ("MONOCHROME1" or "MONOCHROME2" or "RGB"))
        {
            throw new DicomCodecException($"JPEG baseline carries 8-bit grey or RGB only, not {format.BitsAllocated}-bit {format.PhotometricInterpretation}.");
        }

        var input = format.PlanarConfiguration == 1 ? FrameSamples.Interleave(pixels, format) : pixels[..(int)format.DecodedFrameLength].ToArray();
        var handle = TurboJpegNative.tjInitCompress();
        if (handle == IntPtr.Zero)
        {
            throw new DicomCodecException("libturbojpeg could not create a compressor.");
        }

        var jpeg = IntPtr.Zero;
        nuint size = 0;
        try
        {
            var rgb = format.SamplesPerPixel == 3;
            fixed (byte* source = input)
            {
                if (TurboJpegNative.tjCompress2(handle, source, format.Columns, 0, format.Rows, rgb ? TurboJpegNative.PixelFormatRgb : TurboJpegNative.PixelFormatGray,
                        ref jpeg, ref size, rgb ? TurboJpegNative.Subsampling422 : TurboJpegNative.SubsamplingGray, Quality, 0) != 0)
                {
                    throw new DicomCodecException("JPEG encode: " + TurboJpegNative.LastError(handle));
                }
            }

            var data = new byte[size + (size & 1)];
            Marshal.Copy(jpeg, data, 0, (int)size);
            return new EncodedFrame(data, FrameSamples.Decoded(format, rgb ? "YBR_FULL_422" : null));
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
