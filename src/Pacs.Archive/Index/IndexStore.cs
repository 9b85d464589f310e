using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Pacs.Archive.Storage;

namespace Pacs.Archive.Index;

/// <summary>
/// The PostgreSQL index: the ingest write path (reserve, commit), deletes and the queries the sweeper needs. All SQL is
/// parameterised. Create it with <see cref="OpenAsync"/>, which applies pending migrations.
/// </summary>
public sealed class IndexStore : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _relaxedDataSource;
    private readonly CommitBatcher _batcher;
    private readonly VersionAllocator _versions;

    private IndexStore(IndexStoreOptions options, NpgsqlDataSource dataSource, NpgsqlDataSource relaxedDataSource)
    {
        Options = options;
        _dataSource = dataSource;
        _relaxedDataSource = relaxedDataSource;
        _batcher = new CommitBatcher(dataSource, options);
        _versions = new VersionAllocator(relaxedDataSource, options.VersionBlockSize);
        Changes = new InstanceChangeFeed(options.ConnectionString);
    }

    public IndexStoreOptions Options { get; }

    /// <summary>The name this node's reservations are recorded under (<see cref="IndexStoreOptions.NodeName"/>).</summary>
    public string NodeName => Options.NodeName;

    /// <summary>Replaced and deleted instances, of this process and of other nodes, for caches of instance locations.</summary>
    public InstanceChangeFeed Changes { get; }

    /// <summary>The data source of the index database (for the query side and tests).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Commit transactions run and the commits they held.</summary>
    public (long Batches, long Commits) CommitStatistics => _batcher.Statistics;

    /// <summary>Connects, applies pending migrations and starts the commit loop.</summary>
    public static async Task<IndexStore> OpenAsync(IndexStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Pooled connections keep their session (no DISCARD ALL on return) and prepare the statements they repeat: the
        // index sets no session state, and a reset would throw away the cached plans of the commit function, which then
        // would be parsed and planned again for every batch (measured: most of PostgreSQL's CPU during ingest).
        var tuned = new NpgsqlConnectionStringBuilder(options.ConnectionString) { NoResetOnClose = true, MaxAutoPrepare = 32, AutoPrepareMinUsages = 2 };
        var dataSource = NpgsqlDataSource.Create(tuned.ConnectionString);

        // Reservations need no synchronous WAL flush of their own: the commit that acknowledges a store flushes the WAL
        // up to its own record, which includes the reservation. A crash before that loses at most a reservation whose
        // blob then has no row, and the orphan sweep removes that blob.
        var relaxed = new NpgsqlConnectionStringBuilder(tuned.ConnectionString) { Options = "-c synchronous_commit=off" };
        var relaxedDataSource = NpgsqlDataSource.Create(relaxed.ConnectionString);
        try
        {
            await SchemaMigrator.MigrateAsync(dataSource, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            await relaxedDataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var store = new IndexStore(options, dataSource, relaxedDataSource);
        try
        {
            await WarmUpTypesAsync(dataSource, cancellationToken).ConfigureAwait(false);
            await WarmUpTypesAsync(relaxedDataSource, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return store;
    }

    /// <summary>
    /// Sends and reads back one value of each parameter type the ingest's statements use, so that Npgsql builds its type
    /// resolvers (and the runtime compiles that code) now rather than during the first stores after a start, when it was
    /// about 300 of the 620 methods compiled while the first 1,200 instances were stored. Nothing is written.
    /// </summary>
    private static async Task WarmUpTypesAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var command = new NpgsqlBatchCommand("SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9");
        command.Parameters.Add(new NpgsqlParameter { Value = new long[] { 1 }, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = (string[])["{}"], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = new[] { new byte[] { 1 } }, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = "text", NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (string[])["text"], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = 1 });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "text" });
        command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = [1] });
        batch.BatchCommands.Add(command);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        _ = reader.GetFieldValue<long[]>(0);
        _ = reader.GetString(3);
        _ = reader.GetInt64(5);
        _ = reader.IsDBNull(7);
        _ = (byte[])reader[8];
    }

    /// <summary>Reserves a new version of an instance in state <c>creating</c>, with the blob key to write it under.</summary>
    public async Task<Reservation> ReserveAsync(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, string transferSyntaxUid, string? sourceAe, CancellationToken cancellationToken = default)
    {
        var reservation = await PrepareReservationAsync(studyInstanceUid, seriesInstanceUid, sopInstanceUid, cancellationToken).ConfigureAwait(false);
        await RecordReservationAsync(reservation, transferSyntaxUid, sourceAe, cancellationToken).ConfigureAwait(false);
        return reservation;
    }

    /// <summary>
    /// A new version number and the blob key for it, without a row yet (<see cref="RecordReservationAsync"/> adds it).
    /// Numbers come from the version sequence in blocks, so most calls need no round trip; they stay unique across nodes.
    /// </summary>
    public async ValueTask<Reservation> PrepareReservationAsync(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, CancellationToken cancellationToken = default)
    {
        var version = await _versions.NextAsync(cancellationToken).ConfigureAwait(false);
        return new Reservation(version, BlobKeys.ForInstance(studyInstanceUid, seriesInstanceUid, sopInstanceUid, version), studyInstanceUid, seriesInstanceUid, sopInstanceUid);
    }

    /// <summary>
    /// Adds the <c>creating</c> row of a prepared reservation. The ingest pipeline runs it while the blob is being written:
    /// the row needs no synchronous WAL flush of its own (the acknowledging commit flushes the WAL past it), so a crash
    /// can leave a blob without a row either way, and the orphan sweep removes such blobs.
    /// </summary>
    public async Task RecordReservationAsync(Reservation reservation, string transferSyntaxUid, string? sourceAe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        try
        {
            await RecordOnceAsync(reservation, transferSyntaxUid, sourceAe, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ex.IsTransient)
        {
            // Pooled connections die with a server restart; the first use finds out. Drop them and try once more.
            _relaxedDataSource.Clear();
            await RecordOnceAsync(reservation, transferSyntaxUid, sourceAe, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RecordOnceAsync(Reservation reservation, string transferSyntaxUid, string? sourceAe, CancellationToken cancellationToken)
    {
        await using var command = _relaxedDataSource.CreateCommand("""
            INSERT INTO instance_version (version_pk, sop_instance_uid, series_instance_uid, study_instance_uid, state, blob_key, transfer_syntax_uid, source_ae, reserved_by)
            OVERRIDING SYSTEM VALUE
            VALUES (@v, @sop, @series, @study, 'creating', @key, @ts, @ae, @node)
            """);
        command.Parameters.AddWithValue("v", reservation.Version);
        command.Parameters.AddWithValue("sop", reservation.SopInstanceUid);
        command.Parameters.AddWithValue("series", reservation.SeriesInstanceUid);
        command.Parameters.AddWithValue("study", reservation.StudyInstanceUid);
        command.Parameters.AddWithValue("key", reservation.BlobKey);
        command.Parameters.AddWithValue("ts", transferSyntaxUid);
        command.Parameters.AddWithValue("ae", (object?)sourceAe ?? DBNull.Value);
        command.Parameters.AddWithValue("node", NodeName);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks the reserved version created and updates the index and aggregates, in one transaction shared with other
    /// concurrent commits. Returns once that transaction is durable.
    /// </summary>
    public Task<CommitResult> CommitAsync(CommitRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CommitAndPublishAsync(request, cancellationToken);
    }

    private async Task<CommitResult> CommitAndPublishAsync(CommitRequest request, CancellationToken cancellationToken)
    {
        var result = await _batcher.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == CommitOutcome.Replaced)
        {
            Changes.Publish([request.Reservation.SopInstanceUid]);
        }

        return result;
    }

    /// <summary>Drops a reservation that will not be committed (its blob was not written or has been deleted).</summary>
    public async Task<bool> CancelReservationAsync(Reservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        await using var command = _relaxedDataSource.CreateCommand("DELETE FROM instance_version WHERE version_pk = @v AND state = 'creating'");
        command.Parameters.AddWithValue("v", reservation.Version);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Removes reservations older than <paramref name="olderThan"/> still in <c>creating</c> — only those recorded by
    /// the node <paramref name="reservedBy"/> when it is given — and returns their blob keys. A node starting up passes
    /// its own name with no age: what it reserved before it stopped will never be committed, while other nodes' stores
    /// may be in flight.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeleteStaleReservationsAsync(TimeSpan olderThan, string? reservedBy = null, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(reservedBy is null
            ? """
              DELETE FROM instance_version
               WHERE state = 'creating' AND reserved_at < now() - @age
              RETURNING blob_key
              """
            : """
              DELETE FROM instance_version
               WHERE state = 'creating' AND reserved_at < now() - @age AND reserved_by = @node
              RETURNING blob_key
              """);
        command.Parameters.AddWithValue("age", olderThan);
        if (reservedBy is not null)
        {
            command.Parameters.AddWithValue("node", reservedBy);
        }

        return await ReadStringsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Of <paramref name="keys"/>, those no version row refers to.</summary>
    public async Task<IReadOnlyList<string>> FindUnreferencedBlobKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var command = _dataSource.CreateCommand("""
            SELECT k FROM unnest(@keys) AS k
             WHERE NOT EXISTS (SELECT 1 FROM instance_version v WHERE v.blob_key = k)
            """);
        command.Parameters.AddWithValue("keys", keys.ToArray());
        return await ReadStringsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a study from the index (every version of every instance); returns the blob keys to delete.</summary>
    public Task<IReadOnlyList<string>> DeleteStudyAsync(string studyInstanceUid, CancellationToken cancellationToken = default) =>
        DeleteInstancesAsync("""
            SELECT i.instance_pk FROM instance i JOIN series se USING (series_pk) JOIN study st USING (study_pk)
             WHERE st.study_instance_uid = @uid
            """, studyInstanceUid, cancellationToken);

    public Task<IReadOnlyList<string>> DeleteSeriesAsync(string seriesInstanceUid, CancellationToken cancellationToken = default) =>
        DeleteInstancesAsync("""
            SELECT i.instance_pk FROM instance i JOIN series se USING (series_pk) WHERE se.series_instance_uid = @uid
            """, seriesInstanceUid, cancellationToken);

    public Task<IReadOnlyList<string>> DeleteInstanceAsync(string sopInstanceUid, CancellationToken cancellationToken = default) =>
        DeleteInstancesAsync("SELECT instance_pk FROM instance WHERE sop_instance_uid = @uid", sopInstanceUid, cancellationToken);

    /// <summary>The current created version of an instance, or null.</summary>
    public async Task<StoredVersion?> GetCurrentVersionAsync(string sopInstanceUid, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT v.version_pk, v.blob_key, v.size, v.dataset_hash, v.transfer_syntax_uid, v.source_ae
              FROM instance i JOIN instance_version v ON v.version_pk = i.current_version_pk
             WHERE i.sop_instance_uid = @uid
            """);
        command.Parameters.AddWithValue("uid", sopInstanceUid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new StoredVersion(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), (byte[])reader[3], reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5));
    }

    /// <summary>True when the current version of the instance has this content (dataset bytes) and transfer syntax.</summary>
    public async Task<bool> HasContentAsync(string sopInstanceUid, byte[] datasetHash, string transferSyntaxUid, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM instance i JOIN instance_version v ON v.version_pk = i.current_version_pk
                            WHERE i.sop_instance_uid = @uid AND v.dataset_hash = @hash AND v.transfer_syntax_uid = @ts)
            """);
        command.Parameters.AddWithValue("uid", sopInstanceUid);
        command.Parameters.AddWithValue("hash", datasetHash);
        command.Parameters.AddWithValue("ts", transferSyntaxUid);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Every created version (what the archive promises to hold), in key order.</summary>
    public async IAsyncEnumerable<StoredBlobRecord> ListCreatedVersionsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT v.sop_instance_uid, v.blob_key, v.size, v.dataset_hash, (i.current_version_pk = v.version_pk) AS is_current
              FROM instance_version v LEFT JOIN instance i ON i.sop_instance_uid = v.sop_instance_uid
             WHERE v.state = 'created' ORDER BY v.blob_key
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new StoredBlobRecord(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), (byte[])reader[3], !reader.IsDBNull(4) && reader.GetBoolean(4));
        }
    }

    /// <summary>Reservations still <c>creating</c> older than <paramref name="olderThan"/> (what the sweeper would remove).</summary>
    public async Task<IReadOnlyList<string>> ListStaleReservationsAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT blob_key FROM instance_version WHERE state = 'creating' AND reserved_at < now() - @age ORDER BY blob_key");
        command.Parameters.AddWithValue("age", olderThan);
        return await ReadStringsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Changes.DisposeAsync().ConfigureAwait(false);
        await _batcher.DisposeAsync().ConfigureAwait(false);
        _versions.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await _relaxedDataSource.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<string>> DeleteInstancesAsync(string selectInstances, string uid, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT pacs_delete_instances(ARRAY({selectInstances}))");
        command.Parameters.AddWithValue("uid", uid);
        try
        {
            return await ReadStringsAsync(command, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also when the outcome is unknown (a broken connection after the commit was sent).
            Changes.Publish(null);
        }
    }

    private static async Task<IReadOnlyList<string>> ReadStringsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }
}

/// <summary>A created version as the index records it: the blob it promises, with its size and <see cref="Ingest.DatasetHash"/>.</summary>
public sealed record StoredBlobRecord(string SopInstanceUid, string BlobKey, long Size, byte[] DatasetHash, bool IsCurrent);

/// <summary>The created version of an instance that the index points to.</summary>
public sealed record StoredVersion(long Version, string BlobKey, long Size, byte[] DatasetHash, string TransferSyntaxUid, string? SourceAe);
