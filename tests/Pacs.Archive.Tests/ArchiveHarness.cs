using Npgsql;
using Pacs.Archive.Index;
using Pacs.Archive.Ingest;
using Pacs.Archive.Storage;

namespace Pacs.Archive.Tests;

/// <summary>An index in its own schema, a blob store and a pipeline over them.</summary>
public sealed class ArchiveHarness : IAsyncDisposable
{
    private ArchiveHarness(IndexStore index, IBlobStore blobs, IngestPipeline pipeline)
    {
        Index = index;
        Blobs = blobs;
        Pipeline = pipeline;
    }

    public IndexStore Index { get; }

    public IBlobStore Blobs { get; }

    public IngestPipeline Pipeline { get; }

    public static async Task<ArchiveHarness> CreateAsync(ArchiveServicesFixture services, IBlobStore? blobs = null, DuplicatePolicy policy = DuplicatePolicy.Replace) =>
        await CreateAsync(services, await services.CreateSchemaAsync(), blobs, policy);

    /// <summary>A harness on an existing schema: a second one on the same schema plays another node.</summary>
    public static async Task<ArchiveHarness> CreateAsync(ArchiveServicesFixture services, string connectionString, IBlobStore? blobs = null, DuplicatePolicy policy = DuplicatePolicy.Replace, string? nodeName = null)
    {
        var options = new IndexStoreOptions { ConnectionString = connectionString };
        var index = await IndexStore.OpenAsync(nodeName is null ? options : options with { NodeName = nodeName });
        blobs ??= new FileSystemBlobStore(services.NewTempDirectory());
        return new ArchiveHarness(index, blobs, new IngestPipeline(blobs, index, new IngestOptions { DuplicatePolicy = policy }));
    }

    public ArchiveHarness WithPolicy(DuplicatePolicy policy) =>
        new(Index, Blobs, new IngestPipeline(Blobs, Index, new IngestOptions { DuplicatePolicy = policy }));

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Index.DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async Task<List<object?[]>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Index.DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task<List<string>> BlobKeysAsync(string prefix = "")
    {
        var keys = new List<string>();
        await foreach (var blob in Blobs.ListAsync(prefix))
        {
            keys.Add(blob.Key);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        await Index.DisposeAsync();
        (Blobs as IDisposable)?.Dispose();
        NpgsqlConnection.ClearAllPools();
    }
}
