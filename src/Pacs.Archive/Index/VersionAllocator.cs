using Npgsql;

namespace Pacs.Archive.Index;

/// <summary>
/// Hands out instance version numbers from the <c>instance_version</c> identity sequence, fetched in blocks: a store
/// then knows its blob key without a round trip. Numbers are unique across nodes (sequence values are never handed out
/// twice); a node that stops leaves gaps, which nothing relies on.
/// </summary>
internal sealed class VersionAllocator(NpgsqlDataSource dataSource, int blockSize) : IDisposable
{
    private readonly SemaphoreSlim _refill = new(1, 1);
    private readonly Queue<long> _free = new();

    public async ValueTask<long> NextAsync(CancellationToken cancellationToken)
    {
        lock (_free)
        {
            if (_free.TryDequeue(out var version))
            {
                return version;
            }
        }

        await _refill.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_free)
            {
                if (_free.TryDequeue(out var version))
                {
                    return version;
                }
            }

            List<long> block;
            try
            {
                block = await FetchBlockAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException ex) when (ex.IsTransient)
            {
                // Pooled connections die with a server restart; the first use finds out. Drop them and try once more.
                dataSource.Clear();
                block = await FetchBlockAsync(cancellationToken).ConfigureAwait(false);
            }

            lock (_free)
            {
                for (var i = 1; i < block.Count; i++)
                {
                    _free.Enqueue(block[i]);
                }
            }

            return block[0];
        }
        finally
        {
            _refill.Release();
        }
    }

    public void Dispose() => _refill.Dispose();

    private async Task<List<long>> FetchBlockAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT nextval(pg_get_serial_sequence('instance_version', 'version_pk')) FROM generate_series(1, @n)");
        command.Parameters.AddWithValue("n", Math.Max(1, blockSize));
        var block = new List<long>(blockSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            block.Add(reader.GetInt64(0));
        }

        return block;
    }
}
