using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Pacs.Web.Hosting;

/// <summary>
/// Memory for Kestrel's connection pipes in 64 KB blocks instead of 4 KB: the transport reads from the socket into one
/// block at a time, so a 26 MB STOW-RS body took about 13,000 receive calls (a sixth of the server's time during the
/// upload), and about 900 with these blocks. Blocks live on the pinned object heap (the socket reads into them) and
/// are reused; at most <see cref="RetainedBlocks"/> wait unused.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;
    private const int RetainedBlocks = 256;

    private readonly ConcurrentBag<byte[]> _free = [];
    private int _freeCount;
    private bool _disposed;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_free.TryTake(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
        }
        else
        {
            block = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
        }

        return new Block(this, block);
    }

    private void Return(byte[] block)
    {
        if (!_disposed && Interlocked.Increment(ref _freeCount) <= RetainedBlocks)
        {
            _free.Add(block);
        }
        else
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _free.Clear();
    }

    private sealed class Block(LargeBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } returned)
            {
                pool.Return(returned);
            }
        }
    }
}

/// <summary>Gives Kestrel's transports <see cref="LargeBlockMemoryPool"/>s.</summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
