using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Pacs.Archive.Embedded;

/// <summary>
/// Supervises a private PostgreSQL cluster for the one-command default: initdb on first start, start on 127.0.0.1,
/// wait until it answers, create the database (with unaccent and pg_trgm), stop on dispose. As root, the cluster runs
/// as <see cref="EmbeddedPostgresOptions.OsUser"/> (through runuser), because initdb and postgres refuse root.
/// </summary>
public sealed partial class EmbeddedPostgres : IAsyncDisposable
{
    private const string PasswordFile = "pacs.password";
    private const int MaxSocketPathLength = 107;
    private readonly EmbeddedPostgresOptions _options;
    private readonly string _dataDirectory;
    private string? _binDirectory;
    private bool _started;

    public EmbeddedPostgres(EmbeddedPostgresOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _dataDirectory = Path.GetFullPath(options.DataDirectory);
    }

    /// <summary>The Npgsql connection string of the application database (valid after <see cref="StartAsync"/>).</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>True when the last start ran initdb (a new cluster).</summary>
    public bool Initialized { get; private set; }

    public string DataDirectory => _dataDirectory;

    private static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _binDirectory = _options.BinDirectory ?? FindBinDirectory();
        if (_dataDirectory.Length + 20 > MaxSocketPathLength)
        {
            throw new InvalidOperationException($"The data directory path is too long for PostgreSQL's Unix socket: {_dataDirectory}");
        }

        // The parent first (default mode), so that the reachability check below sees the directory the cluster will be in.
        Directory.CreateDirectory(Path.GetDirectoryName(_dataDirectory)!);
        if (IsRoot)
        {
            await EnsureOsUserAsync(cancellationToken).ConfigureAwait(false);
        }

