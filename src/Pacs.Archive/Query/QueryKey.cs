namespace Pacs.Archive.Query;

/// <summary>A matching key: an indexed attribute and its non-empty value as the requester wrote it (decoded text).</summary>
public sealed record QueryKey(QueryAttribute Attribute, string Value);
