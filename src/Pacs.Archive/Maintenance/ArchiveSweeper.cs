using Pacs.Archive.Index;
using Pacs.Archive.Storage;

namespace Pacs.Archive.Maintenance;

/// <summary>What a sweep removed.</summary>
public sealed record SweepResult(int StaleReservations, int DeletedBlobs);

/// <summary>
/// Cleans what interrupted stores leave: reservations still <c>creating</c> after <c>olderThan</c> (and their blobs),
/// and blobs no version row refers to (a crash after the write but before the reservation became durable, or a failed
/// delete). Run it on start-up and periodically; the age limits keep it clear of stores in flight.
/// </summary>
public sealed class ArchiveSweeper(IndexStore index, IBlobStore blobs)
{
    private const int KeyBatch = 500;

    /// <summary>
    /// Removes reservations still <c>creating</c> after <paramref name="olderThan"/>, and their blobs; only those of the
    /// node <paramref name="reservedBy"/> when it is given (a node's start-up sweep: see
    /// <see cref="IndexStore.DeleteStaleReservationsAsync"/>).
    /// </summary>
    public async Task<SweepResult> SweepStaleReservationsAsync(TimeSpan olderThan, string? reservedBy = null, CancellationToken cancellationToken = default)
    {
        // Rows go first (atomically, only while still 'creating'), so a commit racing the sweep either wins and keeps its
        // blob, or finds its reservation gone and fails.
        var keys = await index.DeleteStaleReservationsAsync(olderThan, reservedBy, cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        foreach (var key in keys)
        {
            if (await blobs.DeleteAsync(key, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }

        return new SweepResult(keys.Count, deleted);
    }

    public async Task<SweepResult> SweepOrphanBlobsAsync(TimeSpan olderThan, string prefix = "", CancellationToken cancellationToken = default)
    {
        var limit = DateTimeOffset.UtcNow - olderThan;
        var batch = new List<string>(KeyBatch);
        var deleted = 0;
        await foreach (var blob in blobs.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (blob.LastModified >= limit)
            {
                continue;
            }

            batch.Add(blob.Key);
            if (batch.Count == KeyBatch)
            {
                deleted += await DeleteUnreferencedAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        deleted += await DeleteUnreferencedAsync(batch, cancellationToken).ConfigureAwait(false);
        return new SweepResult(0, deleted);
    }

    private async Task<int> DeleteUnreferencedAsync(List<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        var deleted = 0;
        foreach (var key in await index.FindUnreferencedBlobKeysAsync(keys, cancellationToken).ConfigureAwait(false))
        {
            if (await blobs.DeleteAsync(key, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }

        return deleted;
    }
}
