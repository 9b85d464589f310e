namespace Pacs.Archive.Retrieve;

/// <summary>One instance to send for a C-MOVE/C-GET: identity, stored transfer syntax, and where its blob is.</summary>
public sealed record RetrieveInstance(
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopClassUid,
    string SopInstanceUid,
    string TransferSyntaxUid,
    string BlobKey,
    long Size);
