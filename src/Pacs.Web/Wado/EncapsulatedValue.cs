using System.Buffers.Binary;
using Pacs.Dicom;

namespace Pacs.Web.Wado;

/// <summary>
/// The bulk data of encapsulated pixel data: the item stream as it is encoded in the object (offset table item, then
/// each fragment with its item header; no sequence delimiter), the representation the JSON writer uses inline too.
/// </summary>
public static class EncapsulatedValue
{
    public static byte[] Encode(DicomFragmentSequence sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var length = 8L + sequence.BasicOffsetTableBytes.Length + sequence.Fragments.Sum(f => 8 + f.Length);
        var result = new byte[length];
        var position = WriteItem(result, 0, sequence.BasicOffsetTableBytes.Span);
        foreach (var fragment in sequence.Fragments)
        {
            position = WriteItem(result, position, fragment.Data.Span);
        }

        return result;
    }

    private static int WriteItem(byte[] target, int position, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(target.AsSpan(position), 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(target.AsSpan(position + 2), 0xE000);
        BinaryPrimitives.WriteUInt32LittleEndian(target.AsSpan(position + 4), (uint)value.Length);
        value.CopyTo(target.AsSpan(position + 8));
        return position + 8 + value.Length;
    }
}
