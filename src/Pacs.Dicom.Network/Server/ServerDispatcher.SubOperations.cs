using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Pacs.Dicom.Network.Association;
using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Server;

/// <summary>C-GET sub-operations: C-STORE requests this SCP sends back on the requestor's association, and their responses.</summary>
internal sealed partial class ServerDispatcher
{
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource<DicomStatus>> _subOperationResponses = new();
    private int _subOperationMessageId;

    /// <summary>Routes a C-STORE-RSP to the sub-operation waiting for it; false when none is.</summary>
    private bool TryCompleteSubOperation(DimseMessage message)
    {
        var command = message.Command;
        if (command.CommandField != DicomCommandField.CStoreResponse
            || !_subOperationResponses.TryRemove(command.MessageIDBeingRespondedTo, out var waiting))
        {
            return false;
        }

        if (message.DataSet is not null)
        {
            _ = DisposeDataSetAsync(message);
        }

        waiting.TrySetResult(command.Status);
        return true;
    }

    /// <summary>
    /// Sends the instances over the storage contexts the C-GET SCU proposed, where it took the SCP role through
    /// SCP/SCU role selection (PS3.4 C.4.3.2, PS3.7 D.3.3.4).
    /// </summary>
    private sealed class GetTarget(ServerDispatcher dispatcher) : ISubOperationTarget
    {
        public async Task<DicomStatus> StoreAsync(DicomRetrieveInstance instance, ushort originatorMessageId, CancellationToken cancellationToken)
        {
            var association = dispatcher._association;
            var roles = association.Accept.UserInformation.RoleSelections;
            var contexts = association.PresentationContexts.Values
                .Where(pc => roles.Any(r => r.ScpRole && r.SopClassUid == pc.AbstractSyntax));
            if (SubOperationEncoding.ChooseContext(contexts, instance) is not { } pc)
            {
                dispatcher.LogNoContext(dispatcher._info.CallingAETitle, instance.SopClassUid, instance.TransferSyntax.UidValue);
                return DicomStatus.SopClassNotSupported;
            }

            var id = (ushort)Interlocked.Increment(ref dispatcher._subOperationMessageId);
            // Completed by the read loop, which then runs the next sub-operation itself up to its first wait (as a C-MOVE's
            // destination association does, see DicomClientAssociation.RequestAsync): no hop to another thread per instance.
            var response = new TaskCompletionSource<DicomStatus>();
            dispatcher._subOperationResponses[id] = response;
            try
            {
                Stream dataSet;
                try
                {
                    dataSet = await SubOperationEncoding.OpenAsync(instance, pc, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not (OperationCanceledException or DicomNetworkException))
                {
                    dispatcher.LogInstanceUnreadable(instance.SopInstanceUid, e.Message);
                    return DicomStatus.ProcessingFailure;
                }

                await using (dataSet.ConfigureAwait(false))
                {
                    var command = DicomCommand.CStore(id, instance.SopClassUid, instance.SopInstanceUid);
                    await association.SendAsync(pc.Id, command, dataSet, cancellationToken).ConfigureAwait(false);
                }

                var finished = await Task.WhenAny(response.Task, association.Completion).WaitAsync(cancellationToken).ConfigureAwait(false);
                return finished == response.Task
                    ? await response.Task.ConfigureAwait(false)
                    : throw new DicomNetworkException("The association ended before the C-STORE-RSP arrived.");
            }
            finally
            {
                dispatcher._subOperationResponses.TryRemove(id, out _);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Peer}: no presentation context with the SCP role for {SopClass} in {TransferSyntax}")]
    private partial void LogNoContext(string peer, string sopClass, string transferSyntax);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {SopInstanceUid} cannot be opened for a sub-operation: {Reason}")]
    private partial void LogInstanceUnreadable(string sopInstanceUid, string reason);
}
