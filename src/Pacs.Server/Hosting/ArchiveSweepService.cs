using Microsoft.Extensions.Options;
using Pacs.Archive.Maintenance;
using Pacs.Archive.Storage;
using Pacs.Server.Configuration;

namespace Pacs.Server.Hosting;

/// <summary>
/// Periodically removes reservations that never became instances (a node died between reserve and commit)
/// and their blobs, and on the file-system store the temporary files such stores left. Only reservations and files
/// older than the configured age are touched, so stores still in flight on this or another node are safe.
/// Less often (and once after an unclean stop of this node) it also deletes blobs that no index row
/// refers to: a reservation row is written without waiting for its WAL flush, so a power cut can keep a blob and lose
/// its row. That check lists every blob, which is why it is not part of every sweep.
/// </summary>
public sealed partial class ArchiveSweepService(ArchiveRuntime archive, IOptions<PacsOptions> options, ILogger<ArchiveSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Ingest;
        var interval = TimeSpan.FromMinutes(Math.Max(0.01, settings.SweepIntervalMinutes));
        var olderThan = TimeSpan.FromMinutes(Math.Max(0.01, settings.StaleReservationMinutes));
        TimeSpan? orphanInterval = settings.OrphanSweepHours > 0 ? TimeSpan.FromHours(settings.OrphanSweepHours) : null;
        // After an unclean stop, once everything written before this start is older than the age limit: the orphans of
        // the last moments before the stop are included.
        var orphansDue = archive.StoppedUncleanly ? DateTimeOffset.UtcNow + olderThan : Next(orphanInterval);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var sweeper = new ArchiveSweeper(archive.Index, archive.Blobs);
            try
            {
                var result = await sweeper.SweepStaleReservationsAsync(olderThan, cancellationToken: stoppingToken).ConfigureAwait(false);
                if (result.StaleReservations > 0)
                {
                    LogSwept(result.StaleReservations, result.DeletedBlobs);
                }

                if (archive.Blobs is FileSystemBlobStore files && files.DeleteTemporaryFiles(olderThan) is var temporary and > 0)
                {
                    LogTemporaryFilesDeleted(temporary);
                }

                if (DateTimeOffset.UtcNow >= orphansDue)
                {
                    // The age limit keeps it clear of blobs whose rows are still on their way (stores in flight).
                    var orphans = await sweeper.SweepOrphanBlobsAsync(olderThan, cancellationToken: stoppingToken).ConfigureAwait(false);
                    LogOrphansSwept(orphans.DeletedBlobs);
                    orphansDue = Next(orphanInterval);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database or storage may be down for a while; the next tick tries again (an orphan sweep stays due).
                LogSweepFailed(ex);
            }
        }
    }

    private static DateTimeOffset Next(TimeSpan? interval) => interval is { } every ? DateTimeOffset.UtcNow + every : DateTimeOffset.MaxValue;

    [LoggerMessage(Level = LogLevel.Information, Message = "Swept {Reservations} stale reservations and {Blobs} blobs")]
    private partial void LogSwept(int reservations, int blobs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} temporary files left by interrupted stores")]
    private partial void LogTemporaryFilesDeleted(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orphan sweep: deleted {Count} blobs no index row refers to")]
    private partial void LogOrphansSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping stale reservations failed")]
    private partial void LogSweepFailed(Exception exception);
}
