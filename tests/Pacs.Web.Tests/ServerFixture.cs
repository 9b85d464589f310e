using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Pacs.Web.Tests;

/// <summary>
/// The real Pacs.Server process on free 127.0.0.1 ports (HTTP and DICOM) over a throwaway PostgreSQL cluster started
/// with scripts/test-services and a file-system blob store, for the whole test run.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    /// <summary>The STOW-RS body limit the server runs with, small enough for the over-limit test to be quick.</summary>
    public const long StowLimit = 8 * 1024 * 1024;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "pacs-wt-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly StringBuilder _log = new();
    private Process? _server;

    public HttpClient Http { get; private set; } = null!;

    public string BaseUrl { get; private set; } = string.Empty;

    public string DicomWeb => BaseUrl + "/dicomweb";

    public int DicomPort { get; private set; }

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The server's Pacs:DataDirectory (its blobs are under <c>blobs</c>).</summary>
    public string DataDirectory => Path.Combine(_root, "data");

    public string ServerLog
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    private static string Scripts => Path.Combine(TestData.RepositoryRoot, "scripts", "test-services");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var pgPort = TestData.FreePort();
        var pg = TestData.Run(Path.Combine(Scripts, "start-postgres.sh"), ["-d", Path.Combine(_root, "pg"), "-p", pgPort.ToString(), "--extensions", "--no-fsync"]);
        ConnectionString = pg.StdOut.Trim().Split('\n')[^1];

        var httpPort = TestData.FreePort();
        DicomPort = TestData.FreePort();
        BaseUrl = $"http://127.0.0.1:{httpPort}";
        var config = Path.Combine(_root, "server.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Urls = BaseUrl,
            Pacs = new
            {
                DataDirectory = Path.Combine(_root, "data"),
                Database = new { ConnectionString },
                Dicom = new { Port = DicomPort, BindAddress = "127.0.0.1", AeTitle = "PACS" },
                Web = new { MaxStowRequestBytes = StowLimit },
            },
        }));

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _root };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Pacs.Server.dll"));
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(config);
        _server = Process.Start(info) ?? throw new InvalidOperationException("could not start Pacs.Server");
        _server.OutputDataReceived += (_, e) => Append(e.Data);
        _server.ErrorDataReceived += (_, e) => Append(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        Http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None }) { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(120) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException("Pacs.Server exited at start-up:\n" + ServerLog);
            }

            try
            {
                using var ready = await Http.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Pacs.Server did not become ready:\n" + ServerLog);
            }

            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        NpgsqlConnection.ClearAllPools();
        TestData.Run(Path.Combine(Scripts, "stop-postgres.sh"), ["-d", Path.Combine(_root, "pg"), "--remove"], check: false);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Files waiting in the blob store's temporary folder: staged objects not (yet) committed.</summary>
    public int StagedFileCount()
    {
        var temporary = Path.Combine(_root, "data", "blobs", ".tmp");
        return Directory.Exists(temporary) ? Directory.GetFiles(temporary, "*", SearchOption.AllDirectories).Length : 0;
    }

    /// <summary>Stored objects: files in the blob store outside its temporary folder.</summary>
    public int BlobFileCount()
    {
        var blobs = Path.Combine(_root, "data", "blobs");
        return Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Count(f => !f.Contains("/.tmp/", StringComparison.Ordinal));
    }

    /// <summary>Versions reserved and not committed (state <c>creating</c>).</summary>
    public async Task<long> ReservationCountAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM instance_version WHERE state = 'creating'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public string NewTempDirectory()
    {
        var path = Path.Combine(_root, "t" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A STOW-RS request of the given Part 10 objects.</summary>
    public async Task<(HttpResponseMessage Response, JsonElement Body)> StowAsync(string? study, params byte[][] parts)
    {
        var boundary = "b" + Guid.NewGuid().ToString("N");
        var body = new MemoryStream();
        foreach (var part in parts)
        {
            body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n"));
            body.Write(part);
            body.Write("\r\n"u8);
        }

        body.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/related; type=\"application/dicom\"; boundary={boundary}");
        var request = new HttpRequestMessage(HttpMethod.Post, study is null ? "/dicomweb/studies" : $"/dicomweb/studies/{study}") { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return (response, json);
    }

    public async Task<long> InstanceCountAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM instance", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<long> ServerAliveAsync()
    {
        using var live = await Http.GetAsync("/health/live");
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        return await InstanceCountAsync();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "Pacs server";
}
