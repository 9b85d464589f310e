namespace Pacs.Archive.Query;

/// <summary>
/// A query that cannot be run as asked: a missing or unknown level, a hierarchical query without the unique keys of the
/// levels above, an unknown QIDO-RS parameter. C-FIND answers it with 0xA900 (Identifier does not match SOP Class) or
/// 0xC000, QIDO-RS with 400.
/// </summary>
public sealed class QueryException : Exception
{
    public QueryException()
    {
    }

    public QueryException(string message)
        : base(message)
    {
    }

    public QueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
