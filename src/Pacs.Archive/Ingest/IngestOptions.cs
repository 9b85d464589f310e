using Pacs.Archive.Index;

namespace Pacs.Archive.Ingest;

public sealed record IngestOptions
{
    public DuplicatePolicy DuplicatePolicy { get; init; } = DuplicatePolicy.Replace;

    /// <summary>Header values larger than this stay in the spool file instead of being read while parsing.</summary>
    public long HeaderBulkDataThreshold { get; init; } = 64 * 1024;
}
