namespace Pacs.Archive.Storage;

/// <summary>
/// A staged object of <see cref="FileSystemBlobStore"/>: a temporary file under the store's <c>.tmp</c> folder that the
/// commit fsyncs and renames into place (opened for synchronous I/O: the ingest writes it in page-cache-sized chunks) — the same atomic put as <see cref="FileSystemBlobStore.PutAsync"/>, without the copy.
/// </summary>
internal sealed class FileSystemStagedBlob : IStagedBlob
{
    private const int BufferSize = 128 * 1024;
    private readonly FileSystemBlobStore _store;
    private readonly string _temporary;
    private readonly FileStream _file;
    private bool _committed;

    public FileSystemStagedBlob(FileSystemBlobStore store, string temporaryPath)
    {
        _store = store;
        _temporary = temporaryPath;
        _file = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.None);
    }

    public Stream Content => _file;

    public async Task<BlobInfo> CommitAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        cancellationToken.ThrowIfCancellationRequested();
        _file.Flush(flushToDisk: true);
        await _file.DisposeAsync().ConfigureAwait(false);
        var info = _store.MoveIntoPlace(_temporary, key, cancellationToken);
        _committed = true;
        return info;
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync().ConfigureAwait(false);
        if (!_committed)
        {
            FileSystemBlobStore.TryDelete(_temporary);
        }
    }
}
