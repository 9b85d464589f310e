using System.Buffers;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Association;

/// <summary>A PDU body read from the wire into a pooled buffer; disposing returns the buffer.</summary>
internal sealed class RawPdu : IDisposable
{
    private byte[]? _buffer;

    public RawPdu(PduType type, byte[] buffer, int length)
    {
        Type = type;
        _buffer = buffer;
        Length = length;
    }

    public PduType Type { get; }

    public int Length { get; }

    public ReadOnlySpan<byte> Body => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
