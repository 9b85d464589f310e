namespace Pacs.Dicom.Network.Dimse;

/// <summary>Builders for the request and response command sets of PS3.7 sections 9.3 and 10.3.</summary>
public sealed partial class DicomCommand
{
    public static DicomCommand CEcho(ushort messageId) =>
        Request(DicomCommandField.CEchoRequest, messageId, DicomUid.Verification.Value, hasDataSet: false);

    public static DicomCommand CStore(ushort messageId, string sopClassUid, string sopInstanceUid, DicomPriority priority = DicomPriority.Medium,
        string? moveOriginatorAETitle = null, ushort? moveOriginatorMessageId = null)
    {
        var command = Request(DicomCommandField.CStoreRequest, messageId, sopClassUid, hasDataSet: true);
        command.AffectedSOPInstanceUID = sopInstanceUid;
        command.Priority = priority;
        if (moveOriginatorAETitle is not null)
        {
            command.MoveOriginatorApplicationEntityTitle = moveOriginatorAETitle;
            command.MoveOriginatorMessageID = moveOriginatorMessageId ?? 0;
        }

        return command;
    }

    public static DicomCommand CFind(ushort messageId, string sopClassUid, DicomPriority priority = DicomPriority.Medium)
    {
        var command = Request(DicomCommandField.CFindRequest, messageId, sopClassUid, hasDataSet: true);
        command.Priority = priority;
        return command;
    }

    public static DicomCommand CMove(ushort messageId, string sopClassUid, string moveDestination, DicomPriority priority = DicomPriority.Medium)
    {
        var command = Request(DicomCommandField.CMoveRequest, messageId, sopClassUid, hasDataSet: true);
        command.Priority = priority;
        command.MoveDestination = moveDestination;
        return command;
    }

    public static DicomCommand CGet(ushort messageId, string sopClassUid, DicomPriority priority = DicomPriority.Medium)
    {
        var command = Request(DicomCommandField.CGetRequest, messageId, sopClassUid, hasDataSet: true);
        command.Priority = priority;
        return command;
    }

    /// <summary>C-CANCEL-RQ (PS3.7 9.3.2.3): only the Message ID Being Responded To of the operation to cancel.</summary>
    public static DicomCommand CCancel(ushort messageIdToCancel)
    {
        var command = new DicomCommand { CommandField = DicomCommandField.CCancelRequest, MessageIDBeingRespondedTo = messageIdToCancel };
        command.HasDataSet = false;
        return command;
    }

    /// <summary>
    /// A request of any DIMSE service. N-GET, N-SET, N-ACTION and N-DELETE name their SOP class and instance in the
    /// Requested elements, every other service in the Affected ones (PS3.7 10.3).
    /// </summary>
    public static DicomCommand Request(DicomCommandField field, ushort messageId, string sopClassUid, bool hasDataSet, string? sopInstanceUid = null)
    {
        var command = new DicomCommand { CommandField = field, MessageID = messageId };
        if (UsesRequestedUids(field))
        {
            command.RequestedSOPClassUID = sopClassUid;
            command.RequestedSOPInstanceUID = sopInstanceUid;
        }
        else
        {
            command.AffectedSOPClassUID = sopClassUid;
            if (sopInstanceUid is not null)
            {
                command.AffectedSOPInstanceUID = sopInstanceUid;
            }
        }

        command.HasDataSet = hasDataSet;
        return command;
    }

    /// <summary>The response to <paramref name="request"/>: same SOP class and instance, Affected elements (PS3.7 9.3, 10.3).</summary>
    public static DicomCommand Response(DicomCommand request, DicomStatus status, bool hasDataSet = false)
    {
        var command = new DicomCommand
        {
            CommandField = (DicomCommandField)((ushort)request.CommandField | 0x8000),
            MessageIDBeingRespondedTo = request.MessageID,
            Status = status,
        };
        if (request.SopClassUid is { } sopClass)
        {
            command.AffectedSOPClassUID = sopClass;
        }

        if (request.SopInstanceUid is { } sopInstance && request.CommandField is not (DicomCommandField.CFindRequest or DicomCommandField.CMoveRequest or DicomCommandField.CGetRequest))
        {
            command.AffectedSOPInstanceUID = sopInstance;
        }

        command.HasDataSet = hasDataSet;
        return command;
    }

    private static bool UsesRequestedUids(DicomCommandField field) =>
        field is DicomCommandField.NGetRequest or DicomCommandField.NSetRequest or DicomCommandField.NActionRequest or DicomCommandField.NDeleteRequest;
}
