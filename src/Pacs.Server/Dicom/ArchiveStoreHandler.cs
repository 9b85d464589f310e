using Pacs.Archive.Ingest;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Server;
using Pacs.Server.Hosting;

namespace Pacs.Server.Dicom;

/// <summary>
/// C-STORE SCP: streams the dataset as it arrives straight into a staged blob (written once, never the whole object in
/// memory) and runs it through the ingest pipeline; the status sent back is success only once the instance is
/// committed in the index.
/// </summary>
public sealed partial class ArchiveStoreHandler(ArchiveRuntime archive, DicomMetrics metrics, ILogger<ArchiveStoreHandler> logger) : IDicomStoreHandler
{
    public async ValueTask<DicomStatus> OnStoreAsync(DicomStoreRequest request, Stream dataSet, CancellationToken cancellationToken)
    {
        var result = await archive.Ingest.IngestStreamAsync(
            new IngestRequest(dataSet, request.TransferSyntax, request.Association.CallingAETitle)
            {
                AffectedSopClassUid = request.SopClassUid,
                AffectedSopInstanceUid = request.SopInstanceUid,
            },
            cancellationToken).ConfigureAwait(false);

        metrics.StoreCompleted(result.Status);
        if (!result.IsSuccess)
        {
            LogStoreFailed(request.SopInstanceUid, request.Association.CallingAETitle, result.Status, result.ErrorComment);
        }

        return new DicomStatus(result.DimseStatus);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "C-STORE of {SopInstanceUid} from {CallingAE} failed: {Status} {Comment}")]
    private partial void LogStoreFailed(string sopInstanceUid, string callingAE, IngestStatus status, string? comment);
}
