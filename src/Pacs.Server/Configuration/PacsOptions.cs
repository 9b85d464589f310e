using Pacs.Archive.Index;

namespace Pacs.Server.Configuration;

/// <summary>The "Pacs" section of configuration; every key is documented in config/README.md.</summary>
public sealed class PacsOptions
{
    public const string Section = "Pacs";

    /// <summary>Holds the embedded PostgreSQL cluster (index/) and, with the file-system store, the blobs (blobs/).</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>"Text" for people, "Json" for log shippers (one JSON object a line).</summary>
    public string LogFormat { get; set; } = "Text";

    /// <summary>
    /// This node's name among the Pacs nodes sharing one index database; empty: "{machine name}:{DICOM port}". A node
    /// records its reservations under it and, starting up, removes only its own unfinished ones (other nodes' stores may
    /// be in flight). Two nodes running at once must not share it.
    /// </summary>
    public string NodeName { get; set; } = string.Empty;

    /// <summary>The configured <see cref="NodeName"/>, or the default one.</summary>
    public string EffectiveNodeName => string.IsNullOrWhiteSpace(NodeName) ? $"{Environment.MachineName}:{Dicom.Port}" : NodeName.Trim();

    /// <summary>Compile the archive's code at start-up (while the index starts) rather than during the first associations.</summary>
    public bool PrepareCode { get; set; } = true;

    public DicomOptions Dicom { get; set; } = new();

    public DatabaseOptions Database { get; set; } = new();

    public StorageOptions Storage { get; set; } = new();

    public IngestSettings Ingest { get; set; } = new();

    public string IndexDirectory => Path.Combine(Path.GetFullPath(DataDirectory), "index");

    public string BlobDirectory => Path.Combine(Path.GetFullPath(DataDirectory), "blobs");
}

public sealed class DicomOptions
{
    public string AeTitle { get; set; } = "PACS";

    public int Port { get; set; } = 11112;

    public string BindAddress { get; set; } = "0.0.0.0";

    public bool CheckCalledAeTitle { get; set; } = true;

    /// <summary>Empty: any calling AE may associate.</summary>
    public List<string> AllowedCallingAes { get; set; } = [];

    public int MaxAssociations { get; set; } = 64;

    public uint MaxPduLength { get; set; } = 262144;

    public int IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// Least milliseconds between two Pending responses of a C-MOVE or C-GET; 0 sends one after every sub-operation.
    /// Each is a message the requestor decodes (and DCMTK's movescu logs) per instance sent.
    /// </summary>
    public int RetrievePendingIntervalMs { get; set; } = 200;

    /// <summary>C-MOVE destinations.</summary>
    public List<KnownAe> KnownAes { get; set; } = [];
}

public sealed class KnownAe
{
    public string AeTitle { get; set; } = string.Empty;

    public string Host { get; set; } = string.Empty;

    public int Port { get; set; }
}

public sealed class DatabaseOptions
{
    /// <summary>Empty: run the embedded PostgreSQL cluster under DataDirectory/index.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    public int EmbeddedPort { get; set; } = 5433;

    public int MaxCommitBatch { get; set; } = 64;
}

public sealed class StorageOptions
{
    /// <summary>"FileSystem" (blobs under DataDirectory/blobs) or "S3".</summary>
    public string Kind { get; set; } = "FileSystem";

    /// <summary>
    /// FileSystem: write received instances around the page cache (O_DIRECT, Linux) where the file system allows it.
    /// Ingest costs much less kernel time; an instance read right after it arrived comes from disk, not from memory.
    /// </summary>
    public bool DirectWrites { get; set; } = true;

    public S3Settings S3 { get; set; } = new();
}

public sealed class S3Settings
{
    public string Endpoint { get; set; } = string.Empty;

    public string Region { get; set; } = "us-east-1";

    public string AccessKey { get; set; } = string.Empty;

    public string SecretKey { get; set; } = string.Empty;

    public string Bucket { get; set; } = "pacs";

    public bool UseSsl { get; set; }
}

public sealed class IngestSettings
{
    public DuplicatePolicy DuplicatePolicy { get; set; } = DuplicatePolicy.Replace;

    /// <summary>Where received datasets are spooled before they are stored; empty: DataDirectory/spool.</summary>
    public string SpoolDirectory { get; set; } = string.Empty;

    /// <summary>Fractions allowed (tests sweep within seconds).</summary>
    public double StaleReservationMinutes { get; set; } = 30;

    public double SweepIntervalMinutes { get; set; } = 10;

    /// <summary>How often every blob is checked against the index and the unreferenced ones deleted; 0: only after an unclean stop.</summary>
    public double OrphanSweepHours { get; set; } = 24;
}
