namespace Pacs.Archive.Query;

/// <summary>The Query/Retrieve Level (0008,0052) of a query, ordered from the top of the hierarchy down (PS3.4 C.3).</summary>
public enum QueryLevel
{
    Patient,
    Study,
    Series,
    Image,
}
