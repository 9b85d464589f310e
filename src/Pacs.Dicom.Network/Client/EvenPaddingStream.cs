namespace Pacs.Dicom.Network.Client;

/// <summary>
/// Reads an inner stream and then one NUL byte: PS3.5 A.5 pads an odd-length deflated bit stream to even length,
/// and peers reject odd-length datasets on the wire.
/// </summary>
internal sealed class EvenPaddingStream : Stream
{
    private readonly Stream _inner;
    private bool _padded;

    public EvenPaddingStream(Stream inner) => _inner = inner;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

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

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

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
