using Pacs.Archive.Ingest;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Server;
using Pacs.Server.Hosting;

namespace Pacs.Server.Dicom;

/// <summary>
/// C-STORE SCP: spools the dataset as it arrives (never the whole object in memory), then runs it through the
/// ingest pipeline; the status sent back is success only once the instance is committed in the index.
/// </summary>
public sealed partial class ArchiveStoreHandler(ArchiveRuntime archive, ILogger<ArchiveStoreHandler> logger) : IDicomStoreHandler
{
    public async ValueTask<DicomStatus> OnStoreAsync(DicomStoreRequest request, Stream dataSet, CancellationToken cancellationToken)
    {
        var spoolPath = Path.Combine(archive.SpoolDirectory, Guid.NewGuid().ToString("N") + ".spool");
        var spool = new FileStream(spoolPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await using (spool.ConfigureAwait(false))
        {
            try
            {
                await dataSet.CopyToAsync(spool, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                LogSpoolFailed(ex, request.SopInstanceUid);
                return DicomStatus.OutOfResources;
            }

            spool.Position = 0;
            var result = await archive.Ingest.IngestAsync(
                new IngestRequest(spool, request.TransferSyntax, request.Association.CallingAETitle)
                {
                    AffectedSopClassUid = request.SopClassUid,
                    AffectedSopInstanceUid = request.SopInstanceUid,
                },
                cancellationToken).ConfigureAwait(false);

            if (!result.IsSuccess)
            {
                LogStoreFailed(request.SopInstanceUid, request.Association.CallingAETitle, result.Status, result.ErrorComment);
            }

            return new DicomStatus(result.DimseStatus);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "C-STORE of {SopInstanceUid} could not be spooled")]
    private partial void LogSpoolFailed(Exception exception, string sopInstanceUid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "C-STORE of {SopInstanceUid} from {CallingAE} failed: {Status} {Comment}")]
    private partial void LogStoreFailed(string sopInstanceUid, string callingAE, IngestStatus status, string? comment);
}
