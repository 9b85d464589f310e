using Microsoft.Extensions.Logging;
using Pacs.Dicom.IO;
using Pacs.Dicom.Network.Association;
using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Server;

/// <summary>DIMSE-N (PS3.7 section 10): one request, one response, each optionally with a dataset.</summary>
internal sealed partial class ServerDispatcher
{
    /// <summary>N-service datasets are attribute lists, not images: anything larger is refused rather than buffered.</summary>
    private const int MaxNServiceDataSetLength = 16 * 1024 * 1024;

    private static bool IsNServiceRequest(DicomCommandField field) =>
        field is DicomCommandField.NEventReportRequest or DicomCommandField.NGetRequest or DicomCommandField.NSetRequest
            or DicomCommandField.NActionRequest or DicomCommandField.NCreateRequest or DicomCommandField.NDeleteRequest;

    private async Task NServiceAsync(DimseMessage message, CancellationToken cancellationToken)
    {
        var command = message.Command;
        var pc = message.PresentationContext;
        if (_handlers.NService is not { } handler || !handler.SopClasses.Contains(pc.AbstractSyntax))
        {
            await DisposeDataSetAsync(message).ConfigureAwait(false);
            await SendNResponseAsync(message, new DicomNServiceResponse(DicomStatus.SopClassNotSupported), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (command.SopClassUid != pc.AbstractSyntax)
        {
            await DisposeDataSetAsync(message).ConfigureAwait(false);
            await SendNResponseAsync(message, new DicomNServiceResponse(DicomStatus.NoSuchSopClass), cancellationToken).ConfigureAwait(false);
            return;
        }

        DicomDataset? dataSet = null;
        if (message.DataSet is not null)
        {
            try
            {
                var bytes = await message.ReadDataSetAsync(MaxNServiceDataSetLength, cancellationToken).ConfigureAwait(false);
                dataSet = DicomDatasetReader.Read(bytes, pc.TransferSyntax!);
            }
            catch (DicomException e) when (e is not DicomNetworkException)
            {
                LogBadNServiceDataSet(_info.CallingAETitle, command, e.Message);
                await SendNResponseAsync(message, new DicomNServiceResponse(DicomStatus.MistypedArgument), cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        var request = new DicomNServiceRequest
        {
            Association = _info,
            CommandField = command.CommandField,
            SopClassUid = pc.AbstractSyntax,
            SopInstanceUid = command.SopInstanceUid,
            EventTypeId = command.EventTypeID,
            ActionTypeId = command.ActionTypeID,
            AttributeIdentifierList = command.AttributeIdentifierList,
            DataSet = dataSet,
            TransferSyntax = pc.TransferSyntax!,
            MessageId = command.MessageID,
        };

        DicomNServiceResponse response;
        try
        {
            response = await handler.OnRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomServiceException e)
        {
            response = new DicomNServiceResponse(e.Status);
        }
        catch (Exception e) when (e is not (IOException or OperationCanceledException or DicomNetworkException))
        {
            LogHandlerFailed(_info.CallingAETitle, command, e);
            response = new DicomNServiceResponse(DicomStatus.ProcessingFailure);
        }

        await SendNResponseAsync(message, response, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendNResponseAsync(DimseMessage message, DicomNServiceResponse response, CancellationToken cancellationToken)
    {
        var request = message.Command;
        var command = DicomCommand.Response(request, response.Status, hasDataSet: response.DataSet is not null);
        if (response.AffectedSopInstanceUid is { } created)
        {
            command.AffectedSOPInstanceUID = created;
        }

        // PS3.7 10.3.1 and 10.3.4: the responses echo the event or action type they answer.
        command.EventTypeID = request.EventTypeID;
        command.ActionTypeID = request.ActionTypeID;
        var body = response.DataSet is null
            ? ReadOnlyMemory<byte>.Empty
            : DicomDatasetWriter.ToBytes(response.DataSet, message.PresentationContext.TransferSyntax!);
        await _association.SendAsync(message.PresentationContext.Id, command, body, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Peer}: {Command} carried a dataset that cannot be decoded: {Reason}")]
    private partial void LogBadNServiceDataSet(string peer, DicomCommand command, string reason);
}