        Directory.CreateDirectory(_dataDirectory);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The embedded PostgreSQL supervisor runs on Linux.");
        }

        File.SetUnixFileMode(_dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (IsRoot)
        {
            await RunAsync("chown", [_options.OsUser + ":", _dataDirectory], asClusterUser: false, cancellationToken).ConfigureAwait(false);
        }

        Initialized = false;
        if (!File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
        {
            // C.UTF-8: byte-order collation (fast, deterministic) with Unicode-aware lower() and trigram word splitting.
            await RunAsync(Bin("initdb"), ["-D", _dataDirectory, "-U", "postgres", "--encoding=UTF8", "--locale=C.UTF-8",
                "--auth-local=trust", "--auth-host=scram-sha-256", "--no-instructions"], asClusterUser: true, cancellationToken).ConfigureAwait(false);
            Initialized = true;
        }

        await WriteSettingsAsync(cancellationToken).ConfigureAwait(false);
        var status = await RunAsync(Bin("pg_ctl"), ["-D", _dataDirectory, "status"], asClusterUser: true, cancellationToken, throwOnError: false).ConfigureAwait(false);
        if (status.ExitCode != 0)
        {
            var seconds = ((int)_options.Timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await RunAsync(Bin("pg_ctl"), ["-D", _dataDirectory, "-l", Path.Combine(_dataDirectory, "server.log"), "-w", "-t", seconds, "start"], asClusterUser: true, cancellationToken).ConfigureAwait(false);
        }

        _started = true;
        var password = await GetOrCreatePasswordAsync(cancellationToken).ConfigureAwait(false);
        await CreateDatabaseAsync(password, cancellationToken).ConfigureAwait(false);
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            // The cluster's Unix socket (in its data directory, which only the cluster's user can enter) where the path
            // fits a socket address: a round trip costs noticeably less than through loopback TCP, and every stored
            // instance makes a few. TCP on 127.0.0.1 otherwise.
            Host = SocketPathFits ? _dataDirectory : "127.0.0.1",
            Port = _options.Port,
            Database = _options.Database,
            Username = _options.Username,
            Password = password,
        }.ConnectionString;
    }

    /// <summary>A Unix socket address holds at most 107 bytes of path; PostgreSQL names its socket <c>.s.PGSQL.{port}</c>.</summary>
    private bool SocketPathFits =>
        OperatingSystem.IsLinux() && Encoding.UTF8.GetByteCount(Path.Combine(_dataDirectory, $".s.PGSQL.{_options.Port.ToString(CultureInfo.InvariantCulture)}")) <= 107;

    /// <summary>Stops the cluster (fast shutdown: open transactions roll back) if this instance started it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_started || _binDirectory is null)
        {
            return;
        }

        _started = false;
        NpgsqlConnection.ClearAllPools();
        var seconds = ((int)_options.Timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var result = await RunAsync(Bin("pg_ctl"), ["-D", _dataDirectory, "-m", "fast", "-w", "-t", seconds, "stop"], asClusterUser: true, cancellationToken, throwOnError: false).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            await RunAsync(Bin("pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "-t", seconds, "stop"], asClusterUser: true, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c> holding initdb.</summary>
    public static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(c => File.Exists(Path.Combine(c.Dir, "initdb")))
                .OrderByDescending(c => c.Version)
                .ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0].Dir
            : throw new FileNotFoundException("No PostgreSQL server binaries under /usr/lib/postgresql/*/bin (Debian packages postgresql, postgresql-contrib).");
    }

    private string Bin(string name) => Path.Combine(_binDirectory!, name);

    private async Task EnsureOsUserAsync(CancellationToken cancellationToken)
    {
        var exists = await RunAsync("id", ["-u", _options.OsUser], asClusterUser: false, cancellationToken, throwOnError: false).ConfigureAwait(false);
        if (exists.ExitCode != 0)
        {
            await RunAsync("useradd", ["--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", _options.OsUser],
                asClusterUser: false, cancellationToken).ConfigureAwait(false);
        }

        var reachable = await RunAsync("test", ["-x", Path.GetDirectoryName(_dataDirectory)!], asClusterUser: true, cancellationToken, throwOnError: false).ConfigureAwait(false);
        if (reachable.ExitCode != 0)
        {
            throw new InvalidOperationException($"OS user {_options.OsUser} cannot reach {_dataDirectory}: a parent directory is not traversable by it.");
        }
    }

    private async Task WriteSettingsAsync(CancellationToken cancellationToken)
    {
        // Rewritten on every start so that a changed port applies; ALTER SYSTEM is not used for anything else here.
        var settings = string.Join('\n',
            "# written by Pacs (EmbeddedPostgres) on every start",
            "listen_addresses = '127.0.0.1'",
            $"port = {_options.Port.ToString(CultureInfo.InvariantCulture)}",
            $"unix_socket_directories = '{_dataDirectory.Replace("'", "''", StringComparison.Ordinal)}'",
            "max_connections = 200",
            "shared_buffers = 256MB",
            "max_wal_size = 2GB",
            "logging_collector = off",
            "log_min_messages = warning",
            string.Empty);
        var path = Path.Combine(_dataDirectory, "postgresql.auto.conf");
        await File.WriteAllTextAsync(path, settings, cancellationToken).ConfigureAwait(false);
        if (IsRoot)
        {
            await RunAsync("chown", [_options.OsUser + ":", path], asClusterUser: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> GetOrCreatePasswordAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_dataDirectory, PasswordFile);
        if (File.Exists(path))
        {
            return (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(path, password, cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return password;
    }

    private async Task CreateDatabaseAsync(string password, CancellationToken cancellationToken)
    {
        // The superuser over the Unix socket (trust, local only) creates the role and database; the server then only
        // accepts the application role over TCP with its password.
        var admin = new NpgsqlConnectionStringBuilder { Host = _dataDirectory, Port = _options.Port, Username = "postgres", Database = "postgres", Pooling = false };
        await using (var connection = await OpenWhenReadyAsync(admin.ConnectionString, cancellationToken).ConfigureAwait(false))
        {
            await ExecuteGeneratedAsync(connection, "SELECT format('CREATE ROLE %I LOGIN', @role) WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @role)", cancellationToken).ConfigureAwait(false);
            await ExecuteGeneratedAsync(connection, "SELECT format('ALTER ROLE %I PASSWORD %L', @role, @password)", cancellationToken, password).ConfigureAwait(false);
            await ExecuteGeneratedAsync(connection, "SELECT format('CREATE DATABASE %I OWNER %I', @database, @role) WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = @database)", cancellationToken).ConfigureAwait(false);
        }

        admin.Database = _options.Database;
        await using (var connection = await OpenWhenReadyAsync(admin.ConnectionString, cancellationToken).ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pg_trgm;", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a statement that a query builds with format() (%I/%L quoting), since DDL takes no parameters.</summary>
    private async Task ExecuteGeneratedAsync(NpgsqlConnection connection, string generator, CancellationToken cancellationToken, string? password = null)
    {
        string? statement;
        await using (var command = new NpgsqlCommand(generator, connection))
        {
            command.Parameters.AddWithValue("role", _options.Username);
            command.Parameters.AddWithValue("database", _options.Database);
            command.Parameters.AddWithValue("password", password ?? string.Empty);
            statement = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        if (statement is not null)
        {
            await using var run = new NpgsqlCommand(statement, connection);
            await run.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<NpgsqlConnection> OpenWhenReadyAsync(string connectionString, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.Timeout;
        while (true)
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch (Exception ex) when (ex is NpgsqlException && DateTime.UtcNow < deadline)
            {
                await connection.DisposeAsync().ConfigureAwait(false);

                // 57P03: the database system is starting up.
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> arguments, bool asClusterUser, CancellationToken cancellationToken, bool throwOnError = true)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asClusterUser && IsRoot)
        {
            info.FileName = "runuser";
            foreach (var a in (string[])["-u", _options.OsUser, "--", file])
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            info.FileName = file;
        }

        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout + TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output.Trim()}");
        }

        return (process.ExitCode, output);
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
