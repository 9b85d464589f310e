using System.Diagnostics;
using System.Text;
using Npgsql;
using Pacs.Archive.Index;
using Pacs.Archive.Storage;

namespace Pacs.Testing;

/// <summary>
/// The real server as a child process (<c>dotnet Pacs.Server.dll</c>) on free 127.0.0.1 ports with its own data
/// directory; settings are passed as command-line overrides like an operator would. Kill sends SIGKILL.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Dictionary<string, string> _settings;
    private Process? _process;
    private Pacs.Archive.Embedded.EmbeddedPostgres? _cluster;

    public ServerProcess(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        DataDirectory = dataDirectory;
        DicomPort = TestEnvironment.FreePort();
        EmbeddedPort = TestEnvironment.FreePort();
        _settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Pacs:DataDirectory"] = dataDirectory,
            ["Pacs:Dicom:Port"] = DicomPort.ToString(),
            ["Pacs:Dicom:BindAddress"] = "127.0.0.1",
            ["Pacs:Database:EmbeddedPort"] = EmbeddedPort.ToString(),
            ["Urls"] = $"http://127.0.0.1:{TestEnvironment.FreePort()}",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
        {
            _settings[k] = v;
        }
    }

    public const string AeTitle = "PACS";

    public string DataDirectory { get; }

    public int DicomPort { get; }

    public int EmbeddedPort { get; }

    public bool IsEmbedded => !_settings.ContainsKey("Pacs:Database:ConnectionString");

    /// <summary>Everything the server printed in all its runs.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server and waits until its DICOM port accepts associations.</summary>
    public async Task StartAsync()
    {
        var dll = Path.Combine(TestEnvironment.RepositoryRoot, "src", "Pacs.Server", "bin", TestEnvironment.Configuration, "net10.0", "Pacs.Server.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = DataDirectory };
        info.ArgumentList.Add(dll);
        foreach (var (k, v) in _settings)
        {
            info.ArgumentList.Add($"--{k}={v}");
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (line.Contains("DICOM SCP", StringComparison.Ordinal) && line.Contains("listening", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("The server exited during start-up:\n" + Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>SIGKILL: no shutdown code runs (the embedded cluster, a separate process, stays up).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>SIGTERM: a clean shutdown (in-flight stores finish, the embedded cluster stops).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            TestEnvironment.Run("kill", ["-TERM", p.Id.ToString()], check: false);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>The embedded index's connection string (the application role and its generated password).</summary>
    public string EmbeddedConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = EmbeddedPort,
        Database = "pacs",
        Username = "pacs",
        Password = File.ReadAllText(Path.Combine(DataDirectory, "index", "pacs.password")).Trim(),
        Pooling = false,
    }.ConnectionString;

    public string ConnectionString => _settings.TryGetValue("Pacs:Database:ConnectionString", out var c) ? c : EmbeddedConnectionString;

    /// <summary>After a clean stop the embedded cluster is down: start it (as the server would) to inspect the index.</summary>
    public async Task<IndexStore> OpenIndexAsyncAfterStop()
    {
        if (IsEmbedded)
        {
            _cluster ??= new Pacs.Archive.Embedded.EmbeddedPostgres(new Pacs.Archive.Embedded.EmbeddedPostgresOptions { DataDirectory = Path.Combine(DataDirectory, "index"), Port = EmbeddedPort });
            await _cluster.StartAsync();
        }

        return await OpenIndexAsync();
    }

    public Task<IndexStore> OpenIndexAsync() => IndexStore.OpenAsync(new IndexStoreOptions { ConnectionString = ConnectionString });

    public IBlobStore OpenFileSystemBlobs() => new FileSystemBlobStore(Path.Combine(DataDirectory, "blobs"));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_cluster is not null)
        {
            await _cluster.StopAsync();
        }

        var index = Path.Combine(DataDirectory, "index");
        if (IsEmbedded && File.Exists(Path.Combine(index, "postmaster.pid")))
        {
            // After a SIGKILL the cluster outlives the server; stop it as its owner.
            var bin = Pacs.Archive.Embedded.EmbeddedPostgres.FindBinDirectory();
            string[] stop = [Path.Combine(bin, "pg_ctl"), "-D", index, "-m", "immediate", "-w", "stop"];
            if (Environment.UserName == "root")
            {
                TestEnvironment.Run("runuser", ["-u", "postgres", "--", .. stop], check: false);
            }
            else
            {
                TestEnvironment.Run(stop[0], stop[1..], check: false);
            }
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
