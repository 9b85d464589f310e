using Pacs.Testing;

namespace Pacs.IntegrationTests.Support;

/// <summary>The shared test environment under the names these tests use, plus what only whole-server tests need.</summary>
public static class TestData
{
    public static string SharedDirectory => TestEnvironment.SharedDirectory;

    public static string SamplesDirectory => TestEnvironment.SamplesDirectory;

    public static string RepositoryRoot => TestEnvironment.RepositoryRoot;

    /// <summary>Debug or Release: the configuration this test assembly was built in, which the server and CLI share.</summary>
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static IEnumerable<string> AllSampleFiles() => TestEnvironment.AllSampleFiles();

    public static (int ExitCode, string StdOut, string StdErr) Run(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, bool check = true) =>
        TestEnvironment.Run(fileName, args, environment: environment, timeout: timeout, check: check);

    public static int FreePort(int count = 1) => TestEnvironment.FreePort(count);

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
}
