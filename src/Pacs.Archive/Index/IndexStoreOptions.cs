namespace Pacs.Archive.Index;

public sealed record IndexStoreOptions
{
    /// <summary>Npgsql connection string of the index database.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>
    /// This node's name among the nodes sharing the index, recorded with each reservation so that a node starting up
    /// removes only the reservations it left itself (see <see cref="IndexStore.DeleteStaleReservationsAsync"/>). Two
    /// processes running at once must not share it.
    /// </summary>
    public string NodeName { get; init; } = Environment.MachineName;

    /// <summary>Most commits grouped in one transaction.</summary>
    public int MaxCommitBatch { get; init; } = 64;

    /// <summary>Times a batch is retried after a deadlock or serialization failure.</summary>
    public int CommitRetries { get; init; } = 5;

    /// <summary>Version numbers fetched from the sequence per round trip (unused ones are skipped, never reused).</summary>
    public int VersionBlockSize { get; init; } = 32;
}
