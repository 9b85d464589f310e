using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Pacs.Dicom.Network.Association;
using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Server;

/// <summary>
/// Routes the requests of one SCP association to the application's handlers, each operation on its own task, and
/// answers with PS3.4/PS3.7 status codes; C-CANCEL cancels the running operation with that message ID.
/// </summary>
internal sealed partial class ServerDispatcher : IAssociationListener
{
    private readonly DicomAssociation _association;
    private readonly DicomServiceHandlers _handlers;
    private readonly DicomServerOptions _options;
    private readonly DicomAssociationInfo _info;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly ConcurrentDictionary<ushort, Operation> _operations = new();

    public ServerDispatcher(DicomAssociation association, DicomServiceHandlers handlers, DicomServerOptions options, ILogger logger, CancellationToken stopping)
    {
        _association = association;
        _handlers = handlers;
        _options = options;
        _logger = logger;
        _stopping = stopping;
        _info = new DicomAssociationInfo(association.CallingAETitle, association.CalledAETitle, association.RemoteEndPoint);
    }

    public bool HasOperationsInProgress => !_operations.IsEmpty;

    /// <summary>A C-STORE request goes straight to an operation that reads (or drains) its dataset at once.</summary>
    public bool ReadsDataSetDirectly(DicomCommand command) => command.CommandField == DicomCommandField.CStoreRequest;

    public Task WhenIdleAsync() => Task.WhenAll(_operations.Values.Select(o => o.Task));

    public async ValueTask OnMessageAsync(DimseMessage message, CancellationToken cancellationToken)
    {
        var command = message.Command;
        if (!command.IsRequest)
        {
            if (TryCompleteSubOperation(message))
            {
                return;
            }

            LogUnexpectedResponse(_info.CallingAETitle, command);

            // Drained off the read loop: the loop itself feeds the dataset, so awaiting it here would deadlock.
            _ = DisposeDataSetAsync(message);
            return;
        }

        if (command.CommandField == DicomCommandField.CCancelRequest)
        {
            if (_operations.TryGetValue(command.MessageIDBeingRespondedTo, out var running))
            {
                await running.Cancellation.CancelAsync().ConfigureAwait(false);
            }

            return;
        }

        if (command.CommandField == DicomCommandField.CEchoRequest && _handlers.Echo is null && message.DataSet is null && _operations.IsEmpty)
        {
            // Nothing to wait for and nothing else running (so no other sender holds the association's send lock):
            // answered from the read loop, without a hop to another thread — a C-ECHO is a latency probe.
            await AnswerEchoAsync(message).ConfigureAwait(false);
            return;
        }

        if (_operations.ContainsKey(command.MessageID))
        {
            // Only the read loop adds operations, so this check cannot race with another add.
            _ = RejectDuplicateAsync(message);
            return;
        }

        var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _operations[command.MessageID] = new Operation(RunAsync(message, gate.Task, cts.Token), cts);
        gate.SetResult();
    }

