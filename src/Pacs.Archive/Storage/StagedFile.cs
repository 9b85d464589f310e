namespace Pacs.Archive.Storage;

/// <summary>
/// The local file behind a staged object, closed by <see cref="Park"/> while it waits and reopened (same bytes) on the
/// next use. Written directly to disk when the store has a pool of aligned buffers for it (<see cref="DirectWriteStream"/>:
/// the file is created when the first buffer is full or the content complete, and a small object can be written
/// straight to its final path, <see cref="CompleteAt"/>); otherwise created at once and written through the page cache
/// in synchronous chunks.
/// </summary>
internal sealed class StagedFile
{
    private const int BufferSize = 128 * 1024;
    private Stream? _stream;

    public StagedFile(string path, AlignedBufferPool? directWrites = null)
    {
        Path = path;
        _stream = (Stream?)(directWrites is null ? null : DirectWriteStream.TryCreate(path, directWrites)) ?? Open(FileMode.CreateNew);
    }

    public string Path { get; }

    public Stream Stream => _stream ??= Open(FileMode.Open);

    private FileStream Open(FileMode mode) => new(Path, mode, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.None);

    /// <summary>
    /// Closes the file with its bytes written or their writeback started, so that a staged object waiting for its commit
    /// holds no handle or buffer and the commit's fsync mostly waits for what is done.
    /// </summary>
    public void Park()
    {
        switch (_stream)
        {
            case DirectWriteStream direct:
                direct.Complete();
                break;
            case FileStream file:
                file.Flush();
                FileWriteback.Start(file.SafeFileHandle);
                break;
        }

        Close();
    }

    /// <summary>True while the whole content is still in memory, so <see cref="CompleteAt"/> can write it to its final path.</summary>
    public bool CanCompleteAt => _stream is DirectWriteStream { Created: false };

    /// <summary>Writes the whole content durably into a new file at <paramref name="path"/> (see <see cref="CanCompleteAt"/>) and closes it.</summary>
    public void CompleteAt(string path)
    {
        ((DirectWriteStream)_stream!).CompleteDurablyAt(path);
        Close();
    }

    /// <summary>Makes the file's bytes and length durable (fsync).</summary>
    public void Sync()
    {
        switch (Stream)
        {
            case DirectWriteStream direct:
                direct.CompleteDurably();
                break;
            case FileStream file:
                file.Flush(flushToDisk: true);
                break;
        }
    }

    /// <summary>Flushes what is buffered in this process (not necessarily to disk).</summary>
    public void Flush()
    {
        switch (Stream)
        {
            case DirectWriteStream direct:
                direct.Complete();
                break;
            case var other:
                other.Flush();
                break;
        }
    }

    public void Close()
    {
        _stream?.Dispose();
        _stream = null;
    }
}
