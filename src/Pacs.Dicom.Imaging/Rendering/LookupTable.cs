using System.Buffers.Binary;

namespace Pacs.Dicom.Imaging.Rendering;

/// <summary>
/// A LUT from a dataset (PS3.3 C.11.1/C.11.2/C.7.6.3.1.5): descriptor (entries, first mapped value, bits per entry) and data.
/// </summary>
internal sealed class LookupTable
{
    private LookupTable(int firstMapped, ushort[] entries, int bits)
    {
        FirstMapped = firstMapped;
        Entries = entries;
        Bits = bits;
    }

    public int FirstMapped { get; }

    public ushort[] Entries { get; }

    public int Bits { get; }

    public int MaxValue => (1 << Bits) - 1;

    public ushort this[int input] => Entries[Math.Clamp(input - FirstMapped, 0, Entries.Length - 1)];

    /// <summary>Reads a LUT from an item holding LUT Descriptor (0028,3002) and LUT Data (0028,3006).</summary>
    public static LookupTable? FromItem(DicomDataset item, bool signedInput) =>
        Read(item, DicomTag.LUTDescriptor, DicomTag.LUTData, null, signedInput);

    /// <summary>Reads one palette colour LUT, plain or segmented (C.7.9.2).</summary>
    public static LookupTable? Palette(DicomDataset dataset, DicomTag descriptor, DicomTag data, DicomTag segmented) =>
        Read(dataset, descriptor, data, segmented, signedInput: false);

    private static LookupTable? Read(DicomDataset dataset, DicomTag descriptorTag, DicomTag dataTag, DicomTag? segmentedTag, bool signedInput)
    {
        if (!dataset.TryGetElement(descriptorTag, out var descriptor) || descriptor.Value.Length < 6)
        {
            return null;
        }

        var d = descriptor.Value.Span;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(d);
        var firstRaw = BinaryPrimitives.ReadUInt16LittleEndian(d[2..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(d[4..]);
        if (count == 0)
        {
            count = 65536;
        }

        var first = signedInput ? (int)(short)firstRaw : firstRaw;
        bits = bits is >= 1 and <= 16 ? bits : 16;
        ushort[] entries;
        if (dataset.TryGetElement(dataTag, out var data) && data.Value.Length >= 2)
        {
            entries = ReadEntries(data.Value.Span, count, bits);
        }
        else if (segmentedTag is { } seg && dataset.TryGetElement(seg, out var segmented))
        {
            entries = ExpandSegments(segmented.Value.Span, count);
        }
        else
        {
            return null;
        }

        // Some writers declare 16 bits but fill 8 (or 12): trust the data when it never exceeds the smaller range.
        if (bits == 16)
        {
            var max = 0;
            foreach (var e in entries)
            {
                max = Math.Max(max, e);
            }

            if (max < 256 && entries.Length > 1 && segmentedTag is not null)
            {
                bits = 8;
            }
        }

        return new LookupTable(first, entries, bits);
    }

    private static ushort[] ReadEntries(ReadOnlySpan<byte> span, int count, int bits)
    {
        var entries = new ushort[count];
        if (bits <= 8 && span.Length >= count && span.Length < count * 2)
        {
            // 8-bit entries packed one a byte (OB or an odd writer).
            for (var i = 0; i < count; i++)
            {
                entries[i] = span[i];
            }

            return entries;
        }

        var available = Math.Min(count, span.Length / 2);
        for (var i = 0; i < available; i++)
        {
            entries[i] = BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 2)..]);
        }

        for (var i = available; i < count; i++)
        {
            entries[i] = available > 0 ? entries[available - 1] : (ushort)0;
        }

        return entries;
    }

    // Segmented palette (C.7.9.2): discrete (0), linear (1) and indirect (2) segments of 16-bit words.
    private static ushort[] ExpandSegments(ReadOnlySpan<byte> span, int count)
    {
        var words = new ushort[span.Length / 2];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 2)..]);
        }

        var output = new List<ushort>(count);
        Expand(words, 0, words.Length, output, count, depth: 0);
        var result = new ushort[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = output.Count == 0 ? (ushort)0 : output[Math.Min(i, output.Count - 1)];
        }

        return result;
    }

    private static void Expand(ushort[] words, int start, int end, List<ushort> output, int limit, int depth)
    {
        if (depth > 2)
        {
            throw new DicomException("Segmented palette indirection is nested too deeply.");
        }

        var p = start;
        while (p + 1 < end && output.Count < limit)
        {
            var type = words[p];
            int length = words[p + 1];
            switch (type)
            {
                case 0:
                    for (var i = 0; i < length && p + 2 + i < end; i++)
                    {
                        output.Add(words[p + 2 + i]);
                    }

                    p += 2 + length;
                    break;
                case 1:
                    if (p + 2 >= end || output.Count == 0)
                    {
                        throw new DicomException("Linear palette segment without a start value.");
                    }

                    double y0 = output[^1];
                    double y1 = words[p + 2];
                    for (var i = 1; i <= length; i++)
                    {
                        output.Add((ushort)Math.Round(y0 + ((y1 - y0) * i / length)));
                    }

                    p += 3;
                    break;
                case 2:
                    if (p + 3 >= end)
                    {
                        throw new DicomException("Indirect palette segment is truncated.");
                    }

                    var offset = words[p + 2] | (words[p + 3] << 16);
                    var segmentStart = 0;
                    for (var s = 0; s < offset && segmentStart + 1 < words.Length; s++)
                    {
                        segmentStart += words[segmentStart] == 1 ? 3 : words[segmentStart] == 2 ? 4 : 2 + words[segmentStart + 1];
                    }

                    var copy = Math.Min(length, 0xFFFF);
                    var p2 = segmentStart;
                    for (var k = 0; k < copy && p2 + 1 < words.Length; k++)
                    {
                        var next = words[p2] == 1 ? 3 : words[p2] == 2 ? 4 : 2 + words[p2 + 1];
                        Expand(words, p2, Math.Min(words.Length, p2 + next), output, limit, depth + 1);
                        p2 += next;
                    }

                    p += 4;
                    break;
                default:
                    throw new DicomException($"Unknown segmented palette segment type {type}.");
            }
        }
    }
}
