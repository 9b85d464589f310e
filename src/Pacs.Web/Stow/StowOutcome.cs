namespace Pacs.Web.Stow;

/// <summary>What happened to one part of a STOW-RS request.</summary>
public sealed record StowOutcome(string? SopClassUid, string? SopInstanceUid, string? StudyInstanceUid, string? SeriesInstanceUid, ushort? FailureReason, string? Comment)
{
    public bool Stored => FailureReason is null;
}
