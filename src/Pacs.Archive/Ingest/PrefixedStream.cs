namespace Pacs.Archive.Ingest;

/// <summary>A seekable read-only view of <c>prefix</c> followed by <c>length</c> bytes of <c>inner</c> from <c>start</c> (not owned).</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner, long start, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => prefix.Length + length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= Length || buffer.Length == 0)
        {
            return 0;
        }

        int n;
        if (_position < prefix.Length)
        {
            n = (int)Math.Min(buffer.Length, prefix.Length - _position);
            prefix.Span.Slice((int)_position, n).CopyTo(buffer);
        }
        else
        {
            inner.Position = start + (_position - prefix.Length);
            n = inner.Read(buffer[..(int)Math.Min(buffer.Length, Length - _position)]);
        }

        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < prefix.Length || _position >= Length || buffer.Length == 0)
        {
            return Read(buffer.Span);
        }

        inner.Position = start + (_position - prefix.Length);
        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Length - _position)], cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
