using System.Runtime.CompilerServices;

namespace Pacs.Archive.Storage;

/// <summary>
/// Objects as files under a root directory. A put writes a temporary file in this store's own staging folder
/// <c>{root}/.tmp/{random}</c> (same file system; see <see cref="DirectoryPlacement"/> for why a folder of its own),
/// fsyncs it, renames it into place and fsyncs the directories whose entries changed, so after a crash an object is
/// either complete or absent. Keys are validated (<see cref="BlobKeys.Validate"/>) so none can leave the root.
/// Staged objects (what ingest writes) are written around the page cache where the file system allows it
/// (<see cref="DirectWriteStream"/>) unless <c>directWrites</c> is off.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private const string TemporaryFolder = ".tmp";
    private const int BufferSize = 128 * 1024;
    private readonly string _root;
    private readonly string _temporaryRoot;
    private readonly string _temporary;
    private readonly AlignedBufferPool? _directWrites;

    public FileSystemBlobStore(string rootDirectory, bool directWrites = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        _root = Path.GetFullPath(rootDirectory);
        _temporaryRoot = Path.Combine(_root, TemporaryFolder);
        Directory.CreateDirectory(_temporaryRoot);
        DirectoryPlacement.TryMarkTopOfHierarchies(_temporaryRoot);
        _temporary = Path.Combine(_temporaryRoot, Guid.NewGuid().ToString("N")[..16]);
        Directory.CreateDirectory(_temporary);
        _directWrites = directWrites ? new AlignedBufferPool() : null;
    }

    public string RootDirectory => _root;

    public bool ReadsAreSeekable => true;

    /// <summary>The staging folder of this store instance, where its temporary files are created.</summary>
    internal string StagingDirectory => _temporary;

    /// <summary>
    /// Removes temporary files older than <paramref name="olderThan"/> (left by puts that a crash interrupted) in every
    /// staging folder (other processes sharing the root have their own), and the staging folders left empty. The server's
    /// sweeper calls it with the stale-reservation age: a store in flight for longer has lost its reservation anyway.
    /// </summary>
    public int DeleteTemporaryFiles(TimeSpan olderThan)
    {
        var limit = DateTime.UtcNow - olderThan;
        var count = 0;
        var root = new DirectoryInfo(_temporaryRoot);
        foreach (var file in root.EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if (file.LastWriteTimeUtc < limit)
            {
                file.Delete();
                count++;
            }
        }

        foreach (var folder in root.EnumerateDirectories())
        {
            if (folder.FullName != _temporary && folder.LastWriteTimeUtc < limit && !folder.EnumerateFileSystemInfos().Any())
            {
                try
                {
                    folder.Delete();
                }
                catch (IOException)
                {
                    // Another process started using it after all.
                }
            }
        }

        return count;
    }

    public async Task<BlobInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        _ = PathOf(key);
        var temporary = NewTemporaryPath();
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await content.CopyToAsync(stream, BufferSize, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            return MoveIntoPlace(temporary, key, cancellationToken);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public Task<IStagedBlob> StageAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IStagedBlob>(new FileSystemStagedBlob(this, NewTemporaryPath(), _directWrites));
    }

    /// <summary>
    /// A new path in the staging folder, which is made again if another process's clean-up removed it while it was
    /// empty and idle (see <see cref="DeleteTemporaryFiles"/>).
    /// </summary>
    private string NewTemporaryPath()
    {
        if (!Directory.Exists(_temporary))
        {
            Directory.CreateDirectory(_temporary);
        }

        return Path.Combine(_temporary, Guid.NewGuid().ToString("N"));
    }

    /// <summary>Renames a complete, fsynced temporary file to its key's path and fsyncs the directories that changed.</summary>
    internal BlobInfo MoveIntoPlace(string temporary, string key, CancellationToken cancellationToken) =>
        Place(key, target => File.Move(temporary, target, overwrite: false), cancellationToken);

    /// <summary>
    /// Creates the key's folders, lets <paramref name="place"/> put a complete, fsynced file at the key's path (it must not
    /// exist yet) and fsyncs the directories whose entries changed. A file written at its key before its version is
    /// committed is harmless: no row refers to it, and a failed ingest deletes it (or the sweeper does).
    /// </summary>
    internal BlobInfo Place(string key, Action<string> place, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        var directory = Path.GetDirectoryName(target)!;
        var created = CreateDirectories(directory);
        cancellationToken.ThrowIfCancellationRequested();
        place(target);
        DirectorySync.Flush(directory);
        foreach (var parent in created)
        {
            DirectorySync.Flush(parent);
        }

        var info = new FileInfo(target);
        return new BlobInfo(key, info.Length, info.LastWriteTimeUtc);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<Stream>(OpenFile(key));
    }

    public Task<Stream> OpenReadAsync(string key, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        cancellationToken.ThrowIfCancellationRequested();
        var file = OpenFile(key);
        var available = Math.Max(0, file.Length - offset);
        file.Position = Math.Min(offset, file.Length);
        return Task.FromResult<Stream>(new SubStream(file, Math.Min(length, available)));
    }

    /// <summary>
    /// Blobs are written with direct I/O, so a blob not read since it was stored is not in the page cache: a retrieve
    /// that reads them one after another would wait for the disk on each. This starts the kernel's read of the next ones.
    /// </summary>
    public void Prefetch(string key, long length)
    {
        if (!OperatingSystem.IsLinux() || length <= 0)
        {
            return;
        }

        try
        {
            using var file = File.OpenHandle(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            LinuxFile.AdviseWillNeed(file, length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Only a hint: the read that follows reports what is wrong.
        }
    }

    public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? new BlobInfo(key, info.Length, info.LastWriteTimeUtc) : null);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(PathOf(key)));

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        DirectorySync.Flush(Path.GetDirectoryName(path)!);
        return Task.FromResult(true);
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobKeys.ValidatePrefix(prefix);
        await Task.Yield();

        // Walk only the folders the prefix can be in: the part before its last '/' is a folder path.
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : Path.Combine(_root, prefix[..slash]);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.None, IgnoreInaccessible = false };
        foreach (var file in new DirectoryInfo(start).EnumerateFiles("*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(TemporaryFolder + "/", StringComparison.Ordinal) || !key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            yield return new BlobInfo(key, file.Length, file.LastWriteTimeUtc);
        }
    }

    private BlobFileStream OpenFile(string key)
    {
        var path = PathOf(key);
        try
        {
            return new BlobFileStream(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.SequentialScan));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException($"No object '{key}'.", ex);
        }
    }

    private string PathOf(string key)
    {
        BlobKeys.Validate(key);
        var path = Path.GetFullPath(Path.Combine(_root, key));

        // Belt and braces on top of the key rules: the resolved path must stay under the root.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Blob key '{key}' leaves the store's root.", nameof(key));
        }

        return path;
    }

    /// <summary>Creates the missing folders of <paramref name="directory"/>; returns the parents whose entries changed.</summary>
    private List<string> CreateDirectories(string directory)
    {
        var missing = new List<string>();
        for (var d = directory; d.Length > _root.Length && !Directory.Exists(d); d = Path.GetDirectoryName(d)!)
        {
            missing.Add(d);
        }

        if (missing.Count == 0)
        {
            return missing;
        }

        if (Path.GetDirectoryName(missing[^1]) == _root)
        {
            CreateSpread(missing[^1]);
        }

        Directory.CreateDirectory(directory);
        var parents = new List<string>(missing.Count);
        foreach (var created in missing)
        {
            parents.Add(Path.GetDirectoryName(created)!);
        }

        return parents;
    }

    /// <summary>
    /// Creates a top-level folder (a study's) in a block group of its own, whatever its name (see
    /// <see cref="DirectoryPlacement"/>): made under a random name in the flagged temporary folder, then renamed into place
    /// unless another writer created it meanwhile.
    /// </summary>
    private void CreateSpread(string path)
    {
        var staged = Path.Combine(_temporaryRoot, "d" + Guid.NewGuid().ToString("N")[..16]);
        Directory.CreateDirectory(staged);
        if (!DirectoryPlacement.TryRenameNoReplace(staged, path))
        {
            Directory.Delete(staged);
        }
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The temporary file stays until DeleteTemporaryFiles; it is never visible as an object.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
