using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Pacs.Cli.Tests;

/// <summary>
/// <c>pacs import</c> and <c>pacs verify</c> as an administrator runs them: a folder of real CT files into the embedded
/// default (PostgreSQL cluster and blobs under a data directory), resumed, then checked and damaged.
/// </summary>
public sealed class ArchiveCommandTests : IDisposable
{
    private readonly string _root;

    public ArchiveCommandTests()
    {
        // Under /tmp and world-traversable: as root, the embedded cluster runs as `postgres`.
        _root = Path.Combine(Path.GetTempPath(), "pacs-cli-archive-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Import_is_resumable_and_verify_finds_damage()
    {
        var input = Path.Combine(_root, "in");
        var (genCode, _, genErr) = CliRunner.Run("/usr/bin/python3", Path.Combine(CliRunner.SharedDirectory, "bench", "gen_ct.py"),
            "--out", input, "--studies", "1", "--series", "2", "--instances", "6", "--seed", "5", "--quiet");
        Assert.True(genCode == 0, genErr);
        var files = Directory.GetFiles(input, "*.dcm", SearchOption.AllDirectories);
        Assert.Equal(12, files.Length);
        File.WriteAllText(Path.Combine(input, "notes.dcm"), "this is not DICOM");

        var config = Path.Combine(_root, "pacs.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new { Pacs = new { DataDirectory = Path.Combine(_root, "data"), Database = new { EmbeddedPort = FreePort() } } }));

        // First run: every CT file stored, the text file reported; the exit code says something failed.
        var (code, stdout, stderr) = CliRunner.Pacs("import", input, "--config", config, "--parallel", "4");
        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("13 files: 1 not DICOM, 12 stored", stdout, StringComparison.Ordinal);
        Assert.Contains("notes.dcm", stdout, StringComparison.Ordinal);

        // Second run: recognised as archived without writing anything again.
        (code, stdout, stderr) = CliRunner.Pacs("import", input, "--config", config);
        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("13 files: 12 already archived, 1 not DICOM", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = CliRunner.Pacs("verify", "--config", config, "--min-age", "0");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("12 indexed versions checked, 12 blobs listed: 0 problems", stdout, StringComparison.Ordinal);

        // One stored object damaged, one file nobody indexed: both reported; repair removes only the orphan.
        var blobs = Directory.GetFiles(Path.Combine(_root, "data", "blobs"), "*.dcm", SearchOption.AllDirectories);
        var damaged = blobs.Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(damaged);
        bytes[^1] ^= 0x55;
        File.WriteAllBytes(damaged, bytes);
        var orphan = Path.Combine(Path.GetDirectoryName(damaged)!, "424242.dcm");
        File.WriteAllBytes(orphan, [1, 2, 3]);

        (code, stdout, stderr) = CliRunner.Pacs("verify", "--config", config, "--min-age", "0", "--repair");
        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("HashMismatch", stdout, StringComparison.Ordinal);
        Assert.Contains("OrphanBlob", stdout, StringComparison.Ordinal);
        Assert.Contains("2 problems, 1 repaired", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(damaged));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
