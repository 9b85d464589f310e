using Microsoft.Extensions.Options;
using Pacs.Archive.Embedded;
using Pacs.Archive.Index;
using Pacs.Archive.Ingest;
using Pacs.Archive.Maintenance;
using Pacs.Archive.Query;
using Pacs.Archive.Retrieve;
using Pacs.Archive.Storage;
using Pacs.Server.Configuration;

namespace Pacs.Server.Hosting;

/// <summary>
/// Brings the archive up before anything can use it: the embedded PostgreSQL cluster (unless a connection
/// string is configured), the index with its migrations, the blob store, the ingest pipeline, and a first sweep
/// of reservations a crash left behind. Registered first, so it stops last: the DICOM service drains first.
/// </summary>
public sealed partial class ArchiveRuntime(IOptions<PacsOptions> options, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly PacsOptions _options = options.Value;
    private readonly ILogger _logger = loggers.CreateLogger<ArchiveRuntime>();
    private EmbeddedPostgres? _embedded;
    private IndexStore? _index;
    private IBlobStore? _blobs;
    private IngestPipeline? _ingest;
    private QueryService? _query;
    private RetrieveService? _retrieve;

    public IndexStore Index => _index ?? throw NotStarted();

    public IBlobStore Blobs => _blobs ?? throw NotStarted();

    public IngestPipeline Ingest => _ingest ?? throw NotStarted();

    /// <summary>The one query model, shared by C-FIND and QIDO-RS.</summary>
    public QueryService Query => _query ?? throw NotStarted();

    public RetrieveService Retrieve => _retrieve ?? throw NotStarted();

    public string SpoolDirectory { get; private set; } = string.Empty;

    /// <summary>
    /// True when the previous run of this node did not stop cleanly (killed, crashed, power lost): blobs may then be on
    /// disk that no index row refers to, and the sweeper looks for them soon instead of at its usual interval.
    /// </summary>
    public bool StoppedUncleanly { get; private set; }

    private string RunningMarker => Path.Combine(Path.GetFullPath(_options.DataDirectory), "pacs.running");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_options.DataDirectory);

        // Present at start-up only if the previous run never reached StopAsync.
        StoppedUncleanly = File.Exists(RunningMarker);
        await File.WriteAllTextAsync(RunningMarker, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        var connectionString = _options.Database.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            _embedded = new EmbeddedPostgres(new EmbeddedPostgresOptions { DataDirectory = _options.IndexDirectory, Port = _options.Database.EmbeddedPort });
            await _embedded.StartAsync(cancellationToken).ConfigureAwait(false);
            connectionString = _embedded.ConnectionString;
            LogEmbeddedStarted(_options.IndexDirectory, _options.Database.EmbeddedPort);
        }

        // Spool (STOW parts) and S3 staging files of a previous run were never acknowledged.
        SpoolDirectory = string.IsNullOrWhiteSpace(_options.Ingest.SpoolDirectory)
            ? Path.Combine(Path.GetFullPath(_options.DataDirectory), "spool")
            : Path.GetFullPath(_options.Ingest.SpoolDirectory);
        Directory.CreateDirectory(SpoolDirectory);
        foreach (var leftover in Directory.EnumerateFiles(SpoolDirectory))
        {
            File.Delete(leftover);
        }

        _index = await IndexStore.OpenAsync(new IndexStoreOptions { ConnectionString = connectionString, MaxCommitBatch = _options.Database.MaxCommitBatch, NodeName = _options.EffectiveNodeName }, cancellationToken).ConfigureAwait(false);
        _blobs = await CreateBlobStoreAsync(cancellationToken).ConfigureAwait(false);
        _query = new QueryService(_index, new QueryServiceOptions { RetrieveAeTitle = _options.Dicom.AeTitle });
        _retrieve = new RetrieveService(_index, _blobs);
        _ingest = new IngestPipeline(_blobs, _index, new IngestOptions { DuplicatePolicy = _options.Ingest.DuplicatePolicy }, loggers.CreateLogger<IngestPipeline>());

        // What this node reserved before it stopped will never be committed; other nodes' reservations go by age.
        var swept = await new ArchiveSweeper(_index, _blobs).SweepStaleReservationsAsync(TimeSpan.Zero, _index.NodeName, cancellationToken).ConfigureAwait(false);
        LogArchiveReady(_options.Storage.Kind, _index.NodeName, swept.StaleReservations, swept.DeletedBlobs);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        File.Delete(RunningMarker);
        if (_index is not null)
        {
            await _index.DisposeAsync().ConfigureAwait(false);
            _index = null;
        }

        (_blobs as IDisposable)?.Dispose();
        _blobs = null;
        if (_embedded is not null)
        {
            await _embedded.StopAsync(cancellationToken).ConfigureAwait(false);
            _embedded = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private async Task<IBlobStore> CreateBlobStoreAsync(CancellationToken cancellationToken)
    {
        if (string.Equals(_options.Storage.Kind, "S3", StringComparison.OrdinalIgnoreCase))
        {
            var s3 = _options.Storage.S3;
            var store = new S3BlobStore(new S3BlobStoreOptions
            {
                Endpoint = s3.Endpoint,
                AccessKey = s3.AccessKey,
                SecretKey = s3.SecretKey,
                Bucket = s3.Bucket,
                Region = s3.Region,
                UseTls = s3.UseSsl,
                StagingDirectory = SpoolDirectory,
            });
            await store.EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }

        if (!string.Equals(_options.Storage.Kind, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Pacs:Storage:Kind must be FileSystem or S3, not '{_options.Storage.Kind}'.");
        }

        Directory.CreateDirectory(_options.BlobDirectory);
        return new FileSystemBlobStore(_options.BlobDirectory, _options.Storage.DirectWrites);
    }

    private static InvalidOperationException NotStarted() => new("The archive has not started yet.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL running from {Directory} on 127.0.0.1:{Port}")]
    private partial void LogEmbeddedStarted(string directory, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Archive ready: {StorageKind} storage, node {NodeName}; swept {StaleReservations} stale reservations of this node and {DeletedBlobs} blobs")]
    private partial void LogArchiveReady(string storageKind, string nodeName, int staleReservations, int deletedBlobs);
}
