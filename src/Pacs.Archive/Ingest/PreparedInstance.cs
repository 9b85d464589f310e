using Pacs.Archive.Index;

namespace Pacs.Archive.Ingest;

/// <summary>
/// An instance whose version is reserved and whose blob is durable under the version's key, not yet committed and so
/// not visible (<see cref="IngestPipeline.PrepareAsync"/>); or, when <see cref="IsPrepared"/> is false, the failure
/// that stopped it, with nothing left behind.
/// </summary>
public sealed class PreparedInstance
{
    internal PreparedInstance(IngestResult result) => Result = result;

    internal PreparedInstance(IngestResult result, Reservation reservation, IndexAttributes attributes, string? metadata, long length, byte[] datasetHash)
    {
        Result = result;
        Reservation = reservation;
        Attributes = attributes;
        Metadata = metadata;
        Length = length;
        DatasetHash = datasetHash;
    }

    /// <summary>The instance's UIDs when prepared; otherwise the failure to report.</summary>
    public IngestResult Result { get; }

    public bool IsPrepared => Reservation is not null;

    internal Reservation? Reservation { get; }

    internal IndexAttributes? Attributes { get; }

    internal string? Metadata { get; }

    internal long Length { get; }

    internal byte[] DatasetHash { get; } = [];
}
