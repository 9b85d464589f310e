using System.Buffers.Binary;

namespace Pacs.Dicom.Serialization;

/// <summary>
/// Encapsulated pixel data as one byte string, the way PS3.18 F.2.7 asks for the "Value Field" in InlineBinary: the
/// items (Basic Offset Table first, then each fragment) with their 8-byte item headers, without the sequence
/// delimiter. This is also what pydicom writes.
/// </summary>
internal static class DicomEncapsulatedValue
{
    private const ushort ItemGroup = 0xFFFE;
    private const ushort ItemElement = 0xE000;
    private const ushort SequenceDelimiterElement = 0xE0DD;

    public static long Length(DicomFragmentSequence sequence)
    {
        var length = 8L + sequence.BasicOffsetTableBytes.Length;
        foreach (var f in sequence.Fragments)
        {
            length += 8 + f.Length;
        }

        return length;
    }

    public static byte[] Encode(DicomFragmentSequence sequence)
    {
        var total = Length(sequence);
        if (total > Array.MaxLength)
        {
            throw new DicomException($"The encapsulated value of {sequence.Tag} is {total} bytes, too large to inline; use BulkDataURI.");
        }

        var bytes = new byte[total];
        var at = WriteItem(bytes, 0, sequence.BasicOffsetTableBytes.Span);
        foreach (var f in sequence.Fragments)
        {
            at = WriteItem(bytes, at, f.Data.Span);
        }

        return bytes;
    }

    /// <summary>
    /// Reads bytes back as items when they are exactly a chain of items (optionally closed by a sequence delimiter);
    /// false for anything else, which is then native pixel data.
    /// </summary>
    public static bool TryDecode(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes, out DicomFragmentSequence sequence)
    {
        sequence = null!;
        var span = bytes.Span;
        var items = new List<ReadOnlyMemory<byte>>();
        var at = 0;
        while (at < span.Length)
        {
            if (span.Length - at < 8 || BinaryPrimitives.ReadUInt16LittleEndian(span[at..]) != ItemGroup)
            {
                return false;
            }

            var element = BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 2)..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(span[(at + 4)..]);
            if (element == SequenceDelimiterElement && length == 0 && at + 8 == span.Length && items.Count > 0)
            {
                break;
            }

            if (element != ItemElement || length > (uint)(span.Length - at - 8))
            {
                return false;
            }

            items.Add(bytes.Slice(at + 8, (int)length));
            at += 8 + (int)length;
        }

        if (items.Count == 0)
        {
            return false;
        }

        sequence = new DicomFragmentSequence(tag, vr) { BasicOffsetTableBytes = items[0].ToArray() };
        for (var i = 1; i < items.Count; i++)
        {
            sequence.AddFragment(items[i].ToArray());
        }

        return true;
    }

    private static int WriteItem(byte[] destination, int at, ReadOnlySpan<byte> data)
    {
        var span = destination.AsSpan(at);
        BinaryPrimitives.WriteUInt16LittleEndian(span, ItemGroup);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], ItemElement);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)data.Length);
        data.CopyTo(span[8..]);
        return at + 8 + data.Length;
    }
}
