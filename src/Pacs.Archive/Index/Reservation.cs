namespace Pacs.Archive.Index;

/// <summary>A reserved version of an instance (state <c>creating</c>): its version number and the blob key to write.</summary>
public sealed record Reservation(long Version, string BlobKey, string StudyInstanceUid, string SeriesInstanceUid, string SopInstanceUid);
