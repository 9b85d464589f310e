using System.Buffers.Binary;
using System.Text;

namespace Pacs.Dicom.Network.Pdu;

/// <summary>Bounds-checked big-endian reads over a PDU body: running past the end is a malformed PDU, never an index exception.</summary>
internal ref struct PduReader
{
    private readonly ReadOnlySpan<byte> _data;

    public PduReader(ReadOnlySpan<byte> data) => _data = data;

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    public readonly bool AtEnd => Position == _data.Length;

    public byte Byte() => Take(1)[0];

    public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public void Skip(int count) => Take(count);

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"A PDU field of {count} bytes runs past the end of its PDU or item ({Remaining} bytes left).");
        }

        var span = _data.Slice(Position, count);
        Position += count;
        return span;
    }

    /// <summary>An item header (type, reserved, 2-byte length) and the item's content.</summary>
    public ReadOnlySpan<byte> Item(out byte type)
    {
        type = Byte();
        Skip(1);
        var length = UInt16();
        return Take(length);
    }

    /// <summary>A 2-byte length then that many bytes.</summary>
    public ReadOnlySpan<byte> ShortBytes() => Take(UInt16());

    public string ShortUid() => Uid(ShortBytes());

    /// <summary>
    /// A UID field: ASCII, at most 64 characters once a trailing NUL pad is removed (PS3.8 9.3.2.2.1, PS3.5 9.1).
    /// The syntax of the digits is not checked so that a peer's slightly wrong private UIDs still negotiate.
    /// </summary>
    public static string Uid(ReadOnlySpan<byte> value)
    {
        var text = Ascii(value).TrimEnd('\0', ' ');
        if (text.Length is 0 or > 64)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"A UID field has {text.Length} characters (1 to 64 allowed).");
        }

        return text;
    }

    public static string Ascii(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b >= 0x7F || (b < 0x20 && b != 0))
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, "A PDU text field holds a non-printable or non-ASCII byte.");
            }
        }

        return Encoding.ASCII.GetString(value);
    }
}
