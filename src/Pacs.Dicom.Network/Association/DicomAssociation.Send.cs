using System.Buffers;
using System.Buffers.Binary;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Association;

public sealed partial class DicomAssociation
{
    /// <summary>PDU header (6) + PDV item length (4) + context ID (1) + message control header (1).</summary>
    private const int PduAndPdvHeaderLength = 12;

    /// <summary>Sends a message whose dataset (if any) is already in memory, in the context's transfer syntax.</summary>
    public Task SendAsync(byte presentationContextId, DicomCommand command, ReadOnlyMemory<byte> dataSet, CancellationToken cancellationToken = default)
    {
        if (!command.HasDataSet)
        {
            return SendAsync(presentationContextId, command, (Stream?)null, cancellationToken);
        }

        return SendMemoryAsync(presentationContextId, command, dataSet, cancellationToken);
    }

    /// <summary>
    /// Sends one message: the command, then the dataset read from <paramref name="dataSet"/> (already in the context's
    /// transfer syntax), fragmented into PDVs that fit the peer's maximum PDU length. Messages never interleave.
    /// </summary>
    public async Task SendAsync(byte presentationContextId, DicomCommand command, Stream? dataSet, CancellationToken cancellationToken = default)
    {
        if (!_contexts.TryGetValue(presentationContextId, out var pc) || !pc.IsAccepted)
        {
            throw new DicomNetworkException($"Presentation context {presentationContextId} was not accepted.");
        }

        command.HasDataSet = dataSet is not null;
        var maxData = MaxPdvDataLength();
        var buffer = ArrayPool<byte>.Shared.Rent(PduAndPdvHeaderLength + maxData);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var commandBytes = command.Encode();
            for (var offset = 0; offset < commandBytes.Length; offset += maxData)
            {
                var length = Math.Min(maxData, commandBytes.Length - offset);
                commandBytes.AsSpan(offset, length).CopyTo(buffer.AsSpan(PduAndPdvHeaderLength));
                await SendPdvAsync(buffer, presentationContextId, length, isCommand: true, isLast: offset + length == commandBytes.Length, cancellationToken).ConfigureAwait(false);
            }

            if (dataSet is not null)
            {
                await SendDataSetAsync(buffer, presentationContextId, maxData, dataSet, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendLock.Release();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendMemoryAsync(byte presentationContextId, DicomCommand command, ReadOnlyMemory<byte> dataSet, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(dataSet.ToArray(), writable: false);
        await SendAsync(presentationContextId, command, stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams the dataset one PDV per PDU. The last-fragment bit needs to know the stream has ended, so one byte is
    /// read ahead after each full fragment instead of trusting a Length the stream may not have.
    /// </summary>
    private async Task SendDataSetAsync(byte[] buffer, byte contextId, int maxData, Stream dataSet, CancellationToken cancellationToken)
    {
        var lookahead = new byte[1];
        var carried = 0;
        while (true)
        {
            if (carried == 1)
            {
                buffer[PduAndPdvHeaderLength] = lookahead[0];
            }

            var n = carried + await dataSet.ReadAtLeastAsync(buffer.AsMemory(PduAndPdvHeaderLength + carried, maxData - carried), maxData - carried, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var isLast = n < maxData || await dataSet.ReadAsync(lookahead, cancellationToken).ConfigureAwait(false) == 0;
            await SendPdvAsync(buffer, contextId, n, isCommand: false, isLast, cancellationToken).ConfigureAwait(false);
            if (isLast)
            {
                return;
            }

            carried = 1;
        }
    }

    private async Task SendPdvAsync(byte[] buffer, byte contextId, int dataLength, bool isCommand, bool isLast, CancellationToken cancellationToken)
    {
        lock (_stateLock)
        {
            if (!_fsm.CanFire(AssociationEvent.LocalDataRequest))
            {
                throw new DicomNetworkException($"Cannot send data: the association is in state {_fsm.State}.");
            }

            _fsm.Fire(AssociationEvent.LocalDataRequest);
        }

        var span = buffer.AsSpan();
        span[0] = (byte)PduType.DataTransfer;
        span[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)(dataLength + 6));
        BinaryPrimitives.WriteUInt32BigEndian(span[6..], (uint)(dataLength + 2));
        span[10] = contextId;
        span[11] = new PresentationDataValue(contextId, isCommand, isLast, default).MessageControlHeader;
        await _channel.WriteAsync(buffer.AsMemory(0, PduAndPdvHeaderLength + dataLength), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The peer's maximum PDU length minus the PDV item header, capped by this side's send limit.</summary>
    private int MaxPdvDataLength()
    {
        var peer = PeerMaxPduLength;
        var limit = peer == 0 || peer > _timeouts.MaxSendPduLength ? _timeouts.MaxSendPduLength : peer;
        return (int)Math.Max(limit, 64) - 6;
    }
}
