namespace Pacs.Archive.Storage;

/// <summary>
/// A staged object of <see cref="S3BlobStore"/>: S3 has no rename, so the content waits in a local file (deleted on
/// close) and the commit uploads it under its key with one PUT.
/// </summary>
internal sealed class S3StagedBlob : IStagedBlob
{
    private const int BufferSize = 128 * 1024;
    private readonly S3BlobStore _store;
    private readonly FileStream _file;

    public S3StagedBlob(S3BlobStore store, string localPath)
    {
        _store = store;
        _file = new FileStream(localPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.DeleteOnClose);
    }

    public Stream Content => _file;

    public async Task<BlobInfo> CommitAsync(string key, CancellationToken cancellationToken = default)
    {
        _file.Flush();
        var length = _file.Length;
        _file.Position = 0;
        using var window = new SubStream(_file, length, leaveOpen: true);
        return await _store.PutAsync(key, window, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
