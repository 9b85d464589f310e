using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Pacs.Archive.Storage;

/// <summary>
/// Reusable write buffers aligned for <c>O_DIRECT</c> (<see cref="Alignment"/>-byte address and length). They live on the
/// pinned object heap, so their address never moves, and are reused: touching fresh memory is what made page-cache
/// writes expensive in the first place.
/// </summary>
internal sealed class AlignedBufferPool(int bufferSize = AlignedBufferPool.DefaultBufferSize, int retained = 32)
{
    /// <summary>Satisfies every block device's logical block size (512 or 4,096 bytes) and the page size.</summary>
    public const int Alignment = 4096;

    public const int DefaultBufferSize = 1024 * 1024;

    private readonly ConcurrentBag<AlignedBuffer> _free = [];
    private int _freeCount;

    public int BufferSize { get; } = bufferSize % Alignment == 0 && bufferSize > 0
        ? bufferSize
        : throw new ArgumentOutOfRangeException(nameof(bufferSize), $"A multiple of {Alignment} bytes.");

    /// <summary>Set once a file system refused <c>O_DIRECT</c>: later files are written through the page cache without asking again.</summary>
    public bool DirectUnsupported { get; set; }

    public AlignedBuffer Rent()
    {
        if (_free.TryTake(out var buffer))
        {
            Interlocked.Decrement(ref _freeCount);
            return buffer;
        }

        var array = GC.AllocateUninitializedArray<byte>(BufferSize + Alignment, pinned: true);
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
        var offset = (int)((Alignment - (address % Alignment)) % Alignment);
        return new AlignedBuffer(array, offset, BufferSize);
    }

    public void Return(AlignedBuffer buffer)
    {
        if (Interlocked.Increment(ref _freeCount) <= retained)
        {
            _free.Add(buffer);
        }
        else
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }
}

/// <summary>A slice of a pinned array that starts on an <see cref="AlignedBufferPool.Alignment"/> boundary.</summary>
internal sealed class AlignedBuffer(byte[] array, int offset, int length)
{
    public int Length => length;

    public Span<byte> Span => array.AsSpan(offset, length);

    public Memory<byte> Memory => array.AsMemory(offset, length);
}
