using Pacs.Testing;

namespace Pacs.Archive.Tests;

/// <summary>The shared test environment under the names these tests use.</summary>
public static class TestData
{
    public static string SamplesDirectory => TestEnvironment.SamplesDirectory;

    public static string RepositoryRoot => TestEnvironment.RepositoryRoot;

    public static string Sample(string fileName) => TestEnvironment.Sample(fileName);

    public static IEnumerable<string> AllSampleFiles() => TestEnvironment.AllSampleFiles();

    public static (int ExitCode, string StdOut, string StdErr) Run(string fileName, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null, bool check = true) =>
        TestEnvironment.Run(fileName, args, stdin, timeout: timeout, check: check);

    public static int FreePort(int count = 1) => TestEnvironment.FreePort(count);
}
