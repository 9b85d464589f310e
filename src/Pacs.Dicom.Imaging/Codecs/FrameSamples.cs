using System.Buffers.Binary;
using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Codecs;

/// <summary>Conversions between a codec's sample width and the dataset's Bits Allocated.</summary>
internal static class FrameSamples
{
    /// <summary>
    /// Returns <paramref name="samples"/> (1 or 2 bytes a sample) widened or narrowed to <paramref name="format"/>'s bytes per sample,
    /// checking that the codec produced exactly the frame the dataset describes.
    /// </summary>
    public static byte[] Fit(byte[] samples, int bytesPerSample, PixelFormat format, int components)
    {
        if (components != format.SamplesPerPixel)
        {
            throw new DicomCodecException($"The frame holds {components} components; the dataset says {format.SamplesPerPixel}.");
        }

        var count = (long)format.PixelCount * components;
        if (samples.LongLength != count * bytesPerSample)
        {
            throw new DicomCodecException($"The frame decodes to {samples.LongLength} bytes; {count * bytesPerSample} expected.");
        }

        var target = format.BytesPerSample;
        if (target == bytesPerSample)
        {
            return samples;
        }

        var output = new byte[count * target];
        for (long i = 0; i < count; i++)
        {
            uint v = bytesPerSample == 1 ? samples[i] : BinaryPrimitives.ReadUInt16LittleEndian(samples.AsSpan((int)(i * 2)));
            switch (target)
            {
                case 1:
                    output[i] = (byte)v;
                    break;
                case 2:
                    BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan((int)(i * 2)), (ushort)v);
                    break;
                default:
                    BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan((int)(i * 4)), v);
                    break;
            }
        }

        return output;
    }

    /// <summary>The decoded layout: colour-by-pixel, and a 4:2:2 photometric that the codec expanded to full resolution.</summary>
    public static PixelFormat Decoded(PixelFormat format, string? photometric = null) => format with
    {
        PlanarConfiguration = 0,
        PhotometricInterpretation = photometric ?? (format.PhotometricInterpretation == "YBR_FULL_422" ? "YBR_FULL" : format.PhotometricInterpretation),
    };

    /// <summary>Copies a colour-by-plane frame to colour-by-pixel (encoders take interleaved samples).</summary>
    public static byte[] Interleave(ReadOnlySpan<byte> planar, PixelFormat format)
    {
        var bps = format.BytesPerSample;
        var n = format.PixelCount;
        var c = format.SamplesPerPixel;
        var output = new byte[(long)n * c * bps];
        for (var k = 0; k < c; k++)
        {
            for (var i = 0; i < n; i++)
            {
                planar.Slice(((k * n) + i) * bps, bps).CopyTo(output.AsSpan(((i * c) + k) * bps, bps));
            }
        }

        return output;
    }
}
