using System.Buffers;
using Pacs.Dicom.IO;
using Pacs.Web.Hosting;

namespace Pacs.Web.Wado;

/// <summary>Reads stored instances (Part 10 blobs) for the retrieve and render paths.</summary>
public sealed class StoredInstanceReader(IPacsWebArchive archive)
{
    /// <summary>Copies the stored object to <paramref name="destination"/> as it is (no parse).</summary>
    public Task CopyToAsync(InstanceLocation location, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        return CopyToAsync(location.BlobKey, destination, cancellationToken);
    }

    /// <summary>Copies the stored object under <paramref name="blobKey"/> to <paramref name="destination"/> as it is.</summary>
    public async Task CopyToAsync(string blobKey, Stream destination, CancellationToken cancellationToken)
    {
        var source = await archive.Blobs.OpenReadAsync(blobKey, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await source.CopyToAsync(destination, 81920, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The stored object, parsed; values stay in the loaded bytes.</summary>
    public Task<DicomFile> OpenAsync(InstanceLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        return OpenAsync(location.BlobKey, location.Size, cancellationToken);
    }

    /// <summary>
    /// Reads the stored object into a pooled buffer and gives <paramref name="use"/> its parse; the buffer goes back to the
    /// pool afterwards, so nothing of the dataset may outlive <paramref name="use"/>. For the render path, where a 512 KB
    /// CT object per request would otherwise be a fresh large-object-heap array.
    /// </summary>
    public async Task<T> WithPooledAsync<T>(InstanceLocation location, Func<DicomFile, T> use, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(use);
        var size = checked((int)location.Size);
        var bytes = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var source = await archive.Blobs.OpenReadAsync(location.BlobKey, cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                await source.ReadExactlyAsync(bytes.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            }

            return use(DicomFile.Open(bytes.AsMemory(0, size)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>The stored object of <paramref name="size"/> bytes under <paramref name="blobKey"/>, parsed.</summary>
    public async Task<DicomFile> OpenAsync(string blobKey, long size, CancellationToken cancellationToken)
    {
        var bytes = new byte[size];
        var source = await archive.Blobs.OpenReadAsync(blobKey, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await source.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        return DicomFile.Open(bytes);
    }
}
