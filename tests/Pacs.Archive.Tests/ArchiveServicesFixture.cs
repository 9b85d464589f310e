using Npgsql;
using Pacs.Archive.Storage;

namespace Pacs.Archive.Tests;

/// <summary>
/// One throwaway PostgreSQL cluster and one Swift S3 endpoint for the whole test run, started with the project's
/// scripts/test-services on free 127.0.0.1 ports and stopped at the end. Tests isolate themselves with a schema
/// (<see cref="CreateSchemaAsync"/>) and a bucket (<see cref="NewS3Options"/>) of their own.
/// </summary>
public sealed class ArchiveServicesFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pacs-at-" + Guid.NewGuid().ToString("N")[..8]);
    private int _schemas;
    private int _buckets;

    public string PostgresConnectionString { get; private set; } = string.Empty;

    public string S3Endpoint { get; private set; } = string.Empty;

    public string TempRoot => _root;

    private static string Scripts => Path.Combine(TestData.RepositoryRoot, "scripts", "test-services");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var pgPort = TestData.FreePort();
        var pg = TestData.Run(Path.Combine(Scripts, "start-postgres.sh"), ["-d", Path.Combine(_root, "pg"), "-p", pgPort.ToString(), "--extensions"]);
        PostgresConnectionString = pg.StdOut.Trim().Split('\n')[^1] + ";Maximum Pool Size=50";

        var s3Port = TestData.FreePort(4);
        TestData.Run(Path.Combine(Scripts, "start-s3.sh"), [Path.Combine(_root, "s3"), s3Port.ToString()]);
        S3Endpoint = $"127.0.0.1:{s3Port}";
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        TestData.Run(Path.Combine(Scripts, "stop-s3.sh"), [Path.Combine(_root, "s3"), "--remove"], check: false);
        TestData.Run(Path.Combine(Scripts, "stop-postgres.sh"), ["-d", Path.Combine(_root, "pg"), "--remove"], check: false);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>A connection string whose search path is a new, empty schema (extensions stay in public).</summary>
    public async Task<string> CreateSchemaAsync()
    {
        var name = $"t{Interlocked.Increment(ref _schemas)}_{Guid.NewGuid().ToString("N")[..6]}";
        await using (var connection = new NpgsqlConnection(PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(PostgresConnectionString) { SearchPath = $"{name},public" }.ConnectionString;
    }

    public S3BlobStoreOptions NewS3Options() => new()
    {
        Endpoint = S3Endpoint,
        AccessKey = "test:tester",
        SecretKey = "testing",
        Bucket = $"pacs-test-{Interlocked.Increment(ref _buckets)}-{Guid.NewGuid().ToString("N")[..6]}",
    };

    public string NewTempDirectory()
    {
        var path = Path.Combine(_root, "d" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}

[CollectionDefinition(Name)]
public sealed class ArchiveServicesCollection : ICollectionFixture<ArchiveServicesFixture>
{
    public const string Name = "Archive services";
}
