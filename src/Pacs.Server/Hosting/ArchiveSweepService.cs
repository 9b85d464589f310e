using Microsoft.Extensions.Options;
using Pacs.Archive.Maintenance;
using Pacs.Archive.Storage;
using Pacs.Server.Configuration;

namespace Pacs.Server.Hosting;

/// <summary>
/// Periodically removes reservations that never became instances (a node died between reserve and commit)
/// and their blobs, and on the file-system store the temporary files such stores left. Only reservations and files
/// older than the configured age are touched, so stores still in flight on this or another node are safe.
/// </summary>
public sealed partial class ArchiveSweepService(ArchiveRuntime archive, IOptions<PacsOptions> options, ILogger<ArchiveSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Ingest;
        var interval = TimeSpan.FromMinutes(Math.Max(1, settings.SweepIntervalMinutes));
        var olderThan = TimeSpan.FromMinutes(Math.Max(1, settings.StaleReservationMinutes));
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var result = await new ArchiveSweeper(archive.Index, archive.Blobs).SweepStaleReservationsAsync(olderThan, cancellationToken: stoppingToken).ConfigureAwait(false);
                if (result.StaleReservations > 0)
                {
                    LogSwept(result.StaleReservations, result.DeletedBlobs);
                }

                if (archive.Blobs is FileSystemBlobStore files && files.DeleteTemporaryFiles(olderThan) is var temporary and > 0)
                {
                    LogTemporaryFilesDeleted(temporary);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database or storage may be down for a while; the next tick tries again.
                LogSweepFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Swept {Reservations} stale reservations and {Blobs} blobs")]
    private partial void LogSwept(int reservations, int blobs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} temporary files left by interrupted stores")]
    private partial void LogTemporaryFilesDeleted(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping stale reservations failed")]
    private partial void LogSweepFailed(Exception exception);
}
