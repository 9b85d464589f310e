using System.Buffers;

namespace Pacs.Dicom.Text;

/// <summary>A growable byte buffer on pooled arrays, so that encoding allocates only its result.</summary>
internal ref struct PooledByteBuffer
{
    private byte[] array;
    private int length;

    public PooledByteBuffer(int capacity)
    {
        array = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 16));
        length = 0;
    }

    public void Add(byte b)
    {
        Reserve(1);
        array[length++] = b;
    }

    public void Add(scoped ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(array.AsSpan(length));
        length += bytes.Length;
    }

    public readonly byte[] ToArray() => array.AsSpan(0, length).ToArray();

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(array);
        array = [];
        length = 0;
    }

    private void Reserve(int count)
    {
        if (length + count <= array.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(array.Length * 2, length + count));
        array.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(array);
        array = larger;
    }
}
