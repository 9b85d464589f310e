namespace Pacs.Archive.Index;

/// <summary>What committing a reserved version did (see <c>pacs_commit_series</c>).</summary>
public enum CommitOutcome
{
    /// <summary>First version of the instance.</summary>
    Created,

    /// <summary>Changed content replaced the previous version (policy Replace).</summary>
    Replaced,

    /// <summary>Same content as the current version: nothing new was stored (idempotent resend).</summary>
    Duplicate,

    /// <summary>Changed content, policy Keep: the current version stays.</summary>
    Kept,

    /// <summary>Changed content, policy Reject.</summary>
    Rejected,

    /// <summary>The reservation was swept before the commit.</summary>
    Lost,
}

/// <summary>
/// The outcome of a commit; <see cref="ObsoleteBlobKey"/> is a blob no longer referenced by the index (the superseded
/// version after Replace, or the new one when it was dropped), which the caller deletes.
/// </summary>
public sealed record CommitResult(CommitOutcome Outcome, string? ObsoleteBlobKey, long? CurrentVersion)
{
    /// <summary>The instance is archived (as this or an equal version), so the store may be acknowledged.</summary>
    public bool IsStored => Outcome is CommitOutcome.Created or CommitOutcome.Replaced or CommitOutcome.Duplicate or CommitOutcome.Kept;
}

/// <summary>Everything a commit needs besides the reservation.</summary>
public sealed record CommitRequest(
    Reservation Reservation,
    IndexAttributes Attributes,
    long Size,
    byte[] DatasetHash,
    DuplicatePolicy Policy,
    string? MetadataJson = null);
