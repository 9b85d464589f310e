using System.Runtime.CompilerServices;
using Npgsql;
using Pacs.Archive.Index;
using Pacs.Dicom;

namespace Pacs.Archive.Query;

/// <summary>
/// Runs <see cref="ArchiveQuery"/> against the index for C-FIND and QIDO-RS: results stream as response identifiers,
/// one row at a time, in a stable order (the level's key order), with the query's limit and offset.
/// </summary>
public sealed class QueryService
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly QueryServiceOptions _options;

    public QueryService(IndexStore index, QueryServiceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        _dataSource = index.DataSource;
        _options = options ?? new QueryServiceOptions();
    }

    /// <summary>The matches as response identifiers. A <see cref="QueryException"/> (before the first result) for an invalid query.</summary>
    public async IAsyncEnumerable<DicomDataset> QueryAsync(ArchiveQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var sql = QuerySqlBuilder.BuildSelect(query, QuerySqlBuilder.NeedsMetadata(query));
        await using var command = _dataSource.CreateCommand(sql.Text);
        sql.Parameters.CopyTo(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Rows already buffered are read without looking at the token; a consumer that cancelled stops here.
            cancellationToken.ThrowIfCancellationRequested();
            yield return QueryResultBuilder.Build(query, sql, reader, _options);
        }
    }

    /// <summary>How many entities match, ignoring limit and offset (for QIDO-RS's Warning header on a truncated response).</summary>
    public async Task<long> CountAsync(ArchiveQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var sql = QuerySqlBuilder.BuildCount(query);
        await using var command = _dataSource.CreateCommand(sql.Text);
        sql.Parameters.CopyTo(command);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Runs EXPLAIN of the query's statement and returns the plan text.</summary>
    public async Task<string> ExplainAsync(ArchiveQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = QuerySqlBuilder.BuildSelect(query, QuerySqlBuilder.NeedsMetadata(query));
        await using var command = _dataSource.CreateCommand("EXPLAIN " + sql.Text);
        sql.Parameters.CopyTo(command);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
