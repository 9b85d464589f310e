namespace Pacs.Archive.Storage;

/// <summary>
/// The local file behind a staged object: created at once (so a storage failure shows when staging starts), closed by <see cref="Close"/> while it waits, reopened
/// (same bytes) on the next use. Opened for synchronous I/O: the ingest writes it in page-cache-sized chunks.
/// </summary>
internal sealed class StagedFile
{
    private const int BufferSize = 128 * 1024;
    private FileStream? _stream;

    public StagedFile(string path)
    {
        Path = path;
        _stream = Open(FileMode.CreateNew);
    }

    public string Path { get; }

    public FileStream Stream => _stream ??= Open(FileMode.Open);

    private FileStream Open(FileMode mode) => new(Path, mode, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.None);

    /// <summary>Closes the file after starting its writeback: the commit's fsync then mostly waits for what is done.</summary>
    public void Park()
    {
        if (_stream is { } stream)
        {
            stream.Flush();
            FileWriteback.Start(stream.SafeFileHandle);
        }

        Close();
    }

    public void Close()
    {
        _stream?.Dispose();
        _stream = null;
    }
}
