using Pacs.Archive.Embedded;
using Pacs.Archive.Index;
using Pacs.Archive.Ingest;
using Pacs.Archive.Storage;
using Pacs.Dicom;

namespace Pacs.Archive.Tests.Ingest;

/// <summary>Storage or index down: failure results (0xA7xx), never success, and nothing committed.</summary>
[Collection(ArchiveServicesCollection.Name)]
public sealed class FailureTests(ArchiveServicesFixture services)
{
    private static readonly DicomTransferSyntax Ts = DicomTransferSyntax.ExplicitVRLittleEndian;

    [Fact]
    public async Task A_blob_store_that_throws_gives_out_of_resources_and_commits_nothing()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services, new ThrowingBlobStore(new FileSystemBlobStore(services.NewTempDirectory())));
        var result = await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(Datasets.Synthetic(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate())), Ts, null));
        Assert.Equal(IngestStatus.StorageUnavailable, result.Status);
        Assert.Equal(0xA700, result.DimseStatus);
        Assert.False(result.IsSuccess);
        Assert.Equal(0L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance"));
        Assert.Equal(0L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version"));
        Assert.Equal(0L, await archive.ScalarAsync<long>("SELECT count(*) FROM study"));
    }

    [Fact]
    public async Task A_staged_write_that_fails_gives_out_of_resources_and_leaves_nothing()
    {
        var root = services.NewTempDirectory();
        await using var archive = await ArchiveHarness.CreateAsync(services, new ThrowingBlobStore(new FileSystemBlobStore(root)));
        var result = await archive.Pipeline.IngestStreamAsync(Datasets.Streamed(Datasets.Synthetic(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate()), "SCU"));
        Assert.Equal(IngestStatus.StorageUnavailable, result.Status);
        Assert.Equal(0xA700, result.DimseStatus);
        Assert.Equal(0L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version"));
        Assert.Empty(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_s3_server_that_is_down_gives_failures_and_stores_work_again_once_it_is_back()
    {
        // A Swift of its own, so stopping it does not disturb the other tests.
        var root = Path.Combine(services.TempRoot, "s3-down");
        var port = TestData.FreePort(4);
        var scripts = Path.Combine(TestData.RepositoryRoot, "scripts", "test-services");
        TestData.Run(Path.Combine(scripts, "start-s3.sh"), [root, port.ToString()]);
        try
        {
            var options = services.NewS3Options() with { Endpoint = $"127.0.0.1:{port}" };
            var store = new S3BlobStore(options);
            await store.EnsureBucketAsync();
            await using var archive = await ArchiveHarness.CreateAsync(services, store);
            var study = DicomUid.Generate();

            var before = await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate())), Ts, null));
            Assert.Equal(IngestStatus.Stored, before.Status);

            TestData.Run(Path.Combine(scripts, "stop-s3.sh"), [root]);
            var during = await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate())), Ts, null));
            Assert.Equal(IngestStatus.StorageUnavailable, during.Status);
            Assert.Equal(0xA700, during.DimseStatus);
            var streamedDuring = await archive.Pipeline.IngestStreamAsync(Datasets.Streamed(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate()), "SCU"));
            Assert.Equal(IngestStatus.StorageUnavailable, streamedDuring.Status);
            Assert.Equal(1L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance"));
            Assert.Equal(1, await archive.ScalarAsync<int>("SELECT number_of_study_related_instances FROM study"));

            TestData.Run(Path.Combine(scripts, "start-s3.sh"), [root, port.ToString()]);
            var after = await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate())), Ts, null));
            Assert.Equal(IngestStatus.Stored, after.Status);
            var streamedAfter = await archive.Pipeline.IngestStreamAsync(Datasets.Streamed(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate()), "SCU"));
            Assert.Equal(IngestStatus.Stored, streamedAfter.Status);
            Assert.Equal(3, await archive.ScalarAsync<int>("SELECT number_of_study_related_instances FROM study"));
        }
        finally
        {
            TestData.Run(Path.Combine(scripts, "stop-s3.sh"), [root, "--remove"], check: false);
        }
    }

    [Fact]
    public async Task A_database_that_is_down_gives_failures_and_stores_work_again_once_it_is_back()
    {
        await using var postgres = new EmbeddedPostgres(new EmbeddedPostgresOptions { DataDirectory = Path.Combine(services.TempRoot, "pgdown"), Port = TestData.FreePort() });
        await postgres.StartAsync();
        var blobs = new FileSystemBlobStore(services.NewTempDirectory());
        await using var index = await IndexStore.OpenAsync(new IndexStoreOptions { ConnectionString = postgres.ConnectionString });
        var pipeline = new IngestPipeline(blobs, index);
        var study = DicomUid.Generate();

        Assert.Equal(IngestStatus.Stored, (await pipeline.IngestAsync(new IngestRequest(Datasets.Encode(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate())), Ts, null))).Status);

        await postgres.StopAsync();
        var during = await pipeline.IngestAsync(new IngestRequest(Datasets.Encode(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate())), Ts, null));
        Assert.Equal(IngestStatus.IndexUnavailable, during.Status);
        Assert.Equal(0xA700, during.DimseStatus);
        Assert.False(during.IsSuccess);
        var streamedDuring = await pipeline.IngestStreamAsync(Datasets.Streamed(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate()), "SCU"));
        Assert.Equal(IngestStatus.IndexUnavailable, streamedDuring.Status);

        await postgres.StartAsync();
        Assert.Equal(IngestStatus.Stored, (await pipeline.IngestAsync(new IngestRequest(Datasets.Encode(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate())), Ts, null))).Status);
        Assert.Equal(IngestStatus.Stored, (await pipeline.IngestStreamAsync(Datasets.Streamed(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate()), "SCU"))).Status);
        await using var count = index.DataSource.CreateCommand("SELECT number_of_study_related_instances FROM study");
        Assert.Equal(3, (int)(await count.ExecuteScalarAsync())!);
    }

    /// <summary>A store whose puts fail after consuming part of the stream, as a full disk or a dropped connection would.</summary>
    private sealed class ThrowingBlobStore(IBlobStore inner) : IBlobStore
    {
        public async Task<BlobInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
        {
            await content.ReadExactlyAsync(new byte[100], cancellationToken);
            throw new IOException("No space left on device");
        }

        public bool ReadsAreSeekable => inner.ReadsAreSeekable;

        public async Task<IStagedBlob> StageAsync(CancellationToken cancellationToken = default) =>
            new FailingStagedBlob(await inner.StageAsync(cancellationToken));

        public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

        public Task<Stream> OpenReadAsync(string key, long offset, long length, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, offset, length, cancellationToken);

        public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => inner.GetInfoAsync(key, cancellationToken);

        public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(key, cancellationToken);

        public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

        public IAsyncEnumerable<BlobInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);
    }

    /// <summary>A staged object whose disk fills up after 100 bytes.</summary>
    private sealed class FailingStagedBlob(IStagedBlob inner) : IStagedBlob
    {
        private readonly FullDiskStream _content = new(inner.Content, 100);

        public Stream Content => _content;

        public void Park()
        {
            // Kept open: the failing wrapper holds the inner content stream.
        }

        public Task<BlobInfo> CommitAsync(string key, CancellationToken cancellationToken = default) => inner.CommitAsync(key, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class FullDiskStream(Stream inner, long capacity) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (inner.Length + count > capacity)
            {
                throw new IOException("No space left on device");
            }

            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (inner.Length + buffer.Length > capacity)
            {
                throw new IOException("No space left on device");
            }

            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => inner.SetLength(value);
    }
}
