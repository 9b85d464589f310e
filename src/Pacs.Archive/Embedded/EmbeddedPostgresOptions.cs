namespace Pacs.Archive.Embedded;

public sealed record EmbeddedPostgresOptions
{
    /// <summary>The cluster's data directory (created and initialised on first start). Its path must stay short: the Unix socket lives in it.</summary>
    public required string DataDirectory { get; init; }

    public int Port { get; init; } = 5433;

    public string Database { get; init; } = "pacs";

    public string Username { get; init; } = "pacs";

    /// <summary>The PostgreSQL bin directory; null looks for Debian's <c>/usr/lib/postgresql/*/bin</c> (newest first).</summary>
    public string? BinDirectory { get; init; }

    /// <summary>The unprivileged OS user that runs the cluster when this process is root (initdb refuses root).</summary>
    public string OsUser { get; init; } = "postgres";

    /// <summary>How long start and stop may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
