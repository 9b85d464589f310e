namespace Pacs.Archive.Storage;

/// <summary>Where the S3 (MinIO) store keeps objects.</summary>
public sealed record S3BlobStoreOptions
{
    /// <summary>host:port of the S3 endpoint, without scheme.</summary>
    public required string Endpoint { get; init; }

    public required string AccessKey { get; init; }

    public required string SecretKey { get; init; }

    public required string Bucket { get; init; }

    public string Region { get; init; } = "us-east-1";

    public bool UseTls { get; init; }

    /// <summary>
    /// Local folder for objects staged before their key is known (<see cref="IStagedBlob"/>); the system's temporary
    /// folder when null. Staged files are deleted once uploaded or abandoned.
    /// </summary>
    public string? StagingDirectory { get; init; }

    /// <summary>Lifetime of the presigned URLs the store computes for its own reads.</summary>
    public TimeSpan PresignedUrlLifetime { get; init; } = TimeSpan.FromMinutes(15);
}
