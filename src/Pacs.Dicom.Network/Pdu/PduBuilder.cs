using System.Buffers.Binary;
using System.Text;

namespace Pacs.Dicom.Network.Pdu;

/// <summary>Builds big-endian PDU bytes, patching item lengths once their content is written.</summary>
internal sealed class PduBuilder
{
    private byte[] _buffer = new byte[256];

    public int Position { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Position);

    public void Byte(byte value) => Take(1)[0] = value;

    public void UInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), value);

    public void UInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);

    public void Zeros(int count) => Take(count).Clear();

    public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Take(value.Length));

    public void Ascii(string value) => Bytes(Encoding.ASCII.GetBytes(value));

    /// <summary>An AE title field: 16 bytes, space padded (PS3.8 Table 9-11).</summary>
    public void AETitle(string value)
    {
        if (value.Length > DicomNetworkConstants.AETitleLength)
        {
            throw new DicomException($"AE title '{value}' is longer than 16 characters.");
        }

        Ascii(value.PadRight(DicomNetworkConstants.AETitleLength));
    }

    /// <summary>Reserves a 2-byte length (items) and returns where the content starts.</summary>
    public int BeginItem(byte type)
    {
        Byte(type);
        Byte(0);
        UInt16(0);
        return Position;
    }

    public void EndItem(int contentStart)
    {
        var length = Position - contentStart;
        if (length > ushort.MaxValue)
        {
            throw new DicomException("A PDU item is longer than 65535 bytes.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(Span(contentStart - 2, 2), (ushort)length);
    }

    /// <summary>An item whose whole content is one ASCII string (UIDs, version names).</summary>
    public void StringItem(byte type, string value)
    {
        var start = BeginItem(type);
        Ascii(value);
        EndItem(start);
    }

    /// <summary>A 2-byte length then the ASCII string, as in role selection and extended negotiation.</summary>
    public void ShortString(string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length > ushort.MaxValue)
        {
            throw new DicomException("A PDU field is longer than 65535 bytes.");
        }

        UInt16((ushort)bytes.Length);
        Bytes(bytes);
    }

    public void ShortBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new DicomException("A PDU field is longer than 65535 bytes.");
        }

        UInt16((ushort)value.Length);
        Bytes(value);
    }

    public int BeginPdu(PduType type)
    {
        Byte((byte)type);
        Byte(0);
        UInt32(0);
        return Position;
    }

    public void EndPdu(int contentStart) =>
        BinaryPrimitives.WriteUInt32BigEndian(Span(contentStart - 4, 4), (uint)(Position - contentStart));

    public byte[] ToArray() => WrittenSpan.ToArray();

    private Span<byte> Span(int offset, int length) => _buffer.AsSpan(offset, length);

    private Span<byte> Take(int count)
    {
        if (Position + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Position + count));
        }

        var span = _buffer.AsSpan(Position, count);
        Position += count;
        return span;
    }
}
