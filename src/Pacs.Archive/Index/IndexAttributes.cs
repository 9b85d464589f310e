namespace Pacs.Archive.Index;

/// <summary>
/// What the index stores of one instance: its identifying UIDs and the typed match keys, by column name, with values
/// already normalised (<see cref="DateOnly"/>, <see cref="TimeOnly"/>, int, double, string, string[]; null = absent).
/// </summary>
public sealed class IndexAttributes
{
    public IndexAttributes(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, string sopClassUid, IReadOnlyDictionary<string, object?> columns)
    {
        StudyInstanceUid = studyInstanceUid;
        SeriesInstanceUid = seriesInstanceUid;
        SopInstanceUid = sopInstanceUid;
        SopClassUid = sopClassUid;
        Columns = columns;
    }

    public string StudyInstanceUid { get; }

    public string SeriesInstanceUid { get; }

    public string SopInstanceUid { get; }

    public string SopClassUid { get; }

    public IReadOnlyDictionary<string, object?> Columns { get; }

    public string? PatientId => Columns.TryGetValue(IndexColumns.PatientId, out var v) ? v as string : null;
}
