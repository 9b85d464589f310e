namespace Pacs.Archive.Storage;

/// <summary>
/// Where stored instances live: immutable objects under relative keys (see <see cref="BlobKeys"/>). A put either makes
/// the whole object visible or nothing; an object is never rewritten in place.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores the stream's remaining bytes under <paramref name="key"/>, durably, before returning.</summary>
    Task<BlobInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether <see cref="OpenReadAsync(string, CancellationToken)"/> gives seekable streams (local files), so a reader can
    /// seek in one open object instead of asking for ranges (each range of a remote store is a request of its own).
    /// </summary>
    bool ReadsAreSeekable { get; }

    /// <summary>Starts an object whose key is learnt from its own content (see <see cref="IStagedBlob"/>).</summary>
    Task<IStagedBlob> StageAsync(CancellationToken cancellationToken = default);

    /// <summary>The whole object as a stream; <see cref="BlobNotFoundException"/> when absent.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary><paramref name="length"/> bytes from <paramref name="offset"/> (fewer at the end of the object).</summary>
    Task<Stream> OpenReadAsync(string key, long offset, long length, CancellationToken cancellationToken = default);

    /// <summary>
    /// A hint that the first <paramref name="length"/> bytes of an object will be read soon, so a store that can fetch
    /// ahead (the file store: the kernel reads the file into the page cache) starts now. Never fails; stores that cannot
    /// fetch ahead ignore it.
    /// </summary>
    void Prefetch(string key, long length)
    {
    }

    /// <summary>Size and time of an object, or null when absent.</summary>
    Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object; false when it was not there.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every complete object whose key starts with <paramref name="prefix"/> (all when empty), for verify and the sweeper.</summary>
    IAsyncEnumerable<BlobInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default);
}
