using Pacs.Archive.Embedded;
using Pacs.Archive.Index;
using Pacs.Archive.Storage;

namespace Pacs.Cli.Commands.Archive;

/// <summary>
/// The archive the server uses, opened from its settings: the external PostgreSQL of the connection string, or the
/// embedded cluster under the data directory (started the way the server starts it when it is not running, and
/// stopped again afterwards only then), and the file-system or S3 blob store.
/// </summary>
internal sealed class ArchiveSession : IAsyncDisposable
{
    private EmbeddedPostgres? _startedHere;

    private ArchiveSession(ArchiveSettings settings, IndexStore index, IBlobStore blobs, EmbeddedPostgres? startedHere)
    {
        Settings = settings;
        Index = index;
        Blobs = blobs;
        _startedHere = startedHere;
    }

    public ArchiveSettings Settings { get; }

    public IndexStore Index { get; }

    public IBlobStore Blobs { get; }

    public static readonly HashSet<string> ValueOptions = ["--config", "--data"];

    public const string Usage = """
          --config FILE  the server's configuration file (also read: config/appsettings.json here, Pacs__* variables)
          --data DIR     the server's data directory (embedded index and blobs), as Pacs:DataDirectory
        """;

    public static async Task<ArchiveSession> OpenAsync(CliArguments parsed, CancellationToken cancellationToken)
    {
        var settings = ArchiveSettings.Load(parsed.Value("--config"), parsed.Value("--data"));
        EmbeddedPostgres? startedHere = null;
        var connectionString = settings.ConnectionString;
        if (connectionString is null)
        {
            var running = IsClusterRunning(settings.IndexDirectory);
            var embedded = new EmbeddedPostgres(new EmbeddedPostgresOptions { DataDirectory = settings.IndexDirectory, Port = settings.EmbeddedPort });
            await embedded.StartAsync(cancellationToken).ConfigureAwait(false);
            connectionString = embedded.ConnectionString;
            startedHere = running ? null : embedded;
        }

        // A name no server uses, so that a server starting meanwhile leaves this command's reservations alone.
        var node = $"{Environment.MachineName}:pacs-cli:{Environment.ProcessId}";
        var index = await IndexStore.OpenAsync(new IndexStoreOptions { ConnectionString = connectionString, NodeName = node }, cancellationToken).ConfigureAwait(false);
        IBlobStore blobs;
        if (string.Equals(settings.StorageKind, "S3", StringComparison.OrdinalIgnoreCase))
        {
            var s3 = new S3BlobStore(new S3BlobStoreOptions
            {
                Endpoint = settings.Get("Pacs:Storage:S3:Endpoint") ?? string.Empty,
                AccessKey = settings.Get("Pacs:Storage:S3:AccessKey") ?? string.Empty,
                SecretKey = settings.Get("Pacs:Storage:S3:SecretKey") ?? string.Empty,
                Bucket = settings.Get("Pacs:Storage:S3:Bucket") ?? "pacs",
                Region = settings.Get("Pacs:Storage:S3:Region") ?? "us-east-1",
                UseTls = string.Equals(settings.Get("Pacs:Storage:S3:UseSsl"), "true", StringComparison.OrdinalIgnoreCase),
            });
            await s3.EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
            blobs = s3;
        }
        else
        {
            Directory.CreateDirectory(settings.BlobDirectory);
            blobs = new FileSystemBlobStore(settings.BlobDirectory);
        }

        return new ArchiveSession(settings, index, blobs, startedHere);
    }

    public async ValueTask DisposeAsync()
    {
        await Index.DisposeAsync().ConfigureAwait(false);
        (Blobs as IDisposable)?.Dispose();
        if (_startedHere is not null)
        {
            await _startedHere.StopAsync().ConfigureAwait(false);
            _startedHere = null;
        }
    }

    /// <summary>The server may have the cluster up already; then it is only connected to, never stopped from here.</summary>
    private static bool IsClusterRunning(string indexDirectory)
    {
        var pidFile = Path.Combine(indexDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return false;
        }

        var first = File.ReadLines(pidFile).FirstOrDefault();
        return int.TryParse(first, out var pid) && Directory.Exists($"/proc/{pid}");
    }
}
