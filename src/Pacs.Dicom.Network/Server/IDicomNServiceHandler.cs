using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Server;

/// <summary>
/// A DIMSE-N request (PS3.7 section 10) as the SCP sees it: N-EVENT-REPORT, N-GET, N-SET, N-ACTION, N-CREATE or
/// N-DELETE on a SOP instance of a normalized SOP class (storage commitment, MPPS, print…).
/// </summary>
public sealed class DicomNServiceRequest
{
    public required DicomAssociationInfo Association { get; init; }

    public required DicomCommandField CommandField { get; init; }

    public required string SopClassUid { get; init; }

    /// <summary>Absent only for an N-CREATE that leaves the SCP to assign the instance UID.</summary>
    public string? SopInstanceUid { get; init; }

    public ushort? EventTypeId { get; init; }

    public ushort? ActionTypeId { get; init; }

    /// <summary>N-GET: the attributes asked for (empty: all).</summary>
    public IReadOnlyList<DicomTag> AttributeIdentifierList { get; init; } = [];

    /// <summary>Event information, action information, the modification or creation list; null when the request has none.</summary>
    public DicomDataset? DataSet { get; init; }

    public required DicomTransferSyntax TransferSyntax { get; init; }

    public ushort MessageId { get; init; }
}

/// <summary>The answer to a DIMSE-N request: a status, optionally a dataset (attribute list, reply) and, for N-CREATE, the instance created.</summary>
public sealed record DicomNServiceResponse(DicomStatus Status, DicomDataset? DataSet = null, string? AffectedSopInstanceUid = null);

/// <summary>SCP of the DIMSE-N services for the normalized SOP classes it lists.</summary>
public interface IDicomNServiceHandler
{
    /// <summary>The normalized SOP classes handled; their presentation contexts are accepted when the handler is registered.</summary>
    IReadOnlyCollection<string> SopClasses { get; }

    /// <summary>Throw <see cref="DicomServiceException"/> for a specific failure status (e.g. 0x0112 no such SOP instance).</summary>
    ValueTask<DicomNServiceResponse> OnRequestAsync(DicomNServiceRequest request, CancellationToken cancellationToken);
}
