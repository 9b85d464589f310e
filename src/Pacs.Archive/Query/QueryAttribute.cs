using Pacs.Dicom;

namespace Pacs.Archive.Query;

/// <summary>
/// An attribute the index holds in a column: the table it lives in (by its level), the column, how it matches, and, for a
/// value inside a sequence item, the sequence. The only source of identifiers the SQL builder writes into SQL.
/// </summary>
public sealed record QueryAttribute(DicomTag Tag, QueryLevel Table, string Column, QueryValueKind Kind)
{
    /// <summary>The normalised search-key column of a person name (indexed with pg_trgm), or null.</summary>
    public string? SearchKeyColumn { get; init; }

    /// <summary>For an attribute of a sequence item, the sequence (the attribute is then matched one level down).</summary>
    public DicomTag? Sequence { get; init; }
}
