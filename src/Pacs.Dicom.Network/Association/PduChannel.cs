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

    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _header = new byte[PduDecoder.HeaderLength];

    public PduChannel(Stream stream) => _stream = stream;

    /// <summary>
    /// The next PDU, or null when the peer closed the connection between PDUs. A connection closed inside a PDU is
    /// an <see cref="EndOfStreamException"/>; a bad type or length is a <see cref="DicomPduException"/>.
    /// </summary>
    public async ValueTask<RawPdu?> ReadAsync(uint maxDataPduLength, CancellationToken cancellationToken)
    {
        var n = await _stream.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            return null;
        }

        if (n < _header.Length)
        {
            throw new EndOfStreamException($"The connection closed inside a PDU header ({n} of 6 bytes).");
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

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max((int)length, 1));
        var pdu = new RawPdu(type, buffer, (int)length);
        try
        {
            await _stream.ReadExactlyAsync(buffer.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
            return pdu;
        }
        catch
        {
            pdu.Dispose();
            throw;
        }
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
