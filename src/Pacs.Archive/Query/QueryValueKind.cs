namespace Pacs.Archive.Query;

/// <summary>How an indexed attribute matches (PS3.4 C.2.2.2) and is read back from its column.</summary>
public enum QueryValueKind
{
    /// <summary>Text compared as stored: single value, wildcards.</summary>
    Text,

    /// <summary>Person name: case- and accent-insensitive through <c>pacs_search_key</c>, wildcards, fuzzy.</summary>
    PersonName,

    /// <summary>UID: single value or a backslash-separated list; no wildcards.</summary>
    Uid,

    Date,
    Time,
    Integer,
    Double,

    /// <summary>A text[] column holding the values of an attribute inside sequence items: an item matches when any value does.</summary>
    TextArray,

    /// <summary>A text[] aggregate (Modalities/SOP Classes in Study): matches when it shares any listed value.</summary>
    ArrayOverlap,

    /// <summary>An integer aggregate (Number of … Related …): a return key only.</summary>
    Count,
}
