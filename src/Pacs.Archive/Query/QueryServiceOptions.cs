namespace Pacs.Archive.Query;

/// <summary>Settings of the query side.</summary>
public sealed class QueryServiceOptions
{
    /// <summary>Returned as Retrieve AE Title (0008,0054) when set: the AE that C-MOVE/C-GET should be sent to.</summary>
    public string? RetrieveAeTitle { get; init; }
}
