using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Rendering;

/// <summary>
/// Stored value → Modality LUT (rescale or LUT) → VOI LUT (window or LUT) → Presentation LUT (MONOCHROME1 / INVERSE)
/// for one monochrome frame. A linear rescale with a LINEAR window, the common CT/MR case, runs as one vectorised
/// multiply-add-clamp; everything else goes through a table over the stored value range built in a pooled buffer.
/// </summary>
internal sealed class GrayscalePipeline
{
    private readonly PixelFormat _format;
    private readonly double _slope;
    private readonly double _intercept;
    private readonly LookupTable? _modalityLut;
    private readonly LookupTable? _voiLut;
    private readonly VoiWindow _window;
    private readonly bool _invert;

    public GrayscalePipeline(DicomDataset dataset, PixelFormat format, ReadOnlySpan<byte> pixels, RenderOptions options)
    {
        _format = format;
        _slope = Number(dataset, DicomTag.RescaleSlope, 0, 1);
        _intercept = Number(dataset, DicomTag.RescaleIntercept, 0, 0);
        if (_slope == 0)
        {
            _slope = 1;
        }

        if (dataset.TryGetSequence(DicomTag.ModalityLUTSequence, out var modality) && modality.Count > 0)
        {
            _modalityLut = LookupTable.FromItem(modality[0], format.IsSigned);
        }

        var shape = dataset.GetStringOrDefault(DicomTag.PresentationLUTShape, string.Empty)?.Trim() ?? string.Empty;
        // MONOCHROME1 images carry INVERSE when they carry a shape at all (e.g. PS3.3 C.8.11.6), so either one inverts.
        _invert = format.PhotometricInterpretation == "MONOCHROME1" || shape == "INVERSE";
        if (options.Window is { } explicitWindow)
        {
            _window = explicitWindow;
        }
        else if (DatasetWindow(dataset, options.VoiIndex) is { } stored)
        {
            _window = stored;
        }
        else if (dataset.TryGetSequence(DicomTag.VOILUTSequence, out var voi) && voi.Count > 0
                 && LookupTable.FromItem(voi[Math.Min(options.VoiIndex, voi.Count - 1)], format.IsSigned && _modalityLut is null && _slope == 1 && _intercept == 0) is { } lut)
        {
            _voiLut = lut;
        }
        else
        {
            _window = RangeWindow(pixels);
        }
    }

    public VoiWindow Window => _window;

    public bool UsesVoiLut => _voiLut is not null;

