using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Server;

/// <summary>C-ECHO SCP (PS3.4 Annex A).</summary>
public interface IDicomEchoHandler
{
    ValueTask<DicomStatus> OnEchoAsync(DicomAssociationInfo association, CancellationToken cancellationToken);
}

/// <summary>A C-STORE request as the storage SCP sees it.</summary>
public sealed record DicomStoreRequest(
    DicomAssociationInfo Association,
    string SopClassUid,
    string SopInstanceUid,
    DicomTransferSyntax TransferSyntax,
    ushort MessageId,
    DicomPriority Priority,
    string? MoveOriginatorAETitle,
    ushort? MoveOriginatorMessageId);

/// <summary>C-STORE SCP (PS3.4 Annex B).</summary>
public interface IDicomStoreHandler
{
    /// <summary>
    /// Stores one instance. <paramref name="dataSet"/> is the dataset (no File Meta Information) in
    /// <see cref="DicomStoreRequest.TransferSyntax"/>, streamed while it still arrives. Return a PS3.4 B.2.3 status.
    /// </summary>
    ValueTask<DicomStatus> OnStoreAsync(DicomStoreRequest request, Stream dataSet, CancellationToken cancellationToken);
}

/// <summary>The handlers a <see cref="DicomServer"/> dispatches to; a null handler means the service is not offered.</summary>
public sealed record DicomServiceHandlers
{
    /// <summary>Null: C-ECHO still answers success (Verification is always offered).</summary>
    public IDicomEchoHandler? Echo { get; init; }

    public IDicomStoreHandler? Store { get; init; }
}
