using Pacs.Archive.Ingest;

namespace Pacs.Archive.Storage;

/// <summary>
/// Where the dataset of a stored object starts: the object is a Part 10 file whose File Meta Information the archive
/// wrote itself, so its first bytes are enough to find the dataset and the transfer syntax without reading the rest.
/// </summary>
public static class StoredObjectLayout
{
    // The meta the archive writes is a few hundred bytes; a foreign one with long private values still fits.
    private const int ProbeLength = 64 * 1024;

    /// <summary>The offset of the dataset and the Transfer Syntax UID of the object under <paramref name="key"/>.</summary>
    /// <exception cref="Pacs.Dicom.DicomException">The object does not start with a Part 10 header.</exception>
    public static async Task<(long DatasetOffset, string TransferSyntaxUid)> ProbeAsync(IBlobStore blobs, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        var probe = await blobs.OpenReadAsync(key, 0, ProbeLength, cancellationToken).ConfigureAwait(false);
        await using (probe.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            await probe.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            return await Part10Layout.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }
}
