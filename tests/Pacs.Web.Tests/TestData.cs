using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Pacs.Web.Tests;

/// <summary>Finds the shared samples and the repository, runs programs, picks free ports.</summary>
public static class TestData
{
    private static readonly Lazy<string> Shared = new(() => FindUp(d => Directory.Exists(Path.Combine(d, "shared", "dicom-samples")), "shared/dicom-samples", "shared"));
    private static readonly Lazy<string> Repository = new(() => FindUp(d => File.Exists(Path.Combine(d, "Pacs.sln")), "Pacs.sln", string.Empty));

    public static string SamplesDirectory => Path.Combine(Shared.Value, "dicom-samples");

    public static string RepositoryRoot => Repository.Value;

    public static string Sample(string fileName) => Path.Combine(SamplesDirectory, fileName);

    public static IEnumerable<string> AllSampleFiles() =>
        Directory.EnumerateFiles(SamplesDirectory)
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal) && !f.EndsWith(".txt", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal);

    /// <summary>Runs a program to completion and returns what it printed; throws on a non-zero exit when asked.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(string fileName, IEnumerable<string> args, TimeSpan? timeout = null, bool check = true)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
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
            throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} exited {result.ExitCode}: {result.Item3}");
        }

        return result;
    }

    /// <summary>A TCP port on 127.0.0.1 where nothing listens.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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