    /// <summary>Renders to 8-bit (or 16-bit little-endian) grey in <paramref name="output"/>.</summary>
    public void Render(ReadOnlySpan<byte> pixels, Span<byte> output, bool sixteenBit)
    {
        var n = _format.PixelCount;
        if (!sixteenBit && _modalityLut is null && _voiLut is null && _window.Function == VoiLutFunction.Linear
            && _format.BytesPerSample <= 2 && _format.HighBit == _format.BitsStored - 1)
        {
            RenderLinear(pixels, output[..n]);
            return;
        }

        if (_format.BytesPerSample <= 2 && _format.BitsStored <= 16)
        {
            RenderThroughTable(pixels, output, sixteenBit);
            return;
        }

        var max = sixteenBit ? 65535 : 255;
        for (var i = 0; i < n; i++)
        {
            var v = Output(Stored(pixels, i), max);
            if (sixteenBit)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(output[(i * 2)..], (ushort)v);
            }
            else
            {
                output[i] = (byte)v;
            }
        }
    }

    /// <summary>The output grey level (0..<paramref name="max"/>) of one stored value, scalar reference of every path.</summary>
    public int Output(int stored, int max)
    {
        var modality = _modalityLut is not null ? _modalityLut[stored] : (stored * _slope) + _intercept;
        double y;
        if (_voiLut is not null)
        {
            y = (double)_voiLut[(int)Math.Round(modality)] / _voiLut.MaxValue;
        }
        else
        {
            var c = _window.Center;
            var w = _window.Width;
            y = _window.Function switch
            {
                VoiLutFunction.LinearExact => Math.Clamp(((modality - c) / Math.Max(w, 1e-6)) + 0.5, 0, 1),
                VoiLutFunction.Sigmoid => 1 / (1 + Math.Exp(-4 * (modality - c) / Math.Max(w, 1e-6))),
                _ => Math.Clamp(((modality - (c - 0.5)) / Math.Max(w - 1, 1e-6)) + 0.5, 0, 1),
            };
        }

        if (_invert)
        {
            y = 1 - y;
        }

        return (int)((y * max) + 0.5);
    }

    private void RenderThroughTable(ReadOnlySpan<byte> pixels, Span<byte> output, bool sixteenBit)
    {
        var bits = _format.BitsStored;
        var size = 1 << bits;
        var offset = _format.IsSigned ? -(size >> 1) : 0;
        var max = sixteenBit ? 65535 : 255;
        var table = ArrayPool<ushort>.Shared.Rent(size);
        try
        {
            for (var i = 0; i < size; i++)
            {
                table[i] = (ushort)Output(i + offset, max);
            }

            var n = _format.PixelCount;
            for (var i = 0; i < n; i++)
            {
                var v = table[Stored(pixels, i) - offset];
                if (sixteenBit)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(output[(i * 2)..], v);
                }
                else
                {
                    output[i] = (byte)v;
                }
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(table);
        }
    }

    // y = clamp(a·stored + b, 0, 255): the LINEAR window of C.11.2.1.2 folded with the rescale and any inversion.
    private void RenderLinear(ReadOnlySpan<byte> pixels, Span<byte> output)
    {
        var w1 = Math.Max(_window.Width - 1, 1e-6);
        var a = _slope / w1 * 255;
        var b = (((_intercept - (_window.Center - 0.5)) / w1) + 0.5) * 255;
        if (_invert)
        {
            a = -a;
            b = 255 - b;
        }

        b += 0.5;
        var n = _format.PixelCount;
        var bits = _format.BitsStored;
        if (_format.BytesPerSample == 1)
        {
            LinearBytes(pixels[..n], output, (float)a, (float)b, bits, _format.IsSigned);
        }
        else
        {
            LinearWords(MemoryMarshal.Cast<byte, ushort>(pixels[..(n * 2)]), output, (float)a, (float)b, bits, _format.IsSigned);
        }
    }

    private static void LinearWords(ReadOnlySpan<ushort> input, Span<byte> output, float a, float b, int bits, bool signed)
    {
        var shift = 16 - bits;
        var va = new Vector<float>(a);
        var vb = new Vector<float>(b);
        var zero = Vector<float>.Zero;
        var top = new Vector<float>(255.49f);
        var step = Vector<byte>.Count;
        var i = 0;
        var inputBytes = MemoryMarshal.Cast<ushort, byte>(input);
        for (; i + step <= input.Length; i += step)
        {
            var w0 = new Vector<ushort>(inputBytes[(i * 2)..]);
            var w1 = new Vector<ushort>(inputBytes[((i * 2) + (step))..]);
            var r0 = Words(w0, shift, signed, va, vb, zero, top);
            var r1 = Words(w1, shift, signed, va, vb, zero, top);
            Vector.Narrow(r0, r1).CopyTo(output[i..]);
        }

        for (; i < input.Length; i++)
        {
            int raw = input[i];
            var v = signed ? (short)(raw << shift) >> shift : (ushort)(raw << shift) >> shift;
            output[i] = (byte)Math.Clamp((a * v) + b, 0, 255.49f);
        }
    }

    private static Vector<ushort> Words(Vector<ushort> words, int shift, bool signed, Vector<float> a, Vector<float> b, Vector<float> zero, Vector<float> top)
    {
        Vector<int> lo, hi;
        if (signed)
        {
            var s = Vector.ShiftRightArithmetic(Vector.ShiftLeft(Vector.AsVectorInt16(words), shift), shift);
            Vector.Widen(s, out lo, out hi);
        }
        else
        {
            var u = Vector.ShiftRightLogical(Vector.ShiftLeft(words, shift), shift);
            Vector.Widen(u, out var ulo, out var uhi);
            lo = Vector.AsVectorInt32(ulo);
            hi = Vector.AsVectorInt32(uhi);
        }

        var flo = Vector.Min(Vector.Max((Vector.ConvertToSingle(lo) * a) + b, zero), top);
        var fhi = Vector.Min(Vector.Max((Vector.ConvertToSingle(hi) * a) + b, zero), top);
        return Vector.Narrow(Vector.AsVectorUInt32(Vector.ConvertToInt32(flo)), Vector.AsVectorUInt32(Vector.ConvertToInt32(fhi)));
    }

    private static void LinearBytes(ReadOnlySpan<byte> input, Span<byte> output, float a, float b, int bits, bool signed)
    {
        var shift = 8 - bits;
        for (var i = 0; i < input.Length; i++)
        {
            int raw = input[i];
            var v = signed ? (sbyte)(raw << shift) >> shift : (byte)(raw << shift) >> shift;
            output[i] = (byte)Math.Clamp((a * v) + b, 0, 255.49f);
        }
    }

    private int Stored(ReadOnlySpan<byte> pixels, int index)
    {
        var bits = _format.BitsStored;
        var lowBit = Math.Max(0, _format.HighBit + 1 - bits);
        long raw = _format.BytesPerSample switch
        {
            1 => pixels[index],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(pixels[(index * 2)..]),
            _ => BinaryPrimitives.ReadUInt32LittleEndian(pixels[(index * 4)..]),
        };
        raw = (raw >> lowBit) & ((1L << bits) - 1);
        if (_format.IsSigned && (raw & (1L << (bits - 1))) != 0)
        {
            raw -= 1L << bits;
        }

        return (int)raw;
    }

    private VoiWindow RangeWindow(ReadOnlySpan<byte> pixels)
    {
        var n = _format.PixelCount;
        if (n == 0)
        {
            return new VoiWindow(0, 1);
        }

        var min = int.MaxValue;
        var max = int.MinValue;
        for (var i = 0; i < n; i++)
        {
            var v = Stored(pixels, i);
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        double lo, hi;
        if (_modalityLut is not null)
        {
            lo = double.MaxValue;
            hi = double.MinValue;
            for (var v = min; v <= max; v++)
            {
                lo = Math.Min(lo, _modalityLut[v]);
                hi = Math.Max(hi, _modalityLut[v]);
            }
        }
        else
        {
            var a = (min * _slope) + _intercept;
            var b = (max * _slope) + _intercept;
            lo = Math.Min(a, b);
            hi = Math.Max(a, b);
        }

        return new VoiWindow(((lo + hi) / 2) + 0.5, hi - lo + 1);
    }

    private static VoiWindow? DatasetWindow(DicomDataset dataset, int index)
    {
        if (!dataset.TryGetString(DicomTag.WindowCenter, out var centers) || !dataset.TryGetString(DicomTag.WindowWidth, out var widths))
        {
            return null;
        }

        var c = centers.Split('\\');
        var w = widths.Split('\\');
        var k = Math.Min(index, Math.Min(c.Length, w.Length) - 1);
        if (k < 0
            || !double.TryParse(c[k].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var center)
            || !double.TryParse(w[k].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var width)
            || width <= 0)
        {
            return null;
        }

        var function = dataset.GetStringOrDefault(DicomTag.VOILUTFunction, string.Empty)?.Trim() switch
        {
            "LINEAR_EXACT" => VoiLutFunction.LinearExact,
            "SIGMOID" => VoiLutFunction.Sigmoid,
            _ => VoiLutFunction.Linear,
        };
        return new VoiWindow(center, width, function);
    }

    private static double Number(DicomDataset dataset, DicomTag tag, int index, double fallback) =>
        dataset.TryGetValue<double>(tag, index, out var v) && double.IsFinite(v) ? v : fallback;
}
