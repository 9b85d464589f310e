namespace Pacs.Archive.Ingest;

/// <summary>How an ingest ended; <see cref="IngestResult.DimseStatus"/> gives the C-STORE status for it.</summary>
public enum IngestStatus
{
    /// <summary>Stored as a new instance.</summary>
    Stored,

    /// <summary>Stored, replacing a previous version with different content.</summary>
    Replaced,

    /// <summary>The same content was already stored (idempotent resend); nothing new was kept.</summary>
    AlreadyStored,

    /// <summary>Different content was received for an archived instance and discarded (policy Keep).</summary>
    KeptExisting,

    /// <summary>Different content was received for an archived instance and refused (policy Reject).</summary>
    RejectedDuplicate,

    /// <summary>The dataset cannot be parsed.</summary>
    CannotUnderstand,

    /// <summary>The dataset lacks or has invalid UIDs the archive needs, or does not match the request.</summary>
    InvalidDataset,

    /// <summary>The blob store failed; nothing was committed.</summary>
    StorageUnavailable,

    /// <summary>The index database failed; nothing was acknowledged.</summary>
    IndexUnavailable,
}
