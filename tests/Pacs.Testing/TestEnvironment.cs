using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Pacs.Testing;

/// <summary>Finds the shared samples (shared/ beside the repository) and the repository, runs programs, picks free ports.</summary>
public static class TestEnvironment
{
    private static readonly Lazy<string> Shared = new(() => FindUp(d => Directory.Exists(Path.Combine(d, "shared", "dicom-samples")), "shared/dicom-samples", "shared"));
    private static readonly Lazy<string> Repository = new(() => FindUp(d => File.Exists(Path.Combine(d, "Pacs.sln")), "Pacs.sln", string.Empty));

    public static string SharedDirectory => Shared.Value;

    public static string SamplesDirectory => Path.Combine(Shared.Value, "dicom-samples");

    public static string RepositoryRoot => Repository.Value;

    /// <summary>Debug or Release: the configuration the test assembly was built in, which the server and CLI share.</summary>
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string Sample(string fileName) => Path.Combine(SamplesDirectory, fileName);

    /// <summary>Every sample file, DICOM or not, without the manifest and the charset notes.</summary>
    public static IEnumerable<string> AllSampleFiles() =>
        Directory.EnumerateFiles(SamplesDirectory)
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal) && !f.EndsWith(".txt", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal);

    /// <summary>
    /// Runs a program to completion (180 s unless told otherwise) and returns what it printed; throws on a non-zero exit
    /// when <paramref name="check"/> is set. DCMTK clients get TCP_NODELAY=1: Debian's DCMTK leaves Nagle on, which on
    /// loopback stalls each message and would measure the client.
    /// </summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(string fileName, IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, bool check = true)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
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
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

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
