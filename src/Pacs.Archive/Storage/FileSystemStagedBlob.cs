namespace Pacs.Archive.Storage;

/// <summary>
/// A staged object of <see cref="FileSystemBlobStore"/>: a temporary file under the store's <c>.tmp</c> folder that the
/// commit fsyncs and renames into place (written directly to disk where the store does that, see
/// <see cref="DirectWriteStream"/>) — the same atomic put as <see cref="FileSystemBlobStore.PutAsync"/>, without the copy.
/// </summary>
internal sealed class FileSystemStagedBlob : IStagedBlob
{
    private readonly FileSystemBlobStore _store;
    private readonly StagedFile _file;
    private bool _committed;

    public FileSystemStagedBlob(FileSystemBlobStore store, string temporaryPath, AlignedBufferPool? directWrites)
    {
        _store = store;
        _file = new StagedFile(temporaryPath, directWrites);
    }

    public Stream Content => _file.Stream;

    public void Park() => _file.Park();

    public Task<BlobInfo> CommitAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        cancellationToken.ThrowIfCancellationRequested();
        BlobInfo info;
        if (_file.CanCompleteAt)
        {
            // Nothing is on disk yet: the object is written once, at its key, with no temporary file to rename.
            info = _store.Place(key, _file.CompleteAt, cancellationToken);
        }
        else
        {
            _file.Sync();
            _file.Close();
            info = _store.MoveIntoPlace(_file.Path, key, cancellationToken);
        }

        _committed = true;
        return Task.FromResult(info);
    }

    public ValueTask DisposeAsync()
    {
        _file.Close();
        if (!_committed)
        {
            FileSystemBlobStore.TryDelete(_file.Path);
        }

        return ValueTask.CompletedTask;
    }
}
