using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Pacs.IntegrationTests.Support;

/// <summary>Finds the shared samples and the repository, runs programs, picks free ports.</summary>
public static class TestData
{
    private static readonly Lazy<string> Shared = new(() => FindUp(d => Directory.Exists(Path.Combine(d, "shared", "dicom-samples")), "shared/dicom-samples", "shared"));
    private static readonly Lazy<string> Repository = new(() => FindUp(d => File.Exists(Path.Combine(d, "Pacs.sln")), "Pacs.sln", string.Empty));

    public static string SharedDirectory => Shared.Value;

    public static string SamplesDirectory => Path.Combine(Shared.Value, "dicom-samples");

    public static string RepositoryRoot => Repository.Value;

    /// <summary>Debug or Release: the configuration this test assembly was built in, which the server and CLI share.</summary>
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static IEnumerable<string> AllSampleFiles() =>
        Directory.EnumerateFiles(SamplesDirectory)
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal) && !f.EndsWith(".txt", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal);

    public static (int ExitCode, string StdOut, string StdErr) Run(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, bool check = true)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["TCP_NODELAY"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(180)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish");
        }

        var result = (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        if (check && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} exited {result.ExitCode}: {result.Item2}{result.Item3}");
        }

        return result;
    }

    /// <summary>A TCP port on 127.0.0.1 where nothing listens, with <paramref name="count"/> free consecutive ports from it.</summary>
    public static int FreePort(int count = 1)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (port + count < 65535 && Enumerable.Range(port, count).All(IsFree))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free port range found");
    }

    /// <summary>A new directory under /tmp that the embedded cluster's OS user can traverse (short: it holds a socket).</summary>
    public static string NewDirectory(string prefix)
    {
        var path = Path.Combine("/tmp", $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }

        return path;
    }

    /// <summary>A synthetic CT data set made with ../shared/bench/gen_ct.py (explicit VR LE, 512x512).</summary>
    public static IReadOnlyList<string> GenerateCt(string directory, int studies, int series, int instances, int seed)
    {
        Run("/usr/bin/python3", [Path.Combine(SharedDirectory, "bench", "gen_ct.py"), "--out", directory, "--studies", studies.ToString(),
            "--series", series.ToString(), "--instances", instances.ToString(), "--seed", seed.ToString(), "--uid-root", $"1.2.826.0.1.3680043.10.{seed}", "--quiet"]);
        return Directory.EnumerateFiles(directory, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string FindUp(Func<string, bool> match, string what, string append)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (match(dir.FullName))
            {
                return append.Length == 0 ? dir.FullName : Path.Combine(dir.FullName, append);
            }
        }

        throw new DirectoryNotFoundException($"{what} was not found above the test assembly.");
    }
}
