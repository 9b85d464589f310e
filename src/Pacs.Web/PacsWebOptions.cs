namespace Pacs.Web;

/// <summary>The "Pacs:Web" section of configuration.</summary>
public sealed class PacsWebOptions
{
    public const string Section = "Pacs:Web";

    /// <summary>Where the DICOMweb services are mapped (PS3.18 leaves the base URL to the origin server).</summary>
    public string DicomWebBasePath { get; set; } = "/dicomweb";

    /// <summary>The largest STOW-RS request body accepted, in bytes; larger ones get 413 before anything is stored.</summary>
    public long MaxStowRequestBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>How many instances of one STOW-RS request are ingested at the same time.</summary>
    public int StowParallelism { get; set; } = 4;

    /// <summary>The largest header block of one multipart part, in bytes.</summary>
    public int MaxPartHeadersBytes { get; set; } = 16 * 1024;

    /// <summary>Values larger than this are written as BulkDataURIs in WADO-RS metadata (PS3.18 F.2.7).</summary>
    public long MetadataBulkDataThreshold { get; set; } = 1024;

    /// <summary>The default edge, in pixels, of a thumbnail.</summary>
    public int ThumbnailSize { get; set; } = 128;

    /// <summary>The largest edge a rendered image may be scaled to with viewport=.</summary>
    public int MaxViewportSize { get; set; } = 8192;

    /// <summary>Bytes of recently rendered images (encoded) kept in memory, least recently used dropped first; 0 turns it off.</summary>
    public long RenderedCacheBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Instance locations (blob key, version, study and series) kept in memory so that frames, rendered images and
    /// metadata read again need no index query; kept exact across nodes by the index's change notifications. 0 turns
    /// it off.
    /// </summary>
    public int InstanceLocationCacheEntries { get; set; } = 100_000;

    /// <summary>
    /// The most QIDO-RS results one response carries; a larger limit (or none) is cut to this, with the Warning header
    /// PS3.18 8.3.4.4 describes when more results exist.
    /// </summary>
    public int MaxQueryResults { get; set; } = 1000;

    /// <summary>Allows DELETE of studies, series and instances.</summary>
    public bool AllowDelete { get; set; } = true;
}
