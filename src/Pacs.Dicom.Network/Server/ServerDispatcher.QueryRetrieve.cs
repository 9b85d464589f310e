using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pacs.Dicom.IO;
using Pacs.Dicom.Network.Association;
using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Server;

/// <summary>C-FIND, C-MOVE and C-GET (PS3.4 Annex C): pending responses, C-CANCEL, and the final status.</summary>
internal sealed partial class ServerDispatcher
{
    /// <summary>Identifiers are query keys, not images: anything larger is refused rather than buffered.</summary>
    private const int MaxIdentifierLength = 4 * 1024 * 1024;

    private async Task QueryRetrieveAsync(DimseMessage message, CancellationToken cancellationToken)
    {
        var command = message.Command;
        var pc = message.PresentationContext;
        IReadOnlyCollection<string>? sopClasses = command.CommandField switch
        {
            DicomCommandField.CFindRequest => _handlers.Find?.SopClasses,
            DicomCommandField.CMoveRequest => _handlers.Move?.SopClasses,
            _ => _handlers.Get?.SopClasses,
        };
        if (sopClasses is null || !sopClasses.Contains(pc.AbstractSyntax))
        {
            await DisposeDataSetAsync(message).ConfigureAwait(false);
            await RespondAsync(message, DicomStatus.SopClassNotSupported, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var (identifier, error) = await ReadIdentifierAsync(message, cancellationToken).ConfigureAwait(false);
        if (identifier is null)
        {
            await RespondAsync(message, DicomStatus.DataSetDoesNotMatchSopClass, error, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (command.CommandField == DicomCommandField.CFindRequest)
        {
            await FindAsync(message, identifier, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RetrieveAsync(message, identifier, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>PS3.4 C.4.1.1.4: an identifier that cannot be decoded does not match the SOP class (0xA900).</summary>
    private async Task<(DicomDataset? Identifier, string? Error)> ReadIdentifierAsync(DimseMessage message, CancellationToken cancellationToken)
    {
        if (message.DataSet is null)
        {
            return (null, "No identifier");
        }

        try
        {
            var bytes = await message.ReadDataSetAsync(MaxIdentifierLength, cancellationToken).ConfigureAwait(false);
            return (DicomDatasetReader.Read(bytes, message.PresentationContext.TransferSyntax!), null);
        }
        catch (DicomException e) when (e is not DicomNetworkException)
        {
            await DisposeDataSetAsync(message).ConfigureAwait(false);
            LogBadIdentifier(_info.CallingAETitle, message.Command, e.Message);
            return (null, "Identifier cannot be decoded");
        }
        finally
        {
            if (message.DataSet is { } dataSet)
            {
                await dataSet.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task FindAsync(DimseMessage message, DicomDataset identifier, CancellationToken cancellationToken)
    {
        var command = message.Command;
        var pc = message.PresentationContext;
        var request = new DicomFindRequest
        {
            Association = _info,
            SopClassUid = pc.AbstractSyntax,
            Identifier = identifier,
            TransferSyntax = pc.TransferSyntax!,
            MessageId = command.MessageID,
            Priority = command.Priority,
        };
        DicomStatus final;
        string? comment = null;
        try
        {
            await foreach (var match in _handlers.Find!.OnFindAsync(request, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var status = request.OptionalKeysNotSupported ? DicomStatus.PendingWarning : DicomStatus.Pending;
                var response = DicomCommand.Response(command, status, hasDataSet: true);

                // Sent on the stopping token, not the operation's: a C-CANCEL must not cut a message in half.
                await _association.SendAsync(pc.Id, response, DicomDatasetWriter.ToBytes(match, pc.TransferSyntax!), _stopping).ConfigureAwait(false);
            }

            final = DicomStatus.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            final = DicomStatus.Cancel;
        }
        catch (DicomServiceException e)
        {
            (final, comment) = (e.Status, e.ErrorComment);
        }
        catch (Exception e) when (e is not (IOException or DicomNetworkException or OperationCanceledException))
        {
            LogHandlerFailed(_info.CallingAETitle, command, e);
            (final, comment) = (DicomStatus.UnableToProcess, Truncate(e.Message));
        }

        await RespondAsync(message, final, comment, _stopping).ConfigureAwait(false);
    }

    private async Task RetrieveAsync(DimseMessage message, DicomDataset identifier, CancellationToken cancellationToken)
    {
        var command = message.Command;
        var isMove = command.CommandField == DicomCommandField.CMoveRequest;
        DicomRemoteNode? destination = null;
        if (isMove && (command.MoveDestination is not { Length: > 0 } aeTitle || !_options.RemoteNodes.TryGetValue(aeTitle, out destination)))
        {
            LogUnknownDestination(_info.CallingAETitle, command.MoveDestination ?? string.Empty);
            await RespondAsync(message, DicomStatus.MoveDestinationUnknown, null, _stopping).ConfigureAwait(false);
            return;
        }

        var request = new DicomRetrieveRequest(_info, message.PresentationContext.AbstractSyntax, identifier, command.MessageID, command.Priority,
            isMove ? command.MoveDestination : null);
        IReadOnlyList<DicomRetrieveInstance> instances;
        try
        {
            instances = isMove
                ? await _handlers.Move!.OnMoveAsync(request, cancellationToken).ConfigureAwait(false)
                : await _handlers.Get!.OnGetAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            await RespondAsync(message, DicomStatus.Cancel, null, _stopping).ConfigureAwait(false);
            return;
        }
        catch (DicomServiceException e)
        {
            await RespondAsync(message, e.Status, e.ErrorComment, _stopping).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is not (IOException or DicomNetworkException or OperationCanceledException))
        {
            LogHandlerFailed(_info.CallingAETitle, command, e);
            await RespondAsync(message, DicomStatus.UnableToProcess, Truncate(e.Message), _stopping).ConfigureAwait(false);
            return;
        }

        var progress = new SubOperationProgress(instances.Count);
        if (instances.Count == 0)
        {
            await SendRetrieveResponseAsync(message, DicomStatus.Success, progress, null).ConfigureAwait(false);
            return;
        }

        ISubOperationTarget target;
        try
        {
            target = isMove
                ? await MoveDestinationTarget.ConnectAsync(destination!, _options, instances, _logger, _stopping).ConfigureAwait(false)
                : new GetTarget(this);
        }
        catch (DicomNetworkException e)
        {
            LogDestinationUnreachable(_info.CallingAETitle, destination!.AETitle, e.Message);
            progress.FailAllRemaining(instances);
            await SendRetrieveResponseAsync(message, DicomStatus.OutOfResourcesUnableToPerformSubOperations, progress,
                Truncate($"Cannot associate with {destination.AETitle}: {e.Message}")).ConfigureAwait(false);
            return;
        }

        await using (target.ConfigureAwait(false))
        {
            var lastPending = Stopwatch.GetTimestamp();
            foreach (var instance in instances)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                var status = await target.StoreAsync(instance, command.MessageID, _stopping).ConfigureAwait(false);
                progress.Record(instance, status);
                if (status.Kind == DicomStatusKind.Failure)
                {
                    LogSubOperationFailed(_info.CallingAETitle, command, instance.SopInstanceUid, status);
                }

                if (progress.Remaining > 0 && Stopwatch.GetElapsedTime(lastPending) >= _options.RetrievePendingInterval)
                {
                    await SendRetrieveResponseAsync(message, DicomStatus.Pending, progress, null).ConfigureAwait(false);
                    lastPending = Stopwatch.GetTimestamp();
                }
            }
        }

        DicomStatus final;
        if (progress.Remaining > 0)
        {
            final = DicomStatus.Cancel;
        }
        else
        {
            final = progress.Failed == 0 && progress.Warning == 0 ? DicomStatus.Success : DicomStatus.SubOperationsCompleteWithFailures;
        }

        await SendRetrieveResponseAsync(message, final, progress, null, instances).ConfigureAwait(false);
    }

    /// <summary>
    /// PS3.4 C.4.2.1.6/C.4.3.1.6: counters on every response (Remaining only while pending or on cancel); the Failed
    /// SOP Instance UID List, with on cancel the instances never attempted, as the final response's identifier.
    /// </summary>
    private async Task SendRetrieveResponseAsync(DimseMessage message, DicomStatus status, SubOperationProgress progress, string? comment,
        IReadOnlyList<DicomRetrieveInstance>? instances = null)
    {
        var failedUids = status.IsFinal && instances is not null ? progress.FailedUids(instances, includeNotAttempted: status == DicomStatus.Cancel) : [];
        var response = DicomCommand.Response(message.Command, status, hasDataSet: failedUids.Count > 0);
        response.NumberOfCompletedSuboperations = (ushort)Math.Min(progress.Completed, ushort.MaxValue);
        response.NumberOfFailedSuboperations = (ushort)Math.Min(progress.Failed, ushort.MaxValue);
        response.NumberOfWarningSuboperations = (ushort)Math.Min(progress.Warning, ushort.MaxValue);
        if (status.IsPending || status == DicomStatus.Cancel)
        {
            response.NumberOfRemainingSuboperations = (ushort)Math.Min(progress.Remaining, ushort.MaxValue);
        }

        if (comment is not null)
        {
            response.ErrorComment = comment;
        }

        var pc = message.PresentationContext;
        if (failedUids.Count == 0)
        {
            await _association.SendAsync(pc.Id, response, (Stream?)null, _stopping).ConfigureAwait(false);
            return;
        }

        var identifier = new DicomDataset();
        identifier.Add(DicomTag.FailedSOPInstanceUIDList, [.. FitUiValue(failedUids)]);
        await _association.SendAsync(pc.Id, response, DicomDatasetWriter.ToBytes(identifier, pc.TransferSyntax!), _stopping).ConfigureAwait(false);
    }

    /// <summary>UI has a 16-bit length in explicit VR: keep the UIDs that fit rather than fail the final response.</summary>
    private static IEnumerable<string> FitUiValue(IReadOnlyList<string> uids)
    {
        var length = 0;
        foreach (var uid in uids)
        {
            length += uid.Length + 1;
            if (length > ushort.MaxValue - 1)
            {
                yield break;
            }

            yield return uid;
        }
    }

    private async Task RespondAsync(DimseMessage message, DicomStatus status, string? comment, CancellationToken cancellationToken)
    {
        var response = DicomCommand.Response(message.Command, status);
        if (comment is not null)
        {
            response.ErrorComment = comment;
        }

        await _association.SendAsync(message.PresentationContext.Id, response, (Stream?)null, cancellationToken).ConfigureAwait(false);
    }

    private static string Truncate(string text) => text.Length > 64 ? text[..64] : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Peer}: {Command} identifier rejected: {Reason}")]
    private partial void LogBadIdentifier(string peer, DicomCommand command, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Peer}: C-MOVE to unknown destination '{Destination}'")]
    private partial void LogUnknownDestination(string peer, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Peer}: C-MOVE destination {Destination} unreachable: {Reason}")]
    private partial void LogDestinationUnreachable(string peer, string destination, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Peer}: {Command} sub-operation for {SopInstanceUid} failed with {Status}")]
    private partial void LogSubOperationFailed(string peer, DicomCommand command, string sopInstanceUid, DicomStatus status);
}
