using System.Runtime.CompilerServices;
using JpegLibrary;

namespace Pacs.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Decodes through the managed JpegLibrary: 12-bit extended (.51), lossless SV1 (.70), and 8-bit JPEGs whose components
/// are already RGB. Gives raw component samples (no colour transform), colour-by-pixel, 8-bit or 16-bit little endian.
/// </summary>
internal static class JpegLibraryDecoder
{
    public sealed record Result(byte[] Samples, int Width, int Height, int Components, int Precision);

    public static Result Decode(ReadOnlyMemory<byte> jpeg, int expectedWidth, int expectedHeight)
    {
        try
        {
            var decoder = new JpegDecoder();
            decoder.SetInput(jpeg);
            decoder.Identify();
            int width = decoder.Width, height = decoder.Height, components = decoder.NumberOfComponents, precision = decoder.Precision;
            if (width != expectedWidth || height != expectedHeight || components is not (1 or 3 or 4) || precision is < 2 or > 16)
            {
                throw new DicomCodecException($"JPEG frame is {width}x{height}x{components} at {precision} bits; the dataset says {expectedWidth}x{expectedHeight}.");
            }

            var lossless = decoder.StartOfFrame is JpegMarker.StartOfFrame3 or JpegMarker.StartOfFrame7 or JpegMarker.StartOfFrame11 or JpegMarker.StartOfFrame15;
            var wide = precision > 8;
            var output = new byte[(long)width * height * components * (wide ? 2 : 1)];
            var maxH = decoder.GetMaximumHorizontalSampling();
            var maxV = decoder.GetMaximumVerticalSampling();
            var factors = new (int H, int V)[components];
            for (var c = 0; c < components; c++)
            {
                factors[c] = (maxH / Math.Max(1, (int)decoder.GetHorizontalSampling(c)), maxV / Math.Max(1, (int)decoder.GetVerticalSampling(c)));
            }

            decoder.SetOutputWriter(new Writer(width, height, components, wide, lossless ? -1 : (1 << precision) - 1, factors, output));
            decoder.Decode();
            return new Result(output, width, height, components, precision);
        }
        catch (DicomException)
        {
            throw;
        }
        catch (Exception ex) when (ex is InvalidDataException or IndexOutOfRangeException or ArgumentException or InvalidOperationException or NotSupportedException or OverflowException or NullReferenceException)
        {
            throw new DicomCodecException("JPEG frame is corrupt: " + ex.Message, ex);
        }
    }

    private sealed class Writer(int width, int height, int components, bool wide, int maxValue, (int H, int V)[] factors, byte[] output)
        : JpegBlockOutputWriter
    {
        public override void WriteBlock(ref short blockRef, int componentIndex, int x, int y)
        {
            if ((uint)componentIndex >= (uint)components)
            {
                return;
            }

            var (fh, fv) = factors[componentIndex];
            for (var dy = 0; dy < 8 * fv; dy++)
            {
                var py = y + dy;
                if (py >= height)
                {
                    break;
                }

                ref var row = ref Unsafe.Add(ref blockRef, dy / fv * 8);
                var o = ((py * width) + x) * components + componentIndex;
                for (var dx = 0; dx < 8 * fh; dx++, o += components)
                {
                    if (x + dx >= width)
                    {
                        break;
                    }

                    int v = Unsafe.Add(ref row, dx / fh);
                    if (wide)
                    {
                        // Lossless samples are the 16-bit pattern as coded; lossy ones are clamped to the precision's range.
                        var u = maxValue < 0 ? (ushort)v : (ushort)Math.Clamp(v, 0, maxValue);
                        output[2 * o] = (byte)u;
                        output[(2 * o) + 1] = (byte)(u >> 8);
                    }
                    else
                    {
                        output[o] = (byte)Math.Clamp(v, 0, 255);
                    }
                }
            }
        }
    }
}
