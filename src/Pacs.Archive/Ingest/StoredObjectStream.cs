using System.IO.Hashing;

namespace Pacs.Archive.Ingest;

/// <summary>
/// The bytes of a stored object, read once: a prefix (preamble, DICM, regenerated meta) then a window of the spooled
/// dataset. Hashes the dataset part as it hands it out — the <see cref="DatasetHash"/> the index records, both to verify the object later
/// and to recognise a resend (the meta is the archive's own and may name another sender) — so storing needs one pass.
/// </summary>
internal sealed class StoredObjectStream : Stream
{
    private readonly ReadOnlyMemory<byte> _prefix;
    private readonly Stream _dataset;
    private readonly long _datasetLength;
    private readonly XxHash128 _content = DatasetHash.CreateHasher();
    private long _position;

    public StoredObjectStream(ReadOnlyMemory<byte> prefix, Stream dataset, long datasetLength)
    {
        _prefix = prefix;
        _dataset = dataset;
        _datasetLength = datasetLength;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _prefix.Length + _datasetLength;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public bool IsComplete => _position == Length;

    public byte[] GetDatasetHash() => _content.GetHashAndReset();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position < _prefix.Length)
        {
            var n = (int)Math.Min(buffer.Length, _prefix.Length - _position);
            _prefix.Span.Slice((int)_position, n).CopyTo(buffer);
            return Advance(buffer[..n], content: false);
        }

        var remaining = Length - _position;
        if (remaining <= 0)
        {
            return 0;
        }

        var read = _dataset.Read(buffer[..(int)Math.Min(buffer.Length, remaining)]);
        EnsureProgress(read);
        return Advance(buffer[..read], content: true);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < _prefix.Length)
        {
            return Read(buffer.Span);
        }

        var remaining = Length - _position;
        if (remaining <= 0)
        {
            return 0;
        }

        var read = await _dataset.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remaining)], cancellationToken).ConfigureAwait(false);
        EnsureProgress(read);
        return Advance(buffer.Span[..read], content: true);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static void EnsureProgress(int read)
    {
        if (read == 0)
        {
            throw new EndOfStreamException("The spooled dataset ended before its announced length.");
        }
    }

    private int Advance(ReadOnlySpan<byte> bytes, bool content)
    {
        if (content)
        {
            _content.Append(bytes);
        }

        _position += bytes.Length;
        return bytes.Length;
    }
}
