namespace Pacs.Web.Wado;

/// <summary>Where the current version of an instance is and what it belongs to.</summary>
public sealed record InstanceLocation(
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid,
    string SopClassUid,
    long Version,
    string BlobKey,
    long Size,
    string TransferSyntaxUid);
