using System.Security.Cryptography;
using Pacs.Archive.Storage;

namespace Pacs.Archive.Tests.Storage;

/// <summary>The behaviour every <see cref="IBlobStore"/> must have; run once per implementation by the subclasses.</summary>
public abstract class BlobStoreContractTests
{
    protected abstract Task<IBlobStore> CreateStoreAsync();

    [Fact]
    public async Task Put_then_get_returns_the_same_bytes_and_info()
    {
        var store = await CreateStoreAsync();
        var data = RandomNumberGenerator.GetBytes(300_000);
        var key = BlobKeys.ForInstance("1.2.3", "1.2.3.4", "1.2.3.4.5", 7);
        Assert.Equal("1.2.3/1.2.3.4/1.2.3.4.5_7.dcm", key);

        var info = await store.PutAsync(key, new MemoryStream(data));
        Assert.Equal(data.Length, info.Length);
        Assert.True(await store.ExistsAsync(key));
        Assert.Equal(data.Length, (await store.GetInfoAsync(key))!.Length);
        Assert.Equal(data, await ReadAllAsync(await store.OpenReadAsync(key)));
    }

    [Fact]
    public async Task Ranged_get_returns_exactly_the_window()
    {
        var store = await CreateStoreAsync();
        var data = RandomNumberGenerator.GetBytes(100_000);
        await store.PutAsync("r/1.dcm", new MemoryStream(data));

        foreach (var (offset, length) in new (long, long)[] { (0, 1), (0, 100_000), (132, 4), (99_990, 10), (50_000, 12_345), (99_990, 500) })
        {
            var expected = data.AsSpan((int)offset, (int)Math.Min(length, data.Length - offset)).ToArray();
            Assert.Equal(expected, await ReadAllAsync(await store.OpenReadAsync("r/1.dcm", offset, length)));
        }

        Assert.Empty(await ReadAllAsync(await store.OpenReadAsync("r/1.dcm", 200_000, 10)));
    }

    [Fact]
    public async Task Prefetch_is_only_a_hint_absent_or_malformed_keys_and_long_lengths_change_nothing()
    {
        var store = await CreateStoreAsync();
        var data = RandomNumberGenerator.GetBytes(70_000);
        await store.PutAsync("p/1.dcm", new MemoryStream(data));

        store.Prefetch("p/1.dcm", data.Length);
        store.Prefetch("p/1.dcm", long.MaxValue);
        store.Prefetch("p/absent.dcm", 1000);
        store.Prefetch("../outside.dcm", 1000);
        store.Prefetch("p/1.dcm", 0);

        Assert.Equal(data, await ReadAllAsync(await store.OpenReadAsync("p/1.dcm")));
        Assert.False(await store.ExistsAsync("p/absent.dcm"));
    }

