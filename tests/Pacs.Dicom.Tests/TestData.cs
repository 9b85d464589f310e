using System.Diagnostics;

namespace Pacs.Dicom.Tests;

/// <summary>Finds the shared sample data beside the repository and runs the real reference tools (DCMTK, pydicom).</summary>
public static class TestData
{
    private static readonly Lazy<string> Shared = new(FindShared);

    /// <summary>The folder holding dicom-samples/ and dicom-standard/: `shared/` beside the repository.</summary>
    public static string SharedDirectory => Shared.Value;

    public static string SamplesDirectory => Path.Combine(SharedDirectory, "dicom-samples");

    public static string Sample(string fileName) => Path.Combine(SamplesDirectory, fileName);

    /// <summary>Every sample file (DICOM or not DICOM at all), excluding the manifest and the charset notes.</summary>
    public static IEnumerable<string> AllSampleFiles() =>
        Directory.EnumerateFiles(SamplesDirectory)
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal) && !f.EndsWith(".txt", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal);

    /// <summary>Runs a program to completion (60 s at most) and returns what it printed.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(string fileName, params string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish in 60 s");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "dicom-samples")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/dicom-samples was not found beside the repository.");
    }
}
