namespace Pacs.Dicom.Network.Pdu;

/// <summary>A decoded PDU (PS3.8 9.3).</summary>
public abstract record DicomPdu
{
    public abstract PduType Type { get; }
}

/// <summary>A-ASSOCIATE-RQ (PS3.8 9.3.2).</summary>
public sealed record AAssociateRq : DicomPdu
{
    public override PduType Type => PduType.AssociateRequest;

    /// <summary>Bit 0 set means version 1, the only one defined.</summary>
    public ushort ProtocolVersion { get; init; } = 1;

    public required string CalledAETitle { get; init; }

    public required string CallingAETitle { get; init; }

    public string ApplicationContextName { get; init; } = DicomNetworkConstants.ApplicationContextName;

    public required IReadOnlyList<PresentationContextProposal> PresentationContexts { get; init; }

    public required UserInformation UserInformation { get; init; }
}

/// <summary>A-ASSOCIATE-AC (PS3.8 9.3.3); the AE title fields echo the request's and are not checked by the requestor.</summary>
public sealed record AAssociateAc : DicomPdu
{
    public override PduType Type => PduType.AssociateAccept;

    public ushort ProtocolVersion { get; init; } = 1;

    public required string CalledAETitle { get; init; }

    public required string CallingAETitle { get; init; }

    public string ApplicationContextName { get; init; } = DicomNetworkConstants.ApplicationContextName;

    public required IReadOnlyList<PresentationContextAnswer> PresentationContexts { get; init; }

    public required UserInformation UserInformation { get; init; }
}

/// <summary>A-ASSOCIATE-RJ (PS3.8 9.3.4). <see cref="Reason"/> takes a value of <see cref="RejectReasons"/> for the given source.</summary>
public sealed record AAssociateRj(RejectResult Result, RejectSource Source, byte Reason) : DicomPdu
{
    public override PduType Type => PduType.AssociateReject;
}

/// <summary>P-DATA-TF (PS3.8 9.3.5): one or more presentation data values.</summary>
public sealed record PDataTf(IReadOnlyList<PresentationDataValue> Values) : DicomPdu
{
    public override PduType Type => PduType.DataTransfer;
}

/// <summary>A-RELEASE-RQ (PS3.8 9.3.6).</summary>
public sealed record AReleaseRq : DicomPdu
{
    public override PduType Type => PduType.ReleaseRequest;
}

/// <summary>A-RELEASE-RP (PS3.8 9.3.7).</summary>
public sealed record AReleaseRp : DicomPdu
{
    public override PduType Type => PduType.ReleaseResponse;
}

/// <summary>A-ABORT (PS3.8 9.3.8).</summary>
public sealed record AAbort(AbortSource Source, AbortReason Reason) : DicomPdu
{
    public override PduType Type => PduType.Abort;
}

/// <summary>
/// One PDV item (PS3.8 9.3.5.1 and Annex E.2): a fragment of a command or a dataset for one presentation context.
/// </summary>
public readonly record struct PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLastFragment, ReadOnlyMemory<byte> Data)
{
    /// <summary>The message control header byte: bit 0 command, bit 1 last fragment.</summary>
    public byte MessageControlHeader => (byte)((IsCommand ? 1 : 0) | (IsLastFragment ? 2 : 0));
}

/// <summary>A presentation context proposed in an A-ASSOCIATE-RQ (PS3.8 9.3.2.2).</summary>
public sealed record PresentationContextProposal(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes);

/// <summary>A presentation context answer in an A-ASSOCIATE-AC (PS3.8 9.3.3.2); the transfer syntax is meaningless unless accepted.</summary>
public sealed record PresentationContextAnswer(byte Id, PresentationContextResult Result, string TransferSyntax);
