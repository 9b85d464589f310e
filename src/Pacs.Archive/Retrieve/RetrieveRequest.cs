namespace Pacs.Archive.Retrieve;

/// <summary>
/// What to retrieve, by unique keys (PS3.4 C.4.2.2.1 / C.4.3.2.1): every given list narrows the set; an empty request
/// selects nothing. Lists come from the backslash-separated values of a C-MOVE/C-GET identifier or from WADO-RS paths.
/// </summary>
public sealed record RetrieveRequest
{
    public string? PatientId { get; init; }

    public IReadOnlyList<string> StudyInstanceUids { get; init; } = [];

    public IReadOnlyList<string> SeriesInstanceUids { get; init; } = [];

    public IReadOnlyList<string> SopInstanceUids { get; init; } = [];

    public bool IsEmpty => PatientId is null && StudyInstanceUids.Count == 0 && SeriesInstanceUids.Count == 0 && SopInstanceUids.Count == 0;
}
