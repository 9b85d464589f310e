using System.Buffers.Binary;

namespace Pacs.Dicom.IO;

/// <summary>
/// Encoder output: headers and small values are copied into chunks, large values are referenced (in memory or lazily
/// in their source) so a dataset is never duplicated in memory. Lengths not known up front are patched afterwards.
/// </summary>
internal sealed class SegmentedOutput
{
    private const int ChunkSize = 64 * 1024;
    private const int InlineLimit = 8 * 1024;

    private readonly List<Segment> _segments = [];
    private Segment? _current;

    public long Position { get; private set; }

    public void WriteUInt16(ushort value, bool bigEndian)
    {
        var span = GetSpan(2);
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span, value);
        }

        Advance(2);
    }

    public void WriteUInt32(uint value, bool bigEndian)
    {
        var span = GetSpan(4);
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span, value);
        }

        Advance(4);
    }

    public void WriteByte(byte value)
    {
        GetSpan(1)[0] = value;
        Advance(1);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var n = Math.Min(bytes.Length, ChunkSize);
            bytes[..n].CopyTo(GetSpan(n));
            Advance(n);
            bytes = bytes[n..];
        }
    }

    /// <summary>Writes a value, referencing rather than copying it when large; <paramref name="swapUnit"/> above 1 swaps to big endian.</summary>
    public void WriteValue(ReadOnlyMemory<byte> value, int swapUnit)
    {
        if (swapUnit > 1)
        {
            var copy = value.ToArray();
            ByteSwap.InPlace(copy, swapUnit);
            value = copy;
        }

        if (value.Length <= InlineLimit)
        {
            Write(value.Span);
            return;
        }

        _segments.Add(new Segment { External = value, Start = Position });
        _current = null;
        Position += value.Length;
    }

    public void WriteLazy(DicomBulkDataReference reference, int swapUnit)
    {
        _segments.Add(new Segment { Lazy = reference, LazySwap = swapUnit, Start = Position });
        _current = null;
        Position += reference.Length;
    }

    /// <summary>Writes four placeholder bytes and returns their position for <see cref="PatchUInt32"/>.</summary>
    public long ReserveUInt32()
    {
        GetSpan(4).Clear();
        var at = Position;
        Advance(4);
        return at;
    }

    public void PatchUInt32(long position, uint value, bool bigEndian)
    {
        for (var i = _segments.Count - 1; i >= 0; i--)
        {
            var s = _segments[i];
            if (s.Chunk is not null && position >= s.Start && position < s.Start + s.Used)
            {
                var span = s.Chunk.AsSpan((int)(position - s.Start), 4);
                if (bigEndian)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(span, value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(span, value);
                }

                return;
            }
        }

        throw new InvalidOperationException("Patch position not found in the output.");
    }

    public void CopyTo(Stream stream)
    {
        foreach (var s in _segments)
        {
            if (s.Chunk is not null)
            {
                stream.Write(s.Chunk, 0, s.Used);
            }
            else if (s.Lazy is not null)
            {
                s.Lazy.CopyTo(stream, s.LazySwap);
            }
            else
            {
                stream.Write(s.External.Span);
            }
        }
    }

    public async Task CopyToAsync(Stream stream, CancellationToken cancellationToken)
    {
        foreach (var s in _segments)
        {
            if (s.Chunk is not null)
            {
                await stream.WriteAsync(s.Chunk.AsMemory(0, s.Used), cancellationToken).ConfigureAwait(false);
            }
            else if (s.Lazy is not null)
            {
                await s.Lazy.CopyToAsync(stream, s.LazySwap, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await stream.WriteAsync(s.External, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Span<byte> GetSpan(int count)
    {
        if (_current is null || _current.Used + count > _current.Chunk!.Length)
        {
            _current = new Segment { Chunk = new byte[Math.Max(ChunkSize, count)], Start = Position };
            _segments.Add(_current);
        }

        return _current.Chunk.AsSpan(_current.Used, count);
    }

    private void Advance(int count)
    {
        _current!.Used += count;
        Position += count;
    }

    private sealed class Segment
    {
        public byte[]? Chunk { get; init; }

        public int Used { get; set; }

        public long Start { get; init; }

        public ReadOnlyMemory<byte> External { get; init; }

        public DicomBulkDataReference? Lazy { get; init; }

        public int LazySwap { get; init; }
    }
}
