using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Pacs.Archive.Index;

/// <summary>
/// Tells in-memory caches of instance locations which instances were replaced or deleted, by this process or by any
/// other sharing the index database (migration 0008 notifies channel <c>pacs_instances_changed</c> in the changing
/// transaction). Changes made here are published at once, before the call that made them returns, so this node reads
/// its own writes; those of other nodes arrive when PostgreSQL delivers the notification (milliseconds after their
/// commit). A cache may serve entries only while <see cref="IsLive"/>: while the listening connection is down,
/// notifications are lost, so every loss or recovery of it counts as a change of everything.
/// </summary>
public sealed partial class InstanceChangeFeed : IAsyncDisposable
{
    public const string Channel = "pacs_instances_changed";

    private readonly string _connectionString;
    private readonly TimeSpan _retryDelay;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _listening;
    private ILogger _logger = NullLogger.Instance;
    private long _generation;
    private volatile bool _live;
    private volatile int _listenerProcessId;

    internal InstanceChangeFeed(string connectionString, TimeSpan? retryDelay = null)
    {
        // A connection of its own, outside the pools: a pooled connection would go back to the pool still listening.
        // Keepalive queries notice a connection the network silently dropped.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 15, ApplicationName = "pacs-change-feed" }.ConnectionString;
        _retryDelay = retryDelay ?? TimeSpan.FromSeconds(2);
    }

    /// <summary>Instances that changed (SOP Instance UIDs), or null when everything must be considered changed.</summary>
    public event Action<IReadOnlyList<string>?>? Changed;

    /// <summary>True while changes made elsewhere are being received.</summary>
    public bool IsLive => _live;

    /// <summary>The PostgreSQL backend of the listening connection (0 when none), for tests that break it.</summary>
    internal int ListenerProcessId => _listenerProcessId;

    /// <summary>Increases with every published change; a value read before a lookup tells whether one came in between.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Starts listening (once; later calls do nothing). Caches call this when they are created.</summary>
    public void Start(ILogger? logger = null)
    {
        lock (_lock)
        {
            if (_listening is null)
            {
                _logger = logger ?? NullLogger.Instance;
                _listening = Task.Run(() => ListenAsync(_stopping.Token));
            }
        }
    }

    /// <summary>Publishes a change made by this process (null: everything).</summary>
    public void Publish(IReadOnlyList<string>? sopInstanceUids)
    {
        Interlocked.Increment(ref _generation);
        Changed?.Invoke(sopInstanceUids);
    }

    /// <summary>The UIDs of a notification's payload; null for '*' (everything).</summary>
    internal static IReadOnlyList<string>? ParsePayload(string payload) =>
        payload == "*" ? null : payload.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                connection.Notification += (_, e) => Publish(ParsePayload(e.Payload));
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (var listen = new NpgsqlCommand("LISTEN " + Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // What was cached before this point was not covered by any listener.
                Publish(null);
                _listenerProcessId = connection.ProcessID;
                _live = true;
                LogListening(_logger, Channel);
                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Down: caches stop serving until the next connection succeeds.
                LogListenerDown(_logger, ex, _retryDelay.TotalSeconds);
            }
            finally
            {
                _listenerProcessId = 0;
                if (_live)
                {
                    _live = false;
                    Publish(null);
                }
            }

            try
            {
                await Task.Delay(_retryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task? listening;
        lock (_lock)
        {
            listening = _listening;
        }

        if (listening is not null)
        {
            await listening.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for instance changes of other nodes on channel {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance change notifications lost; location caches bypassed until the listener reconnects (retry in {Seconds} s)")]
    private static partial void LogListenerDown(ILogger logger, Exception exception, double seconds);
}
