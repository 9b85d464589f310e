namespace Pacs.IntegrationTests.Support;

/// <summary>
/// An external PostgreSQL cluster and a Swift S3 endpoint, started with the project's scripts/test-services on free
/// 127.0.0.1 ports for the tests that need them, and stopped at the end.
/// </summary>
public sealed class ExternalServices : IAsyncLifetime
{
    private readonly string _root = TestData.NewDirectory("pacs-it-svc");

    public string PostgresConnectionString { get; private set; } = string.Empty;

    public int S3Port { get; private set; }

    public string PostgresDirectory => Path.Combine(_root, "pg");

    public string S3Directory => Path.Combine(_root, "s3");

    private static string Scripts => Path.Combine(TestData.RepositoryRoot, "scripts", "test-services");

    public Task InitializeAsync()
    {
        var pgPort = TestData.FreePort();
        var pg = TestData.Run(Path.Combine(Scripts, "start-postgres.sh"), ["-d", PostgresDirectory, "-p", pgPort.ToString(), "--extensions"]);
        PostgresConnectionString = pg.StdOut.Trim().Split('\n')[^1];
        S3Port = TestData.FreePort(4);
        StartS3();
        return Task.CompletedTask;
    }

    public void StartS3()
    {
        // Swift's first start can miss the script's readiness window on a loaded machine; one more try.
        if (TestData.Run(Path.Combine(Scripts, "start-s3.sh"), [S3Directory, S3Port.ToString()], check: false).ExitCode != 0)
        {
            StopS3();
            TestData.Run(Path.Combine(Scripts, "start-s3.sh"), [S3Directory, S3Port.ToString()]);
        }
    }

    public void StopS3() => TestData.Run(Path.Combine(Scripts, "stop-s3.sh"), [S3Directory], check: false);

    public void StartPostgres() => TestData.Run(Path.Combine(Scripts, "start-postgres.sh"), ["-d", PostgresDirectory, "-p", new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnectionString).Port.ToString(), "--extensions"]);

    public void StopPostgres() => TestData.Run(Path.Combine(Scripts, "stop-postgres.sh"), ["-d", PostgresDirectory], check: false);

    /// <summary>Server settings for external PostgreSQL (a database schema of its own) and S3 (a bucket of its own).</summary>
    public async Task<Dictionary<string, string>> NewServerSettingsAsync(string name)
    {
        var schema = $"{name}_{Guid.NewGuid().ToString("N")[..6]}";
        await using (var connection = new Npgsql.NpgsqlConnection(PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new Dictionary<string, string>
        {
            ["Pacs:Database:ConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnectionString) { SearchPath = $"{schema},public" }.ConnectionString,
            ["Pacs:Storage:Kind"] = "S3",
            ["Pacs:Storage:S3:Endpoint"] = $"127.0.0.1:{S3Port}",
            ["Pacs:Storage:S3:AccessKey"] = "test:tester",
            ["Pacs:Storage:S3:SecretKey"] = "testing",
            ["Pacs:Storage:S3:Bucket"] = schema.Replace('_', '-'),
        };
    }

    public static Pacs.Archive.Storage.S3BlobStore OpenBlobs(IReadOnlyDictionary<string, string> settings) => new(new Pacs.Archive.Storage.S3BlobStoreOptions
    {
        Endpoint = settings["Pacs:Storage:S3:Endpoint"],
        AccessKey = "test:tester",
        SecretKey = "testing",
        Bucket = settings["Pacs:Storage:S3:Bucket"],
    });

    public Task DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        TestData.Run(Path.Combine(Scripts, "stop-s3.sh"), [S3Directory, "--remove"], check: false);
        TestData.Run(Path.Combine(Scripts, "stop-postgres.sh"), ["-d", PostgresDirectory, "--remove"], check: false);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class ExternalServicesCollection : ICollectionFixture<ExternalServices>
{
    public const string Name = "External services";
}
