namespace Pacs.Dicom.Network.Pdu;

/// <summary>Encodes PDUs to their wire form, header included (PS3.8 9.3).</summary>
public static class PduEncoder
{
    public static byte[] Encode(DicomPdu pdu) => pdu switch
    {
        AAssociateRq rq => EncodeRequest(rq),
        AAssociateAc ac => EncodeAccept(ac),
        AAssociateRj rj => FourBytes(PduType.AssociateReject, 0, (byte)rj.Result, (byte)rj.Source, rj.Reason),
        PDataTf data => EncodeData(data),
        AReleaseRq => FourBytes(PduType.ReleaseRequest, 0, 0, 0, 0),
        AReleaseRp => FourBytes(PduType.ReleaseResponse, 0, 0, 0, 0),
        AAbort abort => FourBytes(PduType.Abort, 0, 0, (byte)abort.Source, (byte)abort.Reason),
        _ => throw new ArgumentException($"Unknown PDU {pdu.GetType().Name}.", nameof(pdu)),
    };

    private static byte[] FourBytes(PduType type, byte b0, byte b1, byte b2, byte b3) =>
        [(byte)type, 0, 0, 0, 0, 4, b0, b1, b2, b3];

    private static byte[] EncodeRequest(AAssociateRq rq)
    {
        var b = new PduBuilder();
        var pdu = b.BeginPdu(PduType.AssociateRequest);
        WriteFixedFields(b, rq.ProtocolVersion, rq.CalledAETitle, rq.CallingAETitle);
        b.StringItem(PduItemType.ApplicationContext, rq.ApplicationContextName);
        foreach (var pc in rq.PresentationContexts)
        {
            var item = b.BeginItem(PduItemType.PresentationContextRequest);
            b.Byte(pc.Id);
            b.Zeros(3);
            b.StringItem(PduItemType.AbstractSyntax, pc.AbstractSyntax);
            foreach (var ts in pc.TransferSyntaxes)
            {
                b.StringItem(PduItemType.TransferSyntax, ts);
            }

            b.EndItem(item);
        }

        WriteUserInformation(b, rq.UserInformation);
        b.EndPdu(pdu);
        return b.ToArray();
    }

    private static byte[] EncodeAccept(AAssociateAc ac)
    {
        var b = new PduBuilder();
        var pdu = b.BeginPdu(PduType.AssociateAccept);
        WriteFixedFields(b, ac.ProtocolVersion, ac.CalledAETitle, ac.CallingAETitle);
        b.StringItem(PduItemType.ApplicationContext, ac.ApplicationContextName);
        foreach (var pc in ac.PresentationContexts)
        {
            var item = b.BeginItem(PduItemType.PresentationContextAccept);
            b.Byte(pc.Id);
            b.Byte(0);
            b.Byte((byte)pc.Result);
            b.Byte(0);
            b.StringItem(PduItemType.TransferSyntax, pc.TransferSyntax);
            b.EndItem(item);
        }

        WriteUserInformation(b, ac.UserInformation);
        b.EndPdu(pdu);
        return b.ToArray();
    }

    private static void WriteFixedFields(PduBuilder b, ushort protocolVersion, string called, string calling)
    {
        b.UInt16(protocolVersion);
        b.Zeros(2);
        b.AETitle(called);
        b.AETitle(calling);
        b.Zeros(32);
    }

    private static void WriteUserInformation(PduBuilder b, UserInformation info)
    {
        var item = b.BeginItem(PduItemType.UserInformation);

        var max = b.BeginItem(PduItemType.MaximumLength);
        b.UInt32(info.MaximumLength);
        b.EndItem(max);

        b.StringItem(PduItemType.ImplementationClassUid, info.ImplementationClassUid);

        if (info.AsyncOperationsWindow is { } window)
        {
            var w = b.BeginItem(PduItemType.AsyncOperationsWindow);
            b.UInt16(window.MaxOperationsInvoked);
            b.UInt16(window.MaxOperationsPerformed);
            b.EndItem(w);
        }

        foreach (var role in info.RoleSelections)
        {
            var r = b.BeginItem(PduItemType.RoleSelection);
            b.ShortString(role.SopClassUid);
            b.Byte(role.ScuRole ? (byte)1 : (byte)0);
            b.Byte(role.ScpRole ? (byte)1 : (byte)0);
            b.EndItem(r);
        }

        if (info.ImplementationVersionName is { Length: > 0 } version)
        {
            b.StringItem(PduItemType.ImplementationVersionName, version);
        }

        foreach (var ext in info.SopClassExtendedNegotiations)
        {
            var e = b.BeginItem(PduItemType.SopClassExtendedNegotiation);
            b.ShortString(ext.SopClassUid);
            b.Bytes(ext.ServiceClassApplicationInformation.Span);
            b.EndItem(e);
        }

        foreach (var common in info.SopClassCommonExtendedNegotiations)
        {
            var c = b.BeginItem(PduItemType.SopClassCommonExtendedNegotiation);
            b.ShortString(common.SopClassUid);
            b.ShortString(common.ServiceClassUid);
            var related = new PduBuilder();
            foreach (var uid in common.RelatedGeneralSopClassUids)
            {
                related.ShortString(uid);
            }

            b.ShortBytes(related.WrittenSpan);
            b.EndItem(c);
        }

        if (info.UserIdentityRequest is { } identity)
        {
            var u = b.BeginItem(PduItemType.UserIdentityRequest);
            b.Byte((byte)identity.IdentityType);
            b.Byte(identity.PositiveResponseRequested ? (byte)1 : (byte)0);
            b.ShortBytes(identity.PrimaryField.Span);
            b.ShortBytes(identity.SecondaryField.Span);
            b.EndItem(u);
        }

        if (info.UserIdentityResponse is { } response)
        {
            var u = b.BeginItem(PduItemType.UserIdentityResponse);
            b.ShortBytes(response.ServerResponse.Span);
            b.EndItem(u);
        }

        b.EndItem(item);
    }

    private static byte[] EncodeData(PDataTf data)
    {
        var b = new PduBuilder();
        var pdu = b.BeginPdu(PduType.DataTransfer);
        foreach (var pdv in data.Values)
        {
            b.UInt32((uint)(pdv.Data.Length + 2));
            b.Byte(pdv.PresentationContextId);
            b.Byte(pdv.MessageControlHeader);
            b.Bytes(pdv.Data.Span);
        }

        b.EndPdu(pdu);
        return b.ToArray();
    }
}
