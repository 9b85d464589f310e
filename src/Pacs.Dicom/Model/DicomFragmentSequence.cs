using System.Buffers.Binary;
using System.Collections.ObjectModel;

namespace Pacs.Dicom;

/// <summary>
/// Encapsulated pixel data (PS3.5 A.4): a Basic Offset Table item followed by fragments, always written
/// with undefined length. Frames are located through the Extended Offset Table, the Basic Offset Table,
/// or (without either) one frame per fragment, or all fragments for a single frame.
/// </summary>
public sealed class DicomFragmentSequence : DicomItem
{
    public DicomFragmentSequence(DicomTag tag, DicomVR vr = DicomVR.OB)
        : base(tag)
    {
        VR = vr;
    }

    public override DicomVR VR { get; }

    /// <summary>The raw Basic Offset Table item value (little endian), empty when the table is empty.</summary>
    public ReadOnlyMemory<byte> BasicOffsetTableBytes { get; set; } = ReadOnlyMemory<byte>.Empty;

    public Collection<DicomFragment> Fragments { get; } = [];

    /// <summary>The Basic Offset Table as offsets of each frame's first fragment, relative to the first fragment's item tag.</summary>
    public IReadOnlyList<uint> BasicOffsetTable
    {
        get
        {
            var span = BasicOffsetTableBytes.Span;
            var result = new uint[span.Length / 4];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = BinaryPrimitives.ReadUInt32LittleEndian(span[(i * 4)..]);
            }

            return result;
        }
    }

    public void SetBasicOffsetTable(IReadOnlyList<uint> offsets)
    {
        var bytes = new byte[offsets.Count * 4];
        for (var i = 0; i < offsets.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), offsets[i]);
        }

        BasicOffsetTableBytes = bytes;
    }

    public void AddFragment(ReadOnlyMemory<byte> data) => Fragments.Add(new DicomFragment(data));

    /// <summary>Reads (7FE0,0001)/(7FE0,0002) of <paramref name="dataset"/>; false when either is absent or they disagree in count.</summary>
    public static bool TryGetExtendedOffsetTable(DicomDataset dataset, out ulong[] offsets, out ulong[] lengths)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        offsets = [];
        lengths = [];
        if (!dataset.TryGetElement(DicomTag.ExtendedOffsetTable, out var o) || !dataset.TryGetElement(DicomTag.ExtendedOffsetTableLengths, out var l))
        {
            return false;
        }

        offsets = ReadUInt64s(o.Value.Span);
        lengths = ReadUInt64s(l.Value.Span);
        return offsets.Length == lengths.Length && offsets.Length > 0;
    }

    /// <summary>Writes the Extended Offset Table pair (VR OV) into <paramref name="dataset"/>.</summary>
    public static void SetExtendedOffsetTable(DicomDataset dataset, IReadOnlyList<ulong> offsets, IReadOnlyList<ulong> lengths)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (offsets.Count != lengths.Count)
        {
            throw new DicomException("The Extended Offset Table needs one length per offset.");
        }

        dataset.AddOrUpdate(new DicomElement(DicomTag.ExtendedOffsetTable, DicomVR.OV, WriteUInt64s(offsets)));
        dataset.AddOrUpdate(new DicomElement(DicomTag.ExtendedOffsetTableLengths, DicomVR.OV, WriteUInt64s(lengths)));
    }

    /// <summary>
    /// The encoded bytes of one frame. <paramref name="owner"/> supplies the Extended Offset Table when present.
    /// </summary>
    public byte[] GetFrame(int frameIndex, int numberOfFrames, DicomDataset? owner = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frameIndex, Math.Max(numberOfFrames, 1));

        if (owner is not null && TryGetExtendedOffsetTable(owner, out var eotOffsets, out _) && frameIndex < eotOffsets.Length)
        {
            var eotEnd = frameIndex + 1 < eotOffsets.Length ? checked((long)eotOffsets[frameIndex + 1]) : long.MaxValue;
            return Slice(checked((long)eotOffsets[frameIndex]), eotEnd);
        }

        var bot = BasicOffsetTable;
        if (bot.Count > frameIndex && bot.Count == numberOfFrames)
        {
            var end = frameIndex + 1 < bot.Count ? bot[frameIndex + 1] : long.MaxValue;
            return Slice(bot[frameIndex], end);
        }

        if (numberOfFrames <= 1)
        {
            return Concat(0, Fragments.Count);
        }

        if (Fragments.Count == numberOfFrames)
        {
            return Concat(frameIndex, 1);
        }

        throw new DicomException($"Cannot locate frame {frameIndex}: {Fragments.Count} fragments for {numberOfFrames} frames and no usable offset table.");
    }

    public override DicomItem Clone()
    {
        var copy = new DicomFragmentSequence(Tag, VR) { BasicOffsetTableBytes = BasicOffsetTableBytes.ToArray() };
        foreach (var f in Fragments)
        {
            copy.Fragments.Add(f.Clone());
        }

        return copy;
    }

    public override string ToString() => $"{Tag} {DicomVRInfo.ToString(VR)} [{Fragments.Count} fragments]";

    // Both offset tables give the position of the frame's first Item tag counted from the first fragment's
    // Item tag (PS3.5 A.4), so item headers (8 bytes each) are part of the positions walked here.
    private byte[] Slice(long start, long end)
    {
        using var output = new MemoryStream();
        long position = 0;
        foreach (var f in Fragments)
        {
            if (position >= start && position < end)
            {
                var data = f.Data.Span;
                output.Write(data);
            }

            position += 8 + f.Length;
        }

        return output.ToArray();
    }

    private byte[] Concat(int first, int count)
    {
        using var output = new MemoryStream();
        for (var i = first; i < first + count; i++)
        {
            output.Write(Fragments[i].Data.Span);
        }

        return output.ToArray();
    }

    private static ulong[] ReadUInt64s(ReadOnlySpan<byte> span)
    {
        var result = new ulong[span.Length / 8];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = BinaryPrimitives.ReadUInt64LittleEndian(span[(i * 8)..]);
        }

        return result;
    }

    private static byte[] WriteUInt64s(IReadOnlyList<ulong> values)
    {
        var bytes = new byte[values.Count * 8];
        for (var i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }
}
