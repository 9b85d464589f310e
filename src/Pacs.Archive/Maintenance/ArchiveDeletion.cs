using Pacs.Archive.Index;
using Pacs.Archive.Storage;

namespace Pacs.Archive.Maintenance;

/// <summary>
/// Deletes studies, series and instances: the index first (one transaction, aggregates refreshed), then the blobs. A
/// blob whose delete fails is unreferenced by then, and the orphan sweep removes it later.
/// </summary>
public sealed class ArchiveDeletion(IndexStore index, IBlobStore blobs)
{
    /// <summary>Returns the number of blobs deleted (0 when the study is unknown).</summary>
    public async Task<int> DeleteStudyAsync(string studyInstanceUid, CancellationToken cancellationToken = default) =>
        await DeleteBlobsAsync(await index.DeleteStudyAsync(studyInstanceUid, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<int> DeleteSeriesAsync(string seriesInstanceUid, CancellationToken cancellationToken = default) =>
        await DeleteBlobsAsync(await index.DeleteSeriesAsync(seriesInstanceUid, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<int> DeleteInstanceAsync(string sopInstanceUid, CancellationToken cancellationToken = default) =>
        await DeleteBlobsAsync(await index.DeleteInstanceAsync(sopInstanceUid, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private async Task<int> DeleteBlobsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var key in keys)
        {
            if (await blobs.DeleteAsync(key, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }

        return deleted;
    }
}
