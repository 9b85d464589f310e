namespace Pacs.Archive.Storage;

/// <summary>
/// A staged object of <see cref="S3BlobStore"/>: S3 has no rename, so the content waits in a local file (deleted on
/// dispose) and the commit uploads it under its key with one PUT.
/// </summary>
internal sealed class S3StagedBlob(S3BlobStore store, string localPath) : IStagedBlob
{
    private readonly StagedFile _file = new(localPath);

    public Stream Content => _file.Stream;

    public void Park() => _file.Close();

    public async Task<BlobInfo> CommitAsync(string key, CancellationToken cancellationToken = default)
    {
        _file.Flush();
        var file = _file.Stream;
        var length = file.Length;
        file.Position = 0;
        using var window = new SubStream(file, length, leaveOpen: true);
        return await store.PutAsync(key, window, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _file.Close();
        FileSystemBlobStore.TryDelete(_file.Path);
        return ValueTask.CompletedTask;
    }
}
