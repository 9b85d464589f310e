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

/// <summary>A C-FIND request as the query SCP sees it.</summary>
public sealed class DicomFindRequest
{
    public required DicomAssociationInfo Association { get; init; }

    /// <summary>The information model queried: Patient Root, Study Root, Modality Worklist…</summary>
    public required string SopClassUid { get; init; }

    /// <summary>The query keys, decoded from the negotiated transfer syntax.</summary>
    public required DicomDataset Identifier { get; init; }

    /// <summary>The transfer syntax the identifier came in and the results are sent in.</summary>
    public required DicomTransferSyntax TransferSyntax { get; init; }

    public ushort MessageId { get; init; }

    public DicomPriority Priority { get; init; }

    /// <summary>
    /// Set by the handler when optional keys of the identifier were not supported for matching: the pending
    /// responses sent from then on carry 0xFF01 instead of 0xFF00 (PS3.4 C.4.1.1.4).
    /// </summary>
    public bool OptionalKeysNotSupported { get; set; }
}

/// <summary>C-FIND SCP (PS3.4 Annex C, and Annex K for the Modality Worklist).</summary>
public interface IDicomFindHandler
{
    /// <summary>The SOP classes this handler answers; their presentation contexts are accepted when it is registered.</summary>
    IReadOnlyCollection<string> SopClasses => DicomQueryRetrieveSopClasses.Find;

    /// <summary>
    /// Yields the matches, each sent as a pending response as soon as it is yielded. A C-CANCEL cancels
    /// <paramref name="cancellationToken"/> (the server then answers 0xFE00). Throw <see cref="DicomServiceException"/>
    /// to end with a specific failure status (0xA700, 0xA900, 0xC000…).
    /// </summary>
    IAsyncEnumerable<DicomDataset> OnFindAsync(DicomFindRequest request, CancellationToken cancellationToken);
}

/// <summary>A C-MOVE or C-GET request as the retrieve SCP sees it.</summary>
public sealed record DicomRetrieveRequest(
    DicomAssociationInfo Association,
    string SopClassUid,
    DicomDataset Identifier,
    ushort MessageId,
    DicomPriority Priority,
    string? MoveDestination);

/// <summary>
/// One instance a C-MOVE or C-GET sends as a C-STORE sub-operation. <see cref="OpenAsync"/> opens the dataset
/// (no File Meta Information) encoded in <see cref="TransferSyntax"/>; the server disposes the stream.
/// </summary>
public sealed record DicomRetrieveInstance(
    string SopClassUid,
    string SopInstanceUid,
    DicomTransferSyntax TransferSyntax,
    Func<CancellationToken, Task<Stream>> OpenAsync);

/// <summary>
/// C-MOVE SCP (PS3.4 C.4.2): the handler only says which instances match; the server looks the destination up in
/// <see cref="DicomServerOptions.RemoteNodes"/>, associates with it and performs the C-STORE sub-operations.
/// </summary>
public interface IDicomMoveHandler
{
    IReadOnlyCollection<string> SopClasses => DicomQueryRetrieveSopClasses.Move;

    /// <summary>The instances to send. Throw <see cref="DicomServiceException"/> for a failure status (0xA701, 0xA900, 0xC000…).</summary>
    ValueTask<IReadOnlyList<DicomRetrieveInstance>> OnMoveAsync(DicomRetrieveRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// C-GET SCP (PS3.4 C.4.3): the server sends the instances as C-STORE sub-operations on the requesting association,
/// over the storage contexts (with SCP/SCU role selection) the C-GET SCU proposed.
/// </summary>
public interface IDicomGetHandler
{
    IReadOnlyCollection<string> SopClasses => DicomQueryRetrieveSopClasses.Get;

    /// <summary>The instances to send. Throw <see cref="DicomServiceException"/> for a failure status (0xA701, 0xA900, 0xC000…).</summary>
    ValueTask<IReadOnlyList<DicomRetrieveInstance>> OnGetAsync(DicomRetrieveRequest request, CancellationToken cancellationToken);
}

/// <summary>The handlers a <see cref="DicomServer"/> dispatches to; a null handler means the service is not offered.</summary>
public sealed record DicomServiceHandlers
{
    /// <summary>Null: C-ECHO still answers success (Verification is always offered).</summary>
    public IDicomEchoHandler? Echo { get; init; }

    public IDicomStoreHandler? Store { get; init; }

    public IDicomFindHandler? Find { get; init; }

    public IDicomMoveHandler? Move { get; init; }

    public IDicomGetHandler? Get { get; init; }

    /// <summary>N-EVENT-REPORT, N-GET, N-SET, N-ACTION, N-CREATE, N-DELETE for the normalized SOP classes it lists.</summary>
    public IDicomNServiceHandler? NService { get; init; }
}
