using System.Buffers.Binary;
using System.IO.Compression;

namespace Pacs.Dicom.IO;

/// <summary>
/// Part 10 reading: optional preamble, File Meta Information (group lengths ignored, since they are sometimes wrong),
/// transfer syntax from the meta or sniffed from the first element, then the dataset.
/// </summary>
internal static class DicomFileReader
{
    public static DicomFile Read(ByteSource source, DicomReadOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return ReadCore(source, options, cancellationToken);
        }
        catch (Exception ex) when (ex is not DicomException and not OperationCanceledException and not OutOfMemoryException)
        {
            throw new DicomException($"Invalid DICOM data near offset {SafePosition(source)}: {ex.Message}", ex);
        }
    }

    internal static long SafePosition(ByteSource source)
    {
        try
        {
            return source.Position;
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
    }

    private static DicomFile ReadCore(ByteSource source, DicomReadOptions options, CancellationToken cancellationToken)
    {
        byte[]? preamble = null;
        var hasMeta = false;
        if (source.Ensure(132) && source.Peek(132)[128..].SequenceEqual("DICM"u8))
        {
            preamble = source.Peek(128).ToArray();
            source.Skip(132);
            hasMeta = true;
        }
        else if (source.Ensure(4) && source.Peek(4).SequenceEqual("DICM"u8))
        {
            source.Skip(4);
            hasMeta = true;
        }
        else if (source.Ensure(4) && BinaryPrimitives.ReadUInt16LittleEndian(source.Peek(2)) == 0x0002)
        {
            hasMeta = true;
        }

        if (!source.Ensure(1) && !hasMeta)
        {
            throw new DicomException("The input is empty.");
        }

        var meta = new DicomDataset();
        var parser = new DicomParser(source, options) { CancellationToken = cancellationToken };
        if (hasMeta)
        {
            parser.ReadMeta(meta);
        }

        DicomTransferSyntax? declared = null;
        if (meta.TryGetString(DicomTag.TransferSyntaxUID, out var uid) && uid.Trim().Length > 0)
        {
            declared = DicomTransferSyntax.Parse(uid.Trim());
        }

        var dataset = new DicomDataset();
        if (declared is { IsDeflated: true })
        {
            using var inflated = Inflate(source, options);
            var inner = new DicomParser(inflated, options, " in the inflated dataset") { CancellationToken = cancellationToken };
            inner.ReadDataset(dataset, explicitVR: true, bigEndian: false);
            return new DicomFile(meta, dataset, declared) { Preamble = preamble ?? new byte[128] };
        }

        var (explicitVR, bigEndian) = declared is null ? Sniff(source) : (declared.IsExplicitVR, declared.IsBigEndian);
        if (declared is not null && source.Ensure(6))
        {
            // The meta sometimes lies about the encoding (pydicom checks the same way): a VR must stand at bytes 4-5
            // of the first element in explicit VR, and cannot in implicit VR unless the length happens to spell one.
            var head = source.Peek(6);
            var vrPresent = DicomVRInfo.TryParse(head[4], head[5], out _);
            if (explicitVR != vrPresent)
            {
                explicitVR = vrPresent;
            }
        }

        parser.ReadDataset(dataset, explicitVR, bigEndian);
        var ts = declared ?? (explicitVR
            ? (bigEndian ? DicomTransferSyntax.ExplicitVRBigEndian : DicomTransferSyntax.ExplicitVRLittleEndian)
            : DicomTransferSyntax.ImplicitVRLittleEndian);
        return new DicomFile(meta, dataset, ts) { Preamble = preamble ?? new byte[128] };
    }

    /// <summary>Guesses the encoding of a dataset without meta from its first element.</summary>
    internal static (bool ExplicitVR, bool BigEndian) Sniff(ByteSource source)
    {
        if (!source.Ensure(6))
        {
            return (false, false);
        }

        var head = source.Peek(6);

        // Groups below 0x0100 are the rule at the start of a dataset: a zero first byte means big endian.
        var bigEndian = head[0] == 0 && head[1] != 0;
        var explicitVR = DicomVRInfo.TryParse(head[4], head[5], out _);
        return (explicitVR, bigEndian);
    }

    private static MemoryByteSource Inflate(ByteSource source, DicomReadOptions options)
    {
        var remaining = source.Remaining;
        if (remaining > Array.MaxLength)
        {
            throw new DicomException("The deflated dataset is too large.");
        }

        var compressed = source.ReadValue((int)remaining, 1);
        var offset = 0;

        // A zlib header (RFC 1950) instead of raw deflate is a known writer mistake; skip it.
        var span = compressed.Span;
        if (span.Length >= 2 && (span[0] & 0x0F) == 8 && ((span[0] << 8) | span[1]) % 31 == 0)
        {
            offset = 2;
        }

        using var input = new ReadOnlyMemoryStream(compressed[offset..]);
        using var deflate = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        try
        {
            int n;
            while ((n = deflate.Read(buffer, 0, buffer.Length)) > 0)
            {
                output.Write(buffer, 0, n);
                if (output.Length > options.MaxInflatedLength)
                {
                    throw new DicomException($"The deflated dataset inflates beyond {options.MaxInflatedLength} bytes.");
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new DicomException($"The deflated dataset is corrupt: {ex.Message}", ex);
        }

        return new MemoryByteSource(output.GetBuffer().AsMemory(0, (int)output.Length), copyValues: false);
    }

    /// <summary>A read-only stream over memory without copying it.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, data.Length - _position);
            data.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
