using System.Buffers;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Association;

/// <summary>
/// Reads and writes whole PDUs on a transport stream (TCP or TLS). Reads check the declared length against the
/// limit for that PDU type before allocating, so a hostile length cannot make the process reserve memory.
/// </summary>
internal sealed class PduChannel : IAsyncDisposable
{
    /// <summary>Upper bound for A-ASSOCIATE-RQ/AC: generous for hundreds of presentation contexts, small enough to refuse a memory attack.</summary>
    public const uint MaxAssociatePduLength = 1024 * 1024;

    private const int ReadAheadLength = 16 * 1024;

    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _header = new byte[PduDecoder.HeaderLength];

    // Read-ahead for the small reads; only the one task that owns the read side at a time touches it.
    private readonly byte[] _readAhead = new byte[ReadAheadLength];
    private int _readAheadStart;
    private int _readAheadEnd;

    public PduChannel(Stream stream) => _stream = stream;

    /// <summary>
    /// The next PDU, or null when the peer closed the connection between PDUs. A connection closed inside a PDU is
    /// an <see cref="EndOfStreamException"/>; a bad type or length is a <see cref="DicomPduException"/>.
    /// </summary>
    public async ValueTask<RawPdu?> ReadAsync(uint maxDataPduLength, CancellationToken cancellationToken)
    {
        if (await ReadHeaderAsync(maxDataPduLength, cancellationToken).ConfigureAwait(false) is not { } header)
        {
            return null;
        }

        return await ReadBodyAsync(header.Type, header.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The next PDU header, its length checked against the limit for its type before anything is allocated; null when
    /// the peer closed the connection between PDUs.
    /// </summary>
    public async ValueTask<(PduType Type, uint Length)?> ReadHeaderAsync(uint maxDataPduLength, CancellationToken cancellationToken)
    {
        var n = 0;
        while (n < _header.Length)
        {
            var read = await ReadSomeAsync(_header.AsMemory(n), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (n == 0)
                {
                    return null;
                }

                throw new EndOfStreamException($"The connection closed inside a PDU header ({n} of 6 bytes).");
            }

            n += read;
        }

        var (type, length) = PduDecoder.ReadHeader(_header);
        var limit = type switch
        {
            PduType.DataTransfer => maxDataPduLength == 0 ? int.MaxValue : maxDataPduLength,
            PduType.AssociateRequest or PduType.AssociateAccept => MaxAssociatePduLength,
            _ => 4u,
        };
        if (length > limit)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{type} PDU length {length} exceeds the limit of {limit}.");
        }

        return (type, length);
    }

    /// <summary>Reads a whole PDU body whose header was just read into a pooled buffer.</summary>
    public async ValueTask<RawPdu> ReadBodyAsync(PduType type, uint length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max((int)length, 1));
        var pdu = new RawPdu(type, buffer, (int)length);
        try
        {
            await ReadExactlyAsync(buffer.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
            return pdu;
        }
        catch
        {
            pdu.Dispose();
            throw;
        }
    }

    /// <summary>Fills <paramref name="destination"/>; the connection closing first is an <see cref="EndOfStreamException"/>.</summary>
    public async ValueTask ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (destination.Length > 0)
        {
            var n = await ReadSomeAsync(destination, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException("The connection closed inside a PDU.");
            }

            destination = destination[n..];
        }
    }

    /// <summary>Reads and drops <paramref name="count"/> bytes (the rest of a dataset nobody reads).</summary>
    public async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        var scratch = ArrayPool<byte>.Shared.Rent(ReadAheadLength);
        try
        {
            while (count > 0)
            {
                var n = await ReadSomeAsync(scratch.AsMemory(0, (int)Math.Min(count, scratch.Length)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new EndOfStreamException("The connection closed inside a PDU.");
                }

                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Reads between 1 and <paramref name="destination"/>.Length bytes, 0 when the connection closed. Small reads (PDU
    /// and PDV headers, command sets) are served from one larger read of the transport; a large read with nothing
    /// pending goes straight from the socket into <paramref name="destination"/>, so a dataset lands where its consumer
    /// wants it without another copy.
    /// </summary>
    public ValueTask<int> ReadSomeAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_readAheadEnd > _readAheadStart)
        {
            var n = Math.Min(destination.Length, _readAheadEnd - _readAheadStart);
            _readAhead.AsSpan(_readAheadStart, n).CopyTo(destination.Span);
            _readAheadStart += n;
            return ValueTask.FromResult(n);
        }

        if (destination.Length >= ReadAheadLength)
        {
            return _stream.ReadAsync(destination, cancellationToken);
        }

        return FillAndReadAsync(destination, cancellationToken);
    }

    private async ValueTask<int> FillAndReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var filled = await _stream.ReadAsync(_readAhead, cancellationToken).ConfigureAwait(false);
        if (filled == 0)
        {
            return 0;
        }

        var n = Math.Min(destination.Length, filled);
        _readAhead.AsSpan(0, n).CopyTo(destination.Span);
        _readAheadStart = n;
        _readAheadEnd = filled;
        return n;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> pdu, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(pdu, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public ValueTask WriteAsync(DicomPdu pdu, CancellationToken cancellationToken) => WriteAsync(PduEncoder.Encode(pdu), cancellationToken);

    /// <summary>Waits for the peer to close (PS3.8 Sta13), discarding anything it still sends, up to the ARTIM timeout.</summary>
    public async Task DrainUntilClosedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (await _stream.ReadAsync(scratch, cts.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // ARTIM expired or the transport failed: either way the connection is closed next.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
    }
}
