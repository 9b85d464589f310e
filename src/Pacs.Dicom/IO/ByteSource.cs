using System.Buffers;

namespace Pacs.Dicom.IO;

/// <summary>
/// What the parser reads from: a window over the input with absolute positions. Values come back in little endian
/// byte order (swapped from big endian when asked).
/// </summary>
internal abstract class ByteSource : IDisposable
{
    public abstract long Position { get; }

    /// <summary>Total bytes in the input.</summary>
    public abstract long Length { get; }

    public long Remaining => Length - Position;

    /// <summary>Where lazy values can be re-read from, or null when values must be loaded.</summary>
    public IDicomBulkDataSource? BulkSource { get; init; }

    /// <summary>Makes <paramref name="count"/> bytes (at most a few dozen) available to <see cref="Peek"/>; false at end of input.</summary>
    public abstract bool Ensure(int count);

    public abstract ReadOnlySpan<byte> Peek(int count);

    public abstract void Skip(long count);

    /// <summary>Reads a value of <paramref name="length"/> bytes, swapping words of <paramref name="swapUnit"/> bytes when above 1.</summary>
    public abstract ReadOnlyMemory<byte> ReadValue(int length, int swapUnit);

    public virtual void Dispose()
    {
    }
}

/// <summary>Input already in memory; values are slices of it unless copying is requested (caller-owned buffers).</summary>
internal sealed class MemoryByteSource(ReadOnlyMemory<byte> data, bool copyValues) : ByteSource
{
    private int _position;

    public override long Position => _position;

    public override long Length => data.Length;

    public override bool Ensure(int count) => data.Length - _position >= count;

    public override ReadOnlySpan<byte> Peek(int count) => data.Span.Slice(_position, count);

    public override void Skip(long count) => _position = checked((int)(_position + count));

    public override ReadOnlyMemory<byte> ReadValue(int length, int swapUnit)
    {
        var slice = data.Slice(_position, length);
        _position += length;
        if (swapUnit > 1 && length >= swapUnit)
        {
            var copy = slice.ToArray();
            ByteSwap.InPlace(copy, swapUnit);
            return copy;
        }

        return copyValues && length > 0 ? slice.ToArray() : slice;
    }
}

/// <summary>
/// A seekable stream read through a large pooled buffer; small values are carved out of shared chunks so that a
/// header parse allocates little.
/// </summary>
internal sealed class StreamByteSource : ByteSource
{
    private const int BufferSize = 256 * 1024;
    private const int ArenaChunkSize = 64 * 1024;
    private const int ArenaMaxValue = 2048;

    private readonly Stream _stream;
    private readonly long _length;
    private byte[] _buffer;
    private long _bufferStart;
    private int _bufferLength;
    private int _bufferPosition;
    private byte[]? _arena;
    private int _arenaUsed;

    public StreamByteSource(Stream stream)
    {
        _stream = stream;
        _length = stream.Length;
        _bufferStart = stream.Position;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public override long Position => _bufferStart + _bufferPosition;

    public override long Length => _length;

    /// <summary>Fills the buffer asynchronously so that a header parse usually needs no further (synchronous) reads.</summary>
    public async Task PrefillAsync(CancellationToken cancellationToken)
    {
        while (_bufferLength < _buffer.Length)
        {
            var n = await _stream.ReadAsync(_buffer.AsMemory(_bufferLength), cancellationToken).ConfigureAwait(false);
            if (n <= 0)
            {
                break;
            }

            _bufferLength += n;
        }
    }

    public override bool Ensure(int count)
    {
        if (_bufferLength - _bufferPosition >= count)
        {
            return true;
        }

        var kept = _bufferLength - _bufferPosition;
        Buffer.BlockCopy(_buffer, _bufferPosition, _buffer, 0, kept);
        _bufferStart += _bufferPosition;
        _bufferPosition = 0;
        _bufferLength = kept;
        while (_bufferLength < count)
        {
            var n = _stream.Read(_buffer, _bufferLength, _buffer.Length - _bufferLength);
            if (n <= 0)
            {
                return false;
            }

            _bufferLength += n;
        }

        return true;
    }

    public override ReadOnlySpan<byte> Peek(int count) => _buffer.AsSpan(_bufferPosition, count);

    public override void Skip(long count)
    {
        var available = _bufferLength - _bufferPosition;
        if (count <= available)
        {
            _bufferPosition += (int)count;
            return;
        }

        var target = Position + count;
        _stream.Seek(target, SeekOrigin.Begin);
        _bufferStart = target;
        _bufferPosition = 0;
        _bufferLength = 0;
    }

    public override ReadOnlyMemory<byte> ReadValue(int length, int swapUnit)
    {
        Memory<byte> target;
        if (length <= ArenaMaxValue)
        {
            if (_arena is null || _arenaUsed + length > _arena.Length)
            {
                _arena = new byte[ArenaChunkSize];
                _arenaUsed = 0;
            }

            target = _arena.AsMemory(_arenaUsed, length);
            _arenaUsed += length;
        }
        else
        {
            target = GC.AllocateUninitializedArray<byte>(length);
        }

        var span = target.Span;
        var fromBuffer = Math.Min(length, _bufferLength - _bufferPosition);
        _buffer.AsSpan(_bufferPosition, fromBuffer).CopyTo(span);
        _bufferPosition += fromBuffer;
        if (fromBuffer < length)
        {
            // The rest goes straight from the stream into the value, bypassing the buffer.
            _stream.ReadExactly(span[fromBuffer..]);
            _bufferStart = _stream.Position;
            _bufferPosition = 0;
            _bufferLength = 0;
        }

        if (swapUnit > 1)
        {
            ByteSwap.InPlace(span, swapUnit);
        }

        return target;
    }

    public override void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        base.Dispose();
    }
}

/// <summary>Lazy values of a file, re-read by path so no handle stays open.</summary>
internal sealed class FileBulkDataSource(string path) : IDicomBulkDataSource
{
    public string? Path => path;

    public int Read(long offset, Span<byte> destination)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return RandomAccess.Read(handle, destination, offset);
    }

    public async ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        return await RandomAccess.ReadAsync(handle, destination, offset, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Lazy values of a caller's seekable stream; the caller keeps the stream open while values are needed.</summary>
#pragma warning disable CA1001 // The semaphore's wait handle is never requested, so it holds nothing that needs disposing.
internal sealed class StreamBulkDataSource(Stream stream) : IDicomBulkDataSource
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string? Path => (stream as FileStream)?.Name;

    public int Read(long offset, Span<byte> destination)
    {
        _gate.Wait();
        try
        {
            stream.Seek(offset, SeekOrigin.Begin);
            return stream.Read(destination);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            stream.Seek(offset, SeekOrigin.Begin);
            return await stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
#pragma warning restore CA1001
