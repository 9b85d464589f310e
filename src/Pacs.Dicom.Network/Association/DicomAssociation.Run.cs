using Microsoft.Extensions.Logging;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Association;

public sealed partial class DicomAssociation
{
    /// <summary>
    /// The read loop: runs until the association is released, aborted or the transport closes. Protocol errors end
    /// as an A-ABORT with the PS3.8 reason and are logged; nothing the peer sends makes it throw.
    /// </summary>
    internal async Task RunAsync(IAssociationListener listener, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var token = linked.Token;
        Exception? failure = null;
        try
        {
            while (await ReadOneAsync(listener, token).ConfigureAwait(false))
            {
            }
        }
        catch (DicomPduException e)
        {
            failure = e;
            LogProtocolError(CallingAETitle, e.Reason, e.Message);
            await OnInvalidPduAsync(e.Reason).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ObjectDisposedException)
        {
            failure = e;
            LogTransportClosed(CallingAETitle, e.Message);
            FireIfAllowed(AssociationEvent.TransportClosed);
        }
        catch (OperationCanceledException e)
        {
            failure = e;
            if (!_closing.IsCancellationRequested)
            {
                await AbortAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _assembler.Fail(failure ?? new DicomNetworkException("The association ended."));
            await _channel.DisposeAsync().ConfigureAwait(false);
            _completion.TrySetResult();
        }
    }

    /// <summary>Reads and handles one PDU; false when the association is over.</summary>
    private async Task<bool> ReadOneAsync(IAssociationListener listener, CancellationToken token)
    {
        (PduType Type, uint Length)? header;
        using (var idle = CancellationTokenSource.CreateLinkedTokenSource(token))
        {
            if (_timeouts.Idle > TimeSpan.Zero)
            {
                idle.CancelAfter(_timeouts.Idle);
            }

            try
            {
                header = await _channel.ReadHeaderAsync(LocalMaxPduLength, idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                // The idle limit only applies when nothing is in progress: a long C-MOVE legitimately keeps the peer quiet.
                if (listener.HasOperationsInProgress)
                {
                    return true;
                }

                LogIdleTimeout(CallingAETitle, _timeouts.Idle);
                await AbortAsync().ConfigureAwait(false);
                return false;
            }
        }

        if (header is not { } received)
        {
            var action = FireIfAllowed(AssociationEvent.TransportClosed);
            if (action is AssociationAction.AA4)
            {
                LogTransportClosed(CallingAETitle, "closed by the peer without release");
            }

            return false;
        }

        var (type, length) = received;
        if (type == PduType.DataTransfer)
        {
            return await OnDataAsync(length, listener, token).ConfigureAwait(false);
        }

        using var pdu = await ReadBodyAsync(type, length, token).ConfigureAwait(false);
        switch (type)
        {
            case PduType.ReleaseRequest:
                PduDecoder.Decode(pdu.Type, pdu.Body);
                return await OnReleaseRequestAsync(listener).ConfigureAwait(false);
            case PduType.ReleaseResponse:
                PduDecoder.Decode(pdu.Type, pdu.Body);
                return await OnReleaseResponseAsync().ConfigureAwait(false);
            case PduType.Abort:
                var abort = (AAbort)PduDecoder.Decode(pdu.Type, pdu.Body);
                Fire(AssociationEvent.AbortReceived);
                LogAbortReceived(CallingAETitle, abort.Source, abort.Reason);
                return false;
            default:
                var evt = pdu.Type switch
                {
                    PduType.AssociateAccept => AssociationEvent.AssociateAcceptReceived,
                    PduType.AssociateReject => AssociationEvent.AssociateRejectReceived,
                    _ => AssociationEvent.AssociateRequestReceived,
                };
                return await OnUnexpectedAsync(evt, pdu.Type).ConfigureAwait(false);
        }
    }

    /// <summary>The body of a PDU other than P-DATA-TF, read whole; the peer stalling inside it counts as idle.</summary>
    private async Task<RawPdu> ReadBodyAsync(PduType type, uint length, CancellationToken token)
    {
        using var stall = StallLimit(token);
        try
        {
            return await _channel.ReadBodyAsync(type, length, stall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            throw Stalled();
        }
    }

    /// <summary>
    /// A P-DATA-TF, read PDV by PDV as it arrives: PDV headers and command fragments by the loop, dataset fragments by
    /// whoever consumes the dataset (see <see cref="MessageAssembler"/>), so a PDU is never held whole.
    /// </summary>
    private async Task<bool> OnDataAsync(uint length, IAssociationListener listener, CancellationToken token)
    {
        var action = Fire(AssociationEvent.DataReceived);
        if (action is AssociationAction.AA6)
        {
            await _channel.SkipAsync(length, token).ConfigureAwait(false);
            return true;
        }

        if (action is not (AssociationAction.DT2 or AssociationAction.AR6))
        {
            await PerformAbortActionAsync(action, AbortReason.UnexpectedPdu).ConfigureAwait(false);
            return false;
        }

        if (length == 0)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, "A P-DATA-TF holds no PDV.");
        }

        // The stall limit covers reads off the connection, not waits for a consumer taking its time: it is armed again
        // for every PDV, and replaced if it ran out while the consumer had the connection.
        var stall = StallLimit(token);
        try
        {
            var remaining = length;
            while (remaining > 0)
            {
                DimseMessage? message;
                try
                {
                    var (id, control, dataLength) = await ReadPdvHeaderAsync(remaining, stall.Token).ConfigureAwait(false);
                    remaining -= (uint)dataLength + PdvHeaderLength;
                    message = await _assembler.AddAsync(id, (control & 1) != 0, (control & 2) != 0, dataLength, _channel, listener.ReadsDataSetDirectly,
                        stall.Token, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    throw Stalled();
                }

                if (stall.IsCancellationRequested)
                {
                    stall.Dispose();
                    stall = StallLimit(token);
                }
                else if (_timeouts.Idle > TimeSpan.Zero)
                {
                    stall.CancelAfter(_timeouts.Idle);
                }

                if (message is not null)
                {
                    LogMessageReceived(CallingAETitle, message.Command, message.PresentationContext.Id);
                    await listener.OnMessageAsync(message, token).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            stall.Dispose();
        }

        return true;
    }

    /// <summary>A PDV item header (PS3.8 9.3.5.1): its length must leave room for the 2 header bytes and fit the PDU.</summary>
    private async Task<(byte Id, byte Control, int DataLength)> ReadPdvHeaderAsync(uint remainingInPdu, CancellationToken token)
    {
        if (remainingInPdu < PdvHeaderLength)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"PDV item length is invalid ({remainingInPdu} bytes left in the P-DATA-TF).");
        }

        await _channel.ReadExactlyAsync(_pdvHeader, token).ConfigureAwait(false);
        var itemLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(_pdvHeader);
        if (itemLength < 2 || itemLength > remainingInPdu - 4)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"PDV item length {itemLength} is invalid ({remainingInPdu - 4} bytes left in the P-DATA-TF).");
        }

        var control = _pdvHeader[5];
        if ((control & 0xFC) != 0)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"PDV message control header 0x{control:X2} has reserved bits set.");
        }

        return (_pdvHeader[4], control, (int)itemLength - 2);
    }

    private CancellationTokenSource StallLimit(CancellationToken token)
    {
        var stall = CancellationTokenSource.CreateLinkedTokenSource(token);
        if (_timeouts.Idle > TimeSpan.Zero)
        {
            stall.CancelAfter(_timeouts.Idle);
        }

        return stall;
    }

    private DicomPduException Stalled() =>
        new(AbortReason.NotSpecified, $"The peer sent nothing for {_timeouts.Idle} inside a PDU.");

    private async Task<bool> OnReleaseRequestAsync(IAssociationListener listener)
    {
        var action = Fire(AssociationEvent.ReleaseRequestReceived);
        switch (action)
        {
            case AssociationAction.AR2:
                // Sta8: operations still running may keep sending (AR-7) until they finish.
                await listener.WhenIdleAsync().ConfigureAwait(false);
                Fire(AssociationEvent.LocalReleaseResponse);
                await _channel.WriteAsync(new AReleaseRp(), CancellationToken.None).ConfigureAwait(false);
                LogReleased(CallingAETitle);
                await _channel.DrainUntilClosedAsync(_timeouts.Artim).ConfigureAwait(false);
                FireIfAllowed(AssociationEvent.TransportClosed);
                return false;
            case AssociationAction.AR8:
                // Release collision (PS3.8 9.2.3 note): the requestor answers first.
                if (IsRequestor)
                {
                    Fire(AssociationEvent.LocalReleaseResponse);
                    await _channel.WriteAsync(new AReleaseRp(), CancellationToken.None).ConfigureAwait(false);
                }

                return true;
            case AssociationAction.AA6:
                return true;
            default:
                await PerformAbortActionAsync(action, AbortReason.UnexpectedPdu).ConfigureAwait(false);
                return false;
        }
    }

    private async Task<bool> OnReleaseResponseAsync()
    {
        var action = Fire(AssociationEvent.ReleaseResponseReceived);
        switch (action)
        {
            case AssociationAction.AR3:
                LogReleased(CalledAETitle);
                return false;
            case AssociationAction.AR10:
                Fire(AssociationEvent.LocalReleaseResponse);
                await _channel.WriteAsync(new AReleaseRp(), CancellationToken.None).ConfigureAwait(false);
                await _channel.DrainUntilClosedAsync(_timeouts.Artim).ConfigureAwait(false);
                return false;
            case AssociationAction.AA6:
                return true;
            default:
                await PerformAbortActionAsync(action, AbortReason.UnexpectedPdu).ConfigureAwait(false);
                return false;
        }
    }

    private async Task<bool> OnUnexpectedAsync(AssociationEvent evt, PduType type)
    {
        var action = Fire(evt);
        LogUnexpectedPdu(CallingAETitle, type, State);
        if (action is AssociationAction.AA6)
        {
            return true;
        }

        await PerformAbortActionAsync(action, AbortReason.UnexpectedPdu).ConfigureAwait(false);
        return false;
    }

    private async Task OnInvalidPduAsync(AbortReason reason)
    {
        var action = FireIfAllowed(AssociationEvent.InvalidPduReceived);
        if (action is not null)
        {
            await PerformAbortActionAsync(action.Value, reason).ConfigureAwait(false);
        }
    }

    /// <summary>AA-1, AA-7 and AA-8 send an A-ABORT and wait (ARTIM) for the peer to close.</summary>
    private async Task PerformAbortActionAsync(AssociationAction action, AbortReason reason)
    {
        var source = action == AssociationAction.AA1 ? AbortSource.ServiceUser : AbortSource.ServiceProvider;
        if (action is AssociationAction.AA1 or AssociationAction.AA7 or AssociationAction.AA8)
        {
            await TrySendAbortAsync(source, action == AssociationAction.AA1 ? AbortReason.NotSpecified : reason).ConfigureAwait(false);
            await _channel.DrainUntilClosedAsync(_timeouts.Artim).ConfigureAwait(false);
            FireIfAllowed(AssociationEvent.TransportClosed);
        }
    }

    private AssociationAction Fire(AssociationEvent evt)
    {
        lock (_stateLock)
        {
            return _fsm.Fire(evt);
        }
    }

    private AssociationAction? FireIfAllowed(AssociationEvent evt)
    {
        lock (_stateLock)
        {
            return _fsm.CanFire(evt) ? _fsm.Fire(evt) : null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association with {Peer}: protocol error ({Reason}): {Detail}; aborting")]
    private partial void LogProtocolError(string peer, AbortReason reason, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Association with {Peer}: transport closed: {Detail}")]
    private partial void LogTransportClosed(string peer, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association with {Peer}: idle for {Idle}; aborting")]
    private partial void LogIdleTimeout(string peer, TimeSpan idle);

    [LoggerMessage(Level = LogLevel.Information, Message = "Association with {Peer}: A-ABORT received (source {Source}, reason {Reason})")]
    private partial void LogAbortReceived(string peer, AbortSource source, AbortReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association with {Peer}: unexpected {Type} PDU in state {State}; aborting")]
    private partial void LogUnexpectedPdu(string peer, PduType type, AssociationState state);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Association with {Peer}: received {Command} on context {ContextId}")]
    private partial void LogMessageReceived(string peer, Dimse.DicomCommand command, byte contextId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Association with {Peer} released")]
    private partial void LogReleased(string peer);
}
