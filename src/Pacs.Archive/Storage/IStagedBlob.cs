namespace Pacs.Archive.Storage;

/// <summary>
/// An object being written before its key is known: the received bytes go straight into <see cref="Content"/> (so an
/// instance is written once, not spooled and then copied), are read back to learn the key, and are made visible under
/// that key by <see cref="CommitAsync"/>. Disposing an uncommitted object discards it; it is never visible.
/// </summary>
public interface IStagedBlob : IAsyncDisposable
{
    /// <summary>Readable, writable and seekable; the object is its bytes from 0 to its length at commit.</summary>
    Stream Content { get; }

    /// <summary>
    /// Closes <see cref="Content"/> (keeping its bytes, not yet durable) so that a staged object waiting for its
    /// commit holds no file handle or buffer; the next use of <see cref="Content"/> or the commit reopens it.
    /// </summary>
    void Park();

    /// <summary>Stores the content under <paramref name="key"/>, durably, with the same guarantees as <see cref="IBlobStore.PutAsync"/>.</summary>
    Task<BlobInfo> CommitAsync(string key, CancellationToken cancellationToken = default);
}
