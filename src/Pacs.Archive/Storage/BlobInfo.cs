namespace Pacs.Archive.Storage;

/// <summary>An object in a blob store.</summary>
public sealed record BlobInfo(string Key, long Length, DateTimeOffset LastModified);
