namespace Pacs.Archive.Query;

/// <summary>A built statement: its text, parameters, and what each selected column holds.</summary>
internal sealed record QuerySql(string Text, SqlParameterList Parameters, IReadOnlyList<QueryAttribute> Columns, bool HasMetadata);
