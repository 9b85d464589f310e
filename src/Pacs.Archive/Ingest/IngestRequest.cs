using Pacs.Dicom;

namespace Pacs.Archive.Ingest;

/// <summary>
/// A received dataset to archive: a stream positioned at the first byte of the dataset, no File Meta Information, encoded
/// in <see cref="TransferSyntax"/>, running to the end of the stream — seekable for <see cref="IngestPipeline.IngestAsync"/>
/// (a file or spool), any stream for <see cref="IngestPipeline.IngestStreamAsync"/> (the network).
/// </summary>
public sealed record IngestRequest(Stream Dataset, DicomTransferSyntax TransferSyntax, string? SourceAeTitle)
{
    /// <summary>The Affected SOP Class UID of the C-STORE request, checked against the dataset when given.</summary>
    public string? AffectedSopClassUid { get; init; }

    /// <summary>The Affected SOP Instance UID of the C-STORE request, checked against the dataset when given.</summary>
    public string? AffectedSopInstanceUid { get; init; }

    /// <summary>
    /// The Affected UIDs come from the File Meta Information the sender wrote (STOW-RS), not from a command: when the
    /// dataset disagrees with them, the instance is stored under its own UIDs behind a corrected meta instead of
    /// being refused. Either may then be null (the meta named none).
    /// </summary>
    public bool AffectedUidsFromFileMeta { get; init; }

    /// <summary>Recognise content already archived as the current version before writing anything (import resume).</summary>
    public bool SkipIfStored { get; init; }
}
