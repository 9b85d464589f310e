using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Association;

/// <summary>A negotiated presentation context: what both sides agreed for one abstract syntax.</summary>
public sealed record DicomPresentationContext(byte Id, string AbstractSyntax, PresentationContextResult Result, DicomTransferSyntax? TransferSyntax)
{
    public bool IsAccepted => Result == PresentationContextResult.Acceptance && TransferSyntax is not null;
}
