using System.Buffers;
using System.Buffers.Binary;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Association;

public sealed partial class DicomAssociation
{
    /// <summary>PDU header (6) + PDV item length (4) + context ID (1) + message control header (1).</summary>
    private const int PduAndPdvHeaderLength = 12;

    /// <summary>
    /// How many bytes of consecutive PDUs one transport write may carry: a peer with 16 KB PDUs (DCMTK's default) would
    /// otherwise cost a send call, and on loopback the whole TCP path, per 16 KB.
    /// </summary>
    private const int CoalescedWriteLength = 256 * 1024;

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
    /// Consecutive PDUs go to the transport together, up to <see cref="CoalescedWriteLength"/> bytes per write.
    /// </summary>
    public async Task SendAsync(byte presentationContextId, DicomCommand command, Stream? dataSet, CancellationToken cancellationToken = default)
    {
        if (!_contexts.TryGetValue(presentationContextId, out var pc) || !pc.IsAccepted)
        {
            throw new DicomNetworkException($"Presentation context {presentationContextId} was not accepted.");
        }

        command.HasDataSet = dataSet is not null;
        var maxData = MaxPdvDataLength();
        var frame = PduAndPdvHeaderLength + maxData;
        // One byte more than whole frames: a dataset fragment is read together with the first byte of the next.
        var capacity = frame * Math.Max(1, CoalescedWriteLength / frame) + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        var pending = new PendingPdus(buffer, capacity);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var commandBytes = command.Encode();
            for (var offset = 0; offset < commandBytes.Length; offset += maxData)
            {
                await pending.MakeRoomAsync(frame, _channel, cancellationToken).ConfigureAwait(false);
                var length = Math.Min(maxData, commandBytes.Length - offset);
                commandBytes.AsSpan(offset, length).CopyTo(buffer.AsSpan(pending.Filled + PduAndPdvHeaderLength));
                AddPdv(pending, presentationContextId, length, isCommand: true, isLast: offset + length == commandBytes.Length);
            }

            if (dataSet is not null)
            {
                await AddDataSetAsync(pending, presentationContextId, maxData, dataSet, cancellationToken).ConfigureAwait(false);
            }

            await pending.FlushAsync(_channel, cancellationToken).ConfigureAwait(false);
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
    /// Streams the dataset one PDV per PDU. The last-fragment bit needs to know the stream has ended, without trusting a
    /// Length the stream may not have: each fragment is read together with the first byte of the next one (read into
    /// where the next PDU header goes, and carried over), so there is one read per fragment, of a full fragment's size
    /// (which a file-backed stream serves straight from the page cache into the PDU).
    /// </summary>
    private async Task AddDataSetAsync(PendingPdus pending, byte contextId, int maxData, Stream dataSet, CancellationToken cancellationToken)
    {
        var buffer = pending.Buffer;
        byte next = 0;
        var carried = 0;
        while (true)
        {
            await pending.MakeRoomAsync(PduAndPdvHeaderLength + maxData + 1, _channel, cancellationToken).ConfigureAwait(false);
            var data = pending.Filled + PduAndPdvHeaderLength;
            if (carried == 1)
            {
                buffer[data] = next;
            }

            var wanted = maxData + 1 - carried;
            var n = carried + await dataSet.ReadAtLeastAsync(buffer.AsMemory(data + carried, wanted), wanted, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var isLast = n <= maxData;
            if (!isLast)
            {
                // The next fragment's first byte, before the next PDU header overwrites it.
                next = buffer[data + maxData];
                n = maxData;
            }

            AddPdv(pending, contextId, n, isCommand: false, isLast);
            if (isLast)
            {
                return;
            }

            carried = 1;
        }
    }

    /// <summary>Frames the PDV whose data is already in place after the pending PDUs.</summary>
    private void AddPdv(PendingPdus pending, byte contextId, int dataLength, bool isCommand, bool isLast)
    {
        lock (_stateLock)
        {
            if (!_fsm.CanFire(AssociationEvent.LocalDataRequest))
            {
                throw new DicomNetworkException($"Cannot send data: the association is in state {_fsm.State}.");
            }

            _fsm.Fire(AssociationEvent.LocalDataRequest);
        }

        var span = pending.Buffer.AsSpan(pending.Filled);
        span[0] = (byte)PduType.DataTransfer;
        span[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)(dataLength + 6));
        BinaryPrimitives.WriteUInt32BigEndian(span[6..], (uint)(dataLength + 2));
        span[10] = contextId;
        span[11] = new PresentationDataValue(contextId, isCommand, isLast, default).MessageControlHeader;
        pending.Filled += PduAndPdvHeaderLength + dataLength;
    }

    /// <summary>Whole PDUs waiting in one buffer to be written to the transport together.</summary>
    private sealed class PendingPdus(byte[] buffer, int capacity)
    {
        public byte[] Buffer => buffer;

        public int Filled { get; set; }

        public async ValueTask MakeRoomAsync(int frame, PduChannel channel, CancellationToken cancellationToken)
        {
            if (Filled + frame > capacity)
            {
                await FlushAsync(channel, cancellationToken).ConfigureAwait(false);
            }
        }

        public async ValueTask FlushAsync(PduChannel channel, CancellationToken cancellationToken)
        {
            if (Filled > 0)
            {
                await channel.WriteAsync(buffer.AsMemory(0, Filled), cancellationToken).ConfigureAwait(false);
                Filled = 0;
            }
        }
    }

    /// <summary>The peer's maximum PDU length minus the PDV item header, capped by this side's send limit.</summary>
    private int MaxPdvDataLength()
    {
        var peer = PeerMaxPduLength;
        var limit = peer == 0 || peer > _timeouts.MaxSendPduLength ? _timeouts.MaxSendPduLength : peer;
        return (int)Math.Max(limit, 64) - 6;
    }
}
