using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Pacs.Archive.Storage;

/// <summary>
/// A stored object opened for reading: positioned reads (<c>pread</c>) on the caller's thread (a page-cache copy far
/// more often than a disk wait), a small pooled buffer
/// for small reads, larger reads straight into the caller's memory.
/// </summary>
/// <remarks>
/// Why not <see cref="FileStream"/>: on Linux its asynchronous reads hop to another thread-pool thread for every call,
/// and its buffer is allocated per open (128 KB landed on the large object heap for every object a C-MOVE or a
/// WADO-RS retrieve sent, and background collections followed). Objects are immutable, so the length is read once.
/// </remarks>
internal sealed class BlobFileStream(SafeFileHandle file) : SynchronousStream
{
    private const int BufferSize = 16 * 1024;

    /// <summary>
    /// Reads of this size or more go straight into the caller's memory: a C-MOVE to a peer with 16 KB PDUs reads
    /// fragments just under <see cref="BufferSize"/>, and copying each through the buffer cost a copy and a second pread.
    /// </summary>
    private const int DirectReadSize = 4 * 1024;

    private readonly long _length = RandomAccess.GetLength(file);
    private byte[]? _buffer;
    private long _bufferStart;
    private int _bufferLength;
    private long _position;

    public override bool CanRead => !file.IsClosed;

    public override bool CanSeek => !file.IsClosed;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(file.IsClosed, this);
        if (buffer.IsEmpty || _position >= _length)
        {
            return 0;
        }

        if (_buffer is null || _position < _bufferStart || _position >= _bufferStart + _bufferLength)
        {
            if (buffer.Length >= DirectReadSize)
            {
                var direct = RandomAccess.Read(file, buffer, _position);
                _position += direct;
                return direct;
            }

            _buffer ??= ArrayPool<byte>.Shared.Rent(BufferSize);
            _bufferStart = _position;
            _bufferLength = RandomAccess.Read(file, _buffer.AsSpan(0, BufferSize), _position);
            if (_bufferLength == 0)
            {
                return 0;
            }
        }

        var offset = (int)(_position - _bufferStart);
        var n = Math.Min(buffer.Length, _bufferLength - offset);
        _buffer.AsSpan(offset, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
            if (_buffer is { } buffer)
            {
                _buffer = null;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        base.Dispose(disposing);
    }
}
