using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Server;

/// <summary>
/// Answers proposed presentation contexts (PS3.8 9.3.3.2): for each, the first transfer syntax of this SCP's
/// preference list that the requestor proposed; the SCP's order decides, not the requestor's.
/// </summary>
public sealed class PresentationContextNegotiator
{
    private readonly HashSet<string> _abstractSyntaxes;
    private readonly IReadOnlyList<DicomTransferSyntax> _transferSyntaxes;

    public PresentationContextNegotiator(IEnumerable<string> abstractSyntaxes, IReadOnlyList<DicomTransferSyntax> transferSyntaxes)
    {
        _abstractSyntaxes = new HashSet<string>(abstractSyntaxes, StringComparer.Ordinal);
        _transferSyntaxes = transferSyntaxes;
    }

    /// <summary>Explicit VR LE, implicit VR LE, then every other known transfer syntax.</summary>
    public static IReadOnlyList<DicomTransferSyntax> DefaultTransferSyntaxes { get; } =
        [DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ImplicitVRLittleEndian,
            .. DicomTransferSyntax.All.Where(t => t != DicomTransferSyntax.ExplicitVRLittleEndian && t != DicomTransferSyntax.ImplicitVRLittleEndian)];

    /// <summary>
    /// Every storage SOP class of the standard: keywords containing "Storage" ("…ImageStorageForPresentation",
    /// "…StorageTrial" included), without Storage Commitment and the DICOMDIR media class, which are not C-STORE targets.
    /// </summary>
    public static IReadOnlyList<string> StorageSopClasses { get; } =
        [.. DicomUid.All.Where(u => u.Type == DicomUidType.SOPClass && u.Keyword.Contains("Storage", StringComparison.Ordinal)
            && !u.Keyword.StartsWith("StorageCommitment", StringComparison.Ordinal) && u != DicomUid.MediaStorageDirectoryStorage).Select(u => u.Value)];

    public bool SupportsAbstractSyntax(string uid) => _abstractSyntaxes.Contains(uid);

    public PresentationContextAnswer Negotiate(PresentationContextProposal proposal)
    {
        if (!_abstractSyntaxes.Contains(proposal.AbstractSyntax))
        {
            return new PresentationContextAnswer(proposal.Id, PresentationContextResult.AbstractSyntaxNotSupported, proposal.TransferSyntaxes[0]);
        }

        foreach (var ts in _transferSyntaxes)
        {
            foreach (var proposed in proposal.TransferSyntaxes)
            {
                if (proposed == ts.UidValue)
                {
                    return new PresentationContextAnswer(proposal.Id, PresentationContextResult.Acceptance, proposed);
                }
            }
        }

        return new PresentationContextAnswer(proposal.Id, PresentationContextResult.TransferSyntaxesNotSupported, proposal.TransferSyntaxes[0]);
    }

    /// <summary>
    /// SCP/SCU role selection answers (PS3.7 D.3.3.4): roles are granted as proposed for accepted abstract
    /// syntaxes, which lets a C-GET SCU act as the storage SCP on this association.
    /// </summary>
    public IReadOnlyList<RoleSelection> NegotiateRoles(AAssociateRq request) =>
        [.. request.UserInformation.RoleSelections.Where(r => _abstractSyntaxes.Contains(r.SopClassUid))];
}