    private async Task AnswerEchoAsync(DimseMessage message)
    {
        try
        {
            await RespondAsync(message, DicomStatus.Success, _stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomNetworkException or IOException or OperationCanceledException)
        {
            LogOperationAbandoned(_info.CallingAETitle, message.Command, e.Message);
        }
    }

    /// <summary>PS3.7 C.5.7: a Message ID still in use by a running operation is a duplicate invocation.</summary>
    private async Task RejectDuplicateAsync(DimseMessage message)
    {
        try
        {
            await DisposeDataSetAsync(message).ConfigureAwait(false);
            await RespondAsync(message, DicomStatus.DuplicateInvocation, _stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomNetworkException or IOException or OperationCanceledException)
        {
            LogOperationAbandoned(_info.CallingAETitle, message.Command, e.Message);
        }
    }

    private async Task RunAsync(DimseMessage message, Task gate, CancellationToken cancellationToken)
    {
        await gate.ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            await DisposeDataSetAsync(message).ConfigureAwait(false);
            return;
        }

        var command = message.Command;
        try
        {
            if (command.CommandField is DicomCommandField.CFindRequest or DicomCommandField.CMoveRequest or DicomCommandField.CGetRequest)
            {
                // These answer with pending responses of their own before the final one.
                await QueryRetrieveAsync(message, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (IsNServiceRequest(command.CommandField))
            {
                await NServiceAsync(message, cancellationToken).ConfigureAwait(false);
                return;
            }

            var status = command.CommandField switch
            {
                DicomCommandField.CEchoRequest => await EchoAsync(cancellationToken).ConfigureAwait(false),
                DicomCommandField.CStoreRequest => await StoreAsync(message, cancellationToken).ConfigureAwait(false),
                _ => DicomStatus.UnrecognizedOperation,
            };
            await DisposeDataSetAsync(message).ConfigureAwait(false);
            await RespondAsync(message, status, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomNetworkException or IOException or OperationCanceledException)
        {
            // The association is gone (abort, transport loss, shutdown): there is no one to answer.
            LogOperationAbandoned(_info.CallingAETitle, command, e.Message);
            await DisposeDataSetAsync(message).ConfigureAwait(false);
        }
        finally
        {
            if (_operations.TryRemove(command.MessageID, out var operation))
            {
                operation.Cancellation.Dispose();
            }
        }
    }

    private async Task<DicomStatus> EchoAsync(CancellationToken cancellationToken) =>
        _handlers.Echo is { } echo ? await echo.OnEchoAsync(_info, cancellationToken).ConfigureAwait(false) : DicomStatus.Success;

    private async Task<DicomStatus> StoreAsync(DimseMessage message, CancellationToken cancellationToken)
    {
        var command = message.Command;
        if (_handlers.Store is not { } store)
        {
            return DicomStatus.SopClassNotSupported;
        }

        if (command.AffectedSOPClassUID != message.PresentationContext.AbstractSyntax)
        {
            // PS3.4 B.2.3: the SOP class must be that of the presentation context it is sent on.
            return DicomStatus.DataSetDoesNotMatchSopClass;
        }

        if (command.AffectedSOPInstanceUID is not { Length: > 0 } instance || message.DataSet is null)
        {
            return DicomStatus.CannotUnderstand;
        }

        var request = new DicomStoreRequest(_info, command.AffectedSOPClassUID, instance, message.PresentationContext.TransferSyntax!,
            command.MessageID, command.Priority, command.MoveOriginatorApplicationEntityTitle, command.MoveOriginatorMessageID);
        try
        {
            return await store.OnStoreAsync(request, message.DataSet, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (IOException or OperationCanceledException))
        {
            LogHandlerFailed(_info.CallingAETitle, command, e);
            return DicomStatus.ProcessingFailure;
        }
    }

    private async Task RespondAsync(DimseMessage message, DicomStatus status, CancellationToken cancellationToken)
    {
        var response = DicomCommand.Response(message.Command, status);
        await _association.SendAsync(message.PresentationContext.Id, response, (Stream?)null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads what is left of a dataset nobody wants, so the read loop's pipe never blocks on it.</summary>
    private static async Task DisposeDataSetAsync(DimseMessage message)
    {
        if (message.DataSet is { } dataSet)
        {
            try
            {
                await dataSet.CopyToAsync(Stream.Null).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The association ended inside the dataset; the read loop already logged why.
            }

            await dataSet.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Peer} sent an unsolicited response {Command}")]
    private partial void LogUnexpectedResponse(string peer, DicomCommand command);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Peer}: {Command} abandoned: {Reason}")]
    private partial void LogOperationAbandoned(string peer, DicomCommand command, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Peer}: handler for {Command} failed")]
    private partial void LogHandlerFailed(string peer, DicomCommand command, Exception exception);

    private sealed record Operation(Task Task, CancellationTokenSource Cancellation);
}