    [Fact]
    public async Task Delete_removes_the_object_and_says_whether_it_existed()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync("d/1.dcm", new MemoryStream([1, 2, 3]));
        Assert.True(await store.DeleteAsync("d/1.dcm"));
        Assert.False(await store.ExistsAsync("d/1.dcm"));
        Assert.Null(await store.GetInfoAsync("d/1.dcm"));
        Assert.False(await store.DeleteAsync("d/1.dcm"));
        await Assert.ThrowsAsync<BlobNotFoundException>(() => store.OpenReadAsync("d/1.dcm"));
    }

    [Fact]
    public async Task List_returns_every_object_under_a_prefix_with_its_size()
    {
        var store = await CreateStoreAsync();
        var keys = new[] { "1.2/3.4/5.6/1.dcm", "1.2/3.4/5.7/2.dcm", "1.2/3.9/5.8/3.dcm", "1.3/3.4/5.6/4.dcm" };
        for (var i = 0; i < keys.Length; i++)
        {
            await store.PutAsync(keys[i], new MemoryStream(new byte[i + 10]));
        }

        var all = await ListAsync(store, string.Empty);
        Assert.Equal(keys, all.Select(b => b.Key).Order(StringComparer.Ordinal));
        Assert.Equal([10L, 11, 12, 13], all.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Length));
        Assert.Equal(keys[..2], (await ListAsync(store, "1.2/3.4/")).Select(b => b.Key).Order(StringComparer.Ordinal));
        Assert.Equal(keys[..3], (await ListAsync(store, "1.2/")).Select(b => b.Key).Order(StringComparer.Ordinal));
        Assert.Empty(await ListAsync(store, "9.9/"));
    }

    [Fact]
    public async Task A_put_whose_source_fails_leaves_no_visible_object()
    {
        var store = await CreateStoreAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => store.PutAsync("f/1.dcm", new FailingStream(200_000)));
        Assert.False(await store.ExistsAsync("f/1.dcm"));
        Assert.Empty(await ListAsync(store, string.Empty));
    }

    [Fact]
    public async Task A_cancelled_put_leaves_no_visible_object()
    {
        var store = await CreateStoreAsync();
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.PutAsync("c/1.dcm", new FailingStream(200_000, cts), cts.Token));
        Assert.False(await store.ExistsAsync("c/1.dcm"));
        Assert.Empty(await ListAsync(store, string.Empty));
    }

    [Fact]
    public async Task A_staged_object_is_visible_only_once_committed_and_holds_what_was_written()
    {
        var store = await CreateStoreAsync();
        var data = RandomNumberGenerator.GetBytes(250_000);
        await using (var staged = await store.StageAsync())
        {
            await staged.Content.WriteAsync(data.AsMemory(0, 1000));
            await staged.Content.WriteAsync(data.AsMemory(1000));

            // The staged bytes can be read back before the key is known (the ingest reads the header from them).
            staged.Content.Position = 100;
            var back = new byte[50];
            await staged.Content.ReadExactlyAsync(back);
            Assert.Equal(data.AsSpan(100, 50).ToArray(), back);
            Assert.Empty(await ListAsync(store, string.Empty));

            var info = await staged.CommitAsync("s/1.2/3.dcm");
            Assert.Equal(data.Length, info.Length);
        }

        Assert.Equal(data, await ReadAllAsync(await store.OpenReadAsync("s/1.2/3.dcm")));
        Assert.Equal(["s/1.2/3.dcm"], (await ListAsync(store, string.Empty)).Select(b => b.Key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4095)]
    [InlineData(1024 * 1024)]
    [InlineData(2 * 1024 * 1024 + 4097)]
    public async Task A_staged_object_of_any_size_reads_back_and_commits_exactly(int length)
    {
        // Sizes around the block and buffer boundaries of a file system store that writes around the page cache.
        var store = await CreateStoreAsync();
        var data = RandomNumberGenerator.GetBytes(length);
        await using (var staged = await store.StageAsync())
        {
            for (var offset = 0; offset < length; offset += 65_000)
            {
                staged.Content.Write(data.AsSpan(offset, Math.Min(65_000, length - offset)));
            }

            foreach (var position in new[] { 0, length / 3, Math.Max(0, length - 5000) })
            {
                staged.Content.Position = position;
                var back = new byte[Math.Min(5000, length - position)];
                await staged.Content.ReadExactlyAsync(back);
                Assert.Equal(data.AsSpan(position, back.Length).ToArray(), back);
            }

            Assert.Equal(length, (await staged.CommitAsync($"z/{length}.dcm")).Length);
        }

        Assert.Equal(data, await ReadAllAsync(await store.OpenReadAsync($"z/{length}.dcm")));
        Assert.Equal(length, (await store.GetInfoAsync($"z/{length}.dcm"))!.Length);
    }

    [Fact]
    public async Task A_parked_staged_object_keeps_its_bytes_and_commits_them_or_leaves_nothing()
    {
        var store = await CreateStoreAsync();
        var data = RandomNumberGenerator.GetBytes(300_000);
        await using (var staged = await store.StageAsync())
        {
            staged.Content.Write(data);
            staged.Park();

            // Reopened on use, with every byte written before the park.
            staged.Content.Position = 299_990;
            var back = new byte[10];
            await staged.Content.ReadExactlyAsync(back);
            Assert.Equal(data.AsSpan(299_990).ToArray(), back);
            staged.Park();
            Assert.Empty(await ListAsync(store, string.Empty));
            Assert.Equal(data.Length, (await staged.CommitAsync("p/1.dcm")).Length);
        }

        Assert.Equal(data, await ReadAllAsync(await store.OpenReadAsync("p/1.dcm")));
        await using (var abandoned = await store.StageAsync())
        {
            abandoned.Content.Write(data);
            abandoned.Park();
        }

        Assert.Equal(["p/1.dcm"], (await ListAsync(store, string.Empty)).Select(b => b.Key));
    }

    [Fact]
    public async Task A_staged_object_never_committed_leaves_nothing()
    {
        var store = await CreateStoreAsync();
        await using (var staged = await store.StageAsync())
        {
            await staged.Content.WriteAsync(RandomNumberGenerator.GetBytes(10_000));
        }

        Assert.Empty(await ListAsync(store, string.Empty));
        await using var invalid = await store.StageAsync();
        await invalid.Content.WriteAsync(new byte[] { 1, 2, 3 });
        await Assert.ThrowsAsync<ArgumentException>(() => invalid.CommitAsync("../escape.dcm"));
    }

    [Theory]
    [InlineData("../escape.dcm")]
    [InlineData("a/../../escape.dcm")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b.dcm")]
    [InlineData(".tmp/x")]
    [InlineData("a/./b")]
    [InlineData("a\\..\\b")]
    [InlineData("a/b/")]
    [InlineData("")]
    [InlineData("a/b c")]
    public async Task Keys_that_could_leave_the_store_are_rejected(string key)
    {
        var store = await CreateStoreAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(key, new MemoryStream([1])));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ExistsAsync(key));
    }

    internal static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    internal static async Task<List<BlobInfo>> ListAsync(IBlobStore store, string prefix)
    {
        var list = new List<BlobInfo>();
        await foreach (var blob in store.ListAsync(prefix))
        {
            list.Add(blob);
        }

        return list;
    }

    /// <summary>Hands out <c>failAfter</c> bytes, then throws (or cancels the given source and throws that).</summary>
    private sealed class FailingStream(int failAfter, CancellationTokenSource? cancel = null) : Stream
    {
        private int _given;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => failAfter * 2L;

        public override long Position
        {
            get => _given;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_given >= failAfter)
            {
                if (cancel is not null)
                {
                    cancel.Cancel();
                    throw new OperationCanceledException(cancel.Token);
                }

                throw new IOException("the source failed");
            }

            var n = Math.Min(count, failAfter - _given);
            buffer.AsSpan(offset, n).Fill(0x42);
            _given += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

[Collection(ArchiveServicesCollection.Name)]
public sealed class FileSystemBlobStoreTests(ArchiveServicesFixture services) : BlobStoreContractTests
{
    protected override Task<IBlobStore> CreateStoreAsync() => Task.FromResult<IBlobStore>(new FileSystemBlobStore(services.NewTempDirectory()));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Objects_are_plain_files_under_the_root_and_no_temporary_file_remains(bool directWrites)
    {
        var root = services.NewTempDirectory();
        var store = new FileSystemBlobStore(root, directWrites);
        await store.PutAsync("1.2/3.4/5.6/9.dcm", new MemoryStream([9, 8, 7]));
        Assert.Equal([9, 8, 7], await File.ReadAllBytesAsync(Path.Combine(root, "1.2", "3.4", "5.6", "9.dcm")));
        Assert.Empty(TemporaryFiles(root));
        await Assert.ThrowsAsync<IOException>(() => store.PutAsync("1.2/3.4/5.6/9.dcm", new MemoryStream([1])));
        Assert.Equal([9, 8, 7], await File.ReadAllBytesAsync(Path.Combine(root, "1.2", "3.4", "5.6", "9.dcm")));

        // A staged object lives in the same temporary folder until it is renamed into place, or removed. Written
        // around the page cache, a small one stays in memory until its commit writes it at its key (no file before).
        await using (var staged = await store.StageAsync())
        {
            await staged.Content.WriteAsync(new byte[] { 4, 5 });
            Assert.Equal(directWrites ? 0 : 1, TemporaryFiles(root).Length);
            await Assert.ThrowsAsync<IOException>(() => staged.CommitAsync("1.2/3.4/5.6/9.dcm"));
        }

        Assert.Empty(TemporaryFiles(root));
        Assert.Equal([9, 8, 7], await File.ReadAllBytesAsync(Path.Combine(root, "1.2", "3.4", "5.6", "9.dcm")));

        // One larger than the write buffer is in the temporary folder as soon as the buffer fills.
        var large = RandomNumberGenerator.GetBytes(1024 * 1024 + 10);
        await using (var staged = await store.StageAsync())
        {
            staged.Content.Write(large);
            Assert.Single(TemporaryFiles(root));
            await staged.CommitAsync("1.2/3.4/5.6/10.dcm");
        }

        Assert.Empty(TemporaryFiles(root));
        Assert.Equal(large, await File.ReadAllBytesAsync(Path.Combine(root, "1.2", "3.4", "5.6", "10.dcm")));
    }

    [Fact]
    public async Task Each_store_stages_in_its_own_folder_under_the_temporary_folder()
    {
        var root = services.NewTempDirectory();
        var first = new FileSystemBlobStore(root, directWrites: false);
        var second = new FileSystemBlobStore(root, directWrites: false);
        Assert.NotEqual(first.StagingDirectory, second.StagingDirectory);
        Assert.All([first.StagingDirectory, second.StagingDirectory], d => Assert.Equal(Path.Combine(root, ".tmp"), Path.GetDirectoryName(d)));

        await using var staged = await first.StageAsync();
        await staged.Content.WriteAsync(new byte[] { 1, 2, 3 });
        Assert.Single(Directory.GetFiles(first.StagingDirectory));
        Assert.Empty(Directory.GetFiles(second.StagingDirectory));

        // A staging folder holds no object: listing the store shows nothing.
        Assert.Empty(await ListKeysAsync(first));
    }

    [Fact]
    public async Task Start_up_clean_up_removes_stale_temporary_files_of_every_staging_folder_and_the_folders_left_empty()
    {
        var root = services.NewTempDirectory();
        var crashed = new FileSystemBlobStore(root, directWrites: false);
        var staged = await crashed.StageAsync();
        await staged.Content.WriteAsync(new byte[] { 7 });
        var leftover = Directory.GetFiles(crashed.StagingDirectory).Single();
        File.SetLastWriteTimeUtc(leftover, DateTime.UtcNow.AddHours(-2));
        Directory.SetLastWriteTimeUtc(crashed.StagingDirectory, DateTime.UtcNow.AddHours(-2));
        var emptyStale = Path.Combine(root, ".tmp", "d0123456789abcdef");
        Directory.CreateDirectory(emptyStale);
        Directory.SetLastWriteTimeUtc(emptyStale, DateTime.UtcNow.AddHours(-2));

        var restarted = new FileSystemBlobStore(root, directWrites: false);
        var fresh = await restarted.StageAsync();
        await fresh.Content.WriteAsync(new byte[] { 8 });

        Assert.Equal(1, restarted.DeleteTemporaryFiles(TimeSpan.FromHours(1)));
        Assert.False(File.Exists(leftover));
        Assert.False(Directory.Exists(emptyStale));
        Assert.True(Directory.Exists(restarted.StagingDirectory));
        Assert.Single(Directory.GetFiles(restarted.StagingDirectory));
        await fresh.DisposeAsync();

        // Deleting the file made its folder recent again: the folder goes at a later clean-up, once idle long enough.
        Assert.True(Directory.Exists(crashed.StagingDirectory));
        Directory.SetLastWriteTimeUtc(crashed.StagingDirectory, DateTime.UtcNow.AddHours(-2));
        Assert.Equal(0, restarted.DeleteTemporaryFiles(TimeSpan.FromHours(1)));
        Assert.False(Directory.Exists(crashed.StagingDirectory));

        // The first process, if it is still running after all, stages again in a folder made anew.
        await staged.DisposeAsync();
        await using var again = await crashed.StageAsync();
        await again.Content.WriteAsync(new byte[] { 9, 9 });
        await again.CommitAsync("1.3/1.3.1/1.3.1.1_1.dcm");
        Assert.Equal([9, 9], await File.ReadAllBytesAsync(Path.Combine(root, "1.3", "1.3.1", "1.3.1.1_1.dcm")));
        await crashed.PutAsync("1.3/1.3.1/1.3.1.2_1.dcm", new MemoryStream([7]));
    }

    [Fact]
    public async Task Concurrent_puts_into_a_new_study_create_its_folder_once_and_leave_no_folder_behind()
    {
        var root = services.NewTempDirectory();
        var store = new FileSystemBlobStore(root);
        var keys = Enumerable.Range(1, 24).Select(i => BlobKeys.ForInstance("1.2.9", "1.2.9." + (i % 3), "1.2.9.7." + i, 1)).ToList();
        await Task.WhenAll(keys.Select(k => Task.Run(() => store.PutAsync(k, new MemoryStream([(byte)k.Length])))));

        Assert.Equal(keys.Order(StringComparer.Ordinal), (await ListKeysAsync(store)).Order(StringComparer.Ordinal));
        Assert.Equal(["1.2.9"], Directory.GetDirectories(root).Select(Path.GetFileName).Where(n => n != ".tmp"));
        Assert.Equal([store.StagingDirectory], Directory.GetDirectories(Path.Combine(root, ".tmp")));
    }

    [Fact]
    public async Task On_ext4_the_temporary_folder_is_flagged_so_study_and_staging_folders_get_block_groups_of_their_own()
    {
        var root = services.NewTempDirectory();
        var store = new FileSystemBlobStore(root);
        await store.PutAsync("1.2.8/1.2.8.1/1.2.8.1.1_1.dcm", new MemoryStream([1]));

        // lsattr (e2fsprogs) is an independent reader of the flag; 'T' is "top of directory hierarchies".
        var (code, output) = await RunAsync("lsattr", "-d", Path.Combine(root, ".tmp"));
        var fileSystem = (await RunAsync("stat", "-f", "-c", "%T", root)).Output.Trim();

        // Elsewhere the flag is only a hint the file system does not take; the store works the same.
        if (fileSystem.StartsWith("ext", StringComparison.Ordinal))
        {
            Assert.Equal(0, code);
            Assert.Contains('T', output.Split(' ')[0]);
            Assert.True(DirectoryPlacement.IsTopOfHierarchies(Path.Combine(root, ".tmp")));
        }

        Assert.True(File.Exists(Path.Combine(root, "1.2.8", "1.2.8.1", "1.2.8.1.1_1.dcm")));
    }

    private static async Task<(int Code, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private static string[] TemporaryFiles(string root) => Directory.GetFiles(Path.Combine(root, ".tmp"), "*", SearchOption.AllDirectories);

    private static async Task<List<string>> ListKeysAsync(IBlobStore store)
    {
        var keys = new List<string>();
        await foreach (var info in store.ListAsync())
        {
            keys.Add(info.Key);
        }

        return keys;
    }
}

/// <summary>The same contract for the file system store writing through the page cache (<c>Pacs:Storage:DirectWrites=false</c>).</summary>
[Collection(ArchiveServicesCollection.Name)]
public sealed class BufferedFileSystemBlobStoreTests(ArchiveServicesFixture services) : BlobStoreContractTests
{
    protected override Task<IBlobStore> CreateStoreAsync() => Task.FromResult<IBlobStore>(new FileSystemBlobStore(services.NewTempDirectory(), directWrites: false));
}

[Collection(ArchiveServicesCollection.Name)]
public sealed class S3BlobStoreTests(ArchiveServicesFixture services) : BlobStoreContractTests
{
    protected override async Task<IBlobStore> CreateStoreAsync()
    {
        var store = new S3BlobStore(services.NewS3Options());
        await store.EnsureBucketAsync();
        return store;
    }

    [Fact]
    public async Task Ensuring_an_existing_bucket_is_harmless()
    {
        var options = services.NewS3Options();
        using var first = new S3BlobStore(options);
        await first.EnsureBucketAsync();
        await first.PutAsync("k/1.dcm", new MemoryStream([5]));
        using var second = new S3BlobStore(options);
        await second.EnsureBucketAsync();
        Assert.True(await second.ExistsAsync("k/1.dcm"));
    }
}
