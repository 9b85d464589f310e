namespace Pacs.Archive.Ingest;

/// <summary>The outcome of one ingest, with the DIMSE C-STORE status (PS3.4 B.2.3) the SCP answers with.</summary>
public sealed record IngestResult(IngestStatus Status, string? ErrorComment = null)
{
    public string? StudyInstanceUid { get; init; }

    public string? SeriesInstanceUid { get; init; }

    public string? SopInstanceUid { get; init; }

    public string? SopClassUid { get; init; }

    /// <summary>The version the index now points to for this instance.</summary>
    public long? Version { get; init; }

    public string? BlobKey { get; init; }

    /// <summary>True only when the instance is durably archived and indexed: the one case that may be acknowledged.</summary>
    public bool IsSuccess => Status is IngestStatus.Stored or IngestStatus.Replaced or IngestStatus.AlreadyStored or IngestStatus.KeptExisting;

    public ushort DimseStatus => Status switch
    {
        IngestStatus.Stored or IngestStatus.Replaced or IngestStatus.AlreadyStored or IngestStatus.KeptExisting => 0x0000,
        IngestStatus.RejectedDuplicate => 0x0111, // Duplicate SOP Instance (PS3.7 C.4.2.1.4 general failure)
        IngestStatus.InvalidDataset => 0xA900, // Error: Data Set does not match SOP Class
        IngestStatus.CannotUnderstand => 0xC000, // Error: Cannot understand
        IngestStatus.StorageUnavailable or IngestStatus.IndexUnavailable => 0xA700, // Refused: Out of Resources
        _ => 0x0110, // Processing failure
    };
}
