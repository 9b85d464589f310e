using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Pacs.Archive.Index;

/// <summary>
/// Group commit: concurrent stores queue their commits and one loop runs whatever has queued as one transaction (one
/// round trip, one WAL flush), so N associations storing at once cost about one synchronous commit, not N. There is no
/// waiting for a batch to fill: while a transaction runs, the next batch forms by itself. The commits of one series in a
/// batch are one call of <c>pacs_commit_series</c>, which writes the series, study and patient rows once for all of them.
/// </summary>
internal sealed class CommitBatcher : IAsyncDisposable
{
    private const string DeadlockDetected = "40P01";
    private const string SerializationFailure = "40001";

    private readonly NpgsqlDataSource _dataSource;
    private readonly IndexStoreOptions _options;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private long _batches;
    private long _commits;

    public CommitBatcher(NpgsqlDataSource dataSource, IndexStoreOptions options)
    {
        _dataSource = dataSource;
        _options = options;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Transactions run so far and commits in them (their ratio is the mean batch size).</summary>
    public (long Batches, long Commits) Statistics => (Interlocked.Read(ref _batches), Interlocked.Read(ref _commits));

    public Task<CommitResult> EnqueueAsync(CommitRequest request, CancellationToken cancellationToken)
    {
        var pending = new Pending(request, AttributeJson.Write(request.Attributes));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_options.MaxCommitBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _options.MaxCommitBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await ExecuteWithFallbackAsync(batch).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the batch; when it fails for a reason other than a lost connection, each commit is retried alone so one bad commit fails only itself.</summary>
    private async Task ExecuteWithFallbackAsync(List<Pending> batch)
    {
        try
        {
            await ExecuteWithRetriesAsync(batch).ConfigureAwait(false);
        }
        catch (PostgresException) when (batch.Count > 1)
        {
            foreach (var pending in batch)
            {
                try
                {
                    await ExecuteWithRetriesAsync([pending]).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    pending.Completion.TrySetException(ex);
                }
            }
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }
        }
    }

    private async Task ExecuteWithRetriesAsync(List<Pending> batch)
    {
        // A fixed lock order (study, series, instance keys ascending) keeps concurrent batches from deadlocking each other.
        batch.Sort(static (a, b) => CompareLockOrder(a.Request, b.Request));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var results = await ExecuteAsync(batch).ConfigureAwait(false);
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _commits, batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }

                return;
            }
            catch (PostgresException ex) when (ex.SqlState is DeadlockDetected or SerializationFailure && attempt < _options.CommitRetries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5 * (attempt + 1))).ConfigureAwait(false);
            }
            catch (NpgsqlException ex) when (ex.IsTransient && attempt == 0)
            {
                // A pooled connection that a server restart killed. Re-running is safe even if the lost transaction had
                // committed: its versions are no longer 'creating', so they come back as Lost (a failure), never twice.
                _dataSource.Clear();
            }
        }
    }

    private async Task<CommitResult[]> ExecuteAsync(List<Pending> batch)
    {
        var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // No explicit transaction: the statements of a batch go out with one Sync, which PostgreSQL runs as one
            // implicit transaction committed (synchronously) before it answers — one round trip instead of three, and
            // an error in any statement rolls back the whole batch.
            var results = new CommitResult[batch.Count];
            var groups = GroupBySeries(batch);
            await using var command = new NpgsqlBatch(connection);
            foreach (var (start, count) in groups)
            {
                var members = batch.GetRange(start, count);
                var cmd = new NpgsqlBatchCommand("SELECT ordinal, outcome, obsolete_blob_key, current_version_pk FROM pacs_commit_series($1, $2, $3, $4, $5, $6) ORDER BY ordinal");
                cmd.Parameters.Add(new NpgsqlParameter { Value = members.Select(p => p.Request.Reservation.Version).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
                cmd.Parameters.Add(new NpgsqlParameter { Value = members.Select(p => p.AttributesJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
                cmd.Parameters.Add(new NpgsqlParameter { Value = members.Select(p => p.Request.Size).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
                cmd.Parameters.Add(new NpgsqlParameter { Value = members.Select(p => p.Request.DatasetHash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
                cmd.Parameters.Add(new NpgsqlParameter { Value = PolicyName(members[0].Request.Policy), NpgsqlDbType = NpgsqlDbType.Text });
                cmd.Parameters.Add(new NpgsqlParameter { Value = members.Select(p => p.Request.MetadataJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                command.BatchCommands.Add(cmd);
            }

            var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                for (var g = 0; g < groups.Count; g++)
                {
                    if (g > 0)
                    {
                        await reader.NextResultAsync().ConfigureAwait(false);
                    }

                    var (start, count) = groups[g];
                    for (var i = 0; i < count; i++)
                    {
                        await reader.ReadAsync().ConfigureAwait(false);
                        results[start + i] = new CommitResult(
                            ParseOutcome(reader.GetString(1)),
                            reader.IsDBNull(2) ? null : reader.GetString(2),
                            reader.IsDBNull(3) ? null : reader.GetInt64(3));
                    }
                }

                // The implicit transaction commits at the batch's Sync; reading to the end waits for its answer.
                while (await reader.NextResultAsync().ConfigureAwait(false))
                {
                }
            }

            return results;
        }
    }

    /// <summary>Runs of the (lock-ordered) batch with the same series and policy: each is one call of pacs_commit_series.</summary>
    private static List<(int Start, int Count)> GroupBySeries(List<Pending> batch)
    {
        var groups = new List<(int Start, int Count)>();
        var start = 0;
        for (var i = 1; i <= batch.Count; i++)
        {
            if (i == batch.Count || !SameGroup(batch[start].Request, batch[i].Request))
            {
                groups.Add((start, i - start));
                start = i;
            }
        }

        return groups;
    }

    private static bool SameGroup(CommitRequest a, CommitRequest b) =>
        a.Policy == b.Policy
        && string.Equals(a.Reservation.StudyInstanceUid, b.Reservation.StudyInstanceUid, StringComparison.Ordinal)
        && string.Equals(a.Reservation.SeriesInstanceUid, b.Reservation.SeriesInstanceUid, StringComparison.Ordinal);

    private static int CompareLockOrder(CommitRequest a, CommitRequest b)
    {
        var c = string.CompareOrdinal(a.Reservation.StudyInstanceUid, b.Reservation.StudyInstanceUid);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.Reservation.SeriesInstanceUid, b.Reservation.SeriesInstanceUid);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.Reservation.SopInstanceUid, b.Reservation.SopInstanceUid);
        }

        return c != 0 ? c : a.Reservation.Version.CompareTo(b.Reservation.Version);
    }

    private static string PolicyName(DuplicatePolicy policy) => policy switch
    {
        DuplicatePolicy.Replace => "replace",
        DuplicatePolicy.Reject => "reject",
        DuplicatePolicy.Keep => "keep",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    private static CommitOutcome ParseOutcome(string value) => value switch
    {
        "created" => CommitOutcome.Created,
        "replaced" => CommitOutcome.Replaced,
        "duplicate" => CommitOutcome.Duplicate,
        "kept" => CommitOutcome.Kept,
        "rejected" => CommitOutcome.Rejected,
        "lost" => CommitOutcome.Lost,
        _ => throw new InvalidOperationException($"Unknown commit outcome '{value}'."),
    };

    private sealed record Pending(CommitRequest Request, string AttributesJson)
    {
        public TaskCompletionSource<CommitResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
