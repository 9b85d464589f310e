using Pacs.Archive.Index;

namespace Pacs.Archive.Ingest;

public sealed record IngestOptions
{
    public DuplicatePolicy DuplicatePolicy { get; init; } = DuplicatePolicy.Replace;

    /// <summary>Header values larger than this stay in the spool file instead of being read while parsing.</summary>
    public long HeaderBulkDataThreshold { get; init; } = 64 * 1024;

    /// <summary>Keep each instance's DICOM JSON (without bulk data) in the index, for WADO-RS metadata.</summary>
    public bool StoreMetadata { get; init; } = true;

    /// <summary>In that JSON, binary values longer than this are bulk data references (<c>bulk/{tag path}</c>) instead of inline.</summary>
    public long MetadataBulkDataThreshold { get; init; } = 1024;
}
