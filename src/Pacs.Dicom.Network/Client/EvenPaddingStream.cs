using Pacs.Dicom.IO;

namespace Pacs.Dicom.Network.Client;

/// <summary>
/// Reads an inner stream and then one NUL byte: PS3.5 A.5 pads an odd-length deflated bit stream to even length,
/// and peers reject odd-length datasets on the wire.
/// </summary>
internal sealed class EvenPaddingStream : ForwardReadStream
{
    private readonly Stream _inner;
    private bool _padded;

    public EvenPaddingStream(Stream inner) => _inner = inner;

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        return n > 0 || buffer.Length == 0 ? n : Pad(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return n > 0 || buffer.Length == 0 ? n : Pad(buffer.Span);
    }

    private int Pad(Span<byte> buffer)
    {
        if (_padded)
        {
            return 0;
        }

        _padded = true;
        buffer[0] = 0;
        return 1;
    }
}
