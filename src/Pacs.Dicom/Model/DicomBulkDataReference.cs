namespace Pacs.Dicom;

/// <summary>Somewhere bulk data values can be read back from after parsing (a file, a seekable stream).</summary>
public interface IDicomBulkDataSource
{
    /// <summary>The file path when the source is a file, so that bulk data URIs can point at it; otherwise null.</summary>
    string? Path { get; }

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes at an absolute offset; returns the count read.</summary>
    int Read(long offset, Span<byte> destination);

    ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken);
}

/// <summary>
/// A value that was left in its source instead of being loaded (see DicomReadOptions.BulkDataThreshold).
/// The bytes in the source are in the source's byte order; <see cref="SwapUnitSize"/> tells how to bring them to little endian.
/// </summary>
public sealed class DicomBulkDataReference
{
    private const int CopyChunkSize = 1 << 20;

    public DicomBulkDataReference(IDicomBulkDataSource source, long offset, long length, int swapUnitSize = 1)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Source = source;
        Offset = offset;
        Length = length;
        SwapUnitSize = swapUnitSize < 1 ? 1 : swapUnitSize;
    }

    public IDicomBulkDataSource Source { get; }

    /// <summary>Absolute offset of the value's first byte in the source.</summary>
    public long Offset { get; }

    public long Length { get; }

    /// <summary>1 when the stored bytes are already little endian; 2, 4 or 8 when they are big endian words of that size.</summary>
    public int SwapUnitSize { get; }

    /// <summary>Reads the whole value into memory, in little endian byte order.</summary>
    public byte[] Load()
    {
        var buffer = AllocateWhole();
        var done = 0;
        while (done < buffer.Length)
        {
            var n = Source.Read(Offset + done, buffer.AsSpan(done));
            if (n <= 0)
            {
                throw Truncated(done);
            }

            done += n;
        }

        ByteSwap.InPlace(buffer, SwapUnitSize);
        return buffer;
    }

    public async Task<byte[]> LoadAsync(CancellationToken cancellationToken = default)
    {
        var buffer = AllocateWhole();
        var done = 0;
        while (done < buffer.Length)
        {
            var n = await Source.ReadAsync(Offset + done, buffer.AsMemory(done), cancellationToken).ConfigureAwait(false);
            if (n <= 0)
            {
                throw Truncated(done);
            }

            done += n;
        }

        ByteSwap.InPlace(buffer, SwapUnitSize);
        return buffer;
    }

    /// <summary>Streams the value to <paramref name="destination"/> in chunks, swapped to words of <paramref name="targetSwapUnitSize"/> when above 1 (big endian output).</summary>
    public async Task CopyToAsync(Stream destination, int targetSwapUnitSize = 1, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[(int)Math.Min(CopyChunkSize, Math.Max(Length, 1))];
        long done = 0;
        while (done < Length)
        {
            var want = (int)Math.Min(buffer.Length, Length - done);
            var filled = 0;
            while (filled < want)
            {
                var n = await Source.ReadAsync(Offset + done + filled, buffer.AsMemory(filled, want - filled), cancellationToken).ConfigureAwait(false);
                if (n <= 0)
                {
                    throw Truncated(done + filled);
                }

                filled += n;
            }

            ConvertChunk(buffer.AsSpan(0, want), targetSwapUnitSize);
            await destination.WriteAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            done += want;
        }
    }

    /// <summary>Synchronous form of <see cref="CopyToAsync"/>.</summary>
    public void CopyTo(Stream destination, int targetSwapUnitSize = 1)
    {
        var buffer = new byte[(int)Math.Min(CopyChunkSize, Math.Max(Length, 1))];
        long done = 0;
        while (done < Length)
        {
            var want = (int)Math.Min(buffer.Length, Length - done);
            var filled = 0;
            while (filled < want)
            {
                var n = Source.Read(Offset + done + filled, buffer.AsSpan(filled, want - filled));
                if (n <= 0)
                {
                    throw Truncated(done + filled);
                }

                filled += n;
            }

            ConvertChunk(buffer.AsSpan(0, want), targetSwapUnitSize);
            destination.Write(buffer, 0, want);
            done += want;
        }
    }

    public override string ToString() => $"{Source.Path ?? "stream"}@{Offset}+{Length}";

    private void ConvertChunk(Span<byte> chunk, int targetSwapUnitSize)
    {
        // The chunk size is a multiple of 8, so word boundaries never straddle chunks.
        ByteSwap.InPlace(chunk, SwapUnitSize);
        ByteSwap.InPlace(chunk, targetSwapUnitSize);
    }

    private byte[] AllocateWhole()
    {
        if (Length > Array.MaxLength)
        {
            throw new DicomException($"The bulk data value at offset {Offset} is {Length} bytes, too large to load into memory; stream it with CopyToAsync.");
        }

        return new byte[Length];
    }

    private DicomException Truncated(long at) =>
        new($"The bulk data source ended {at} bytes into a value of {Length} bytes at offset {Offset}.");
}
