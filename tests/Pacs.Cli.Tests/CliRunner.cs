using System.Diagnostics;

namespace Pacs.Cli.Tests;

/// <summary>Runs the built `pacs` command as a user would, and finds the shared samples.</summary>
internal static class CliRunner
{
    public static string SamplesDirectory { get; } = FindSamples();

    /// <summary>The shared folder beside the repository (samples, benchmark kit).</summary>
    public static string SharedDirectory => Path.GetDirectoryName(SamplesDirectory)!;

    public static string Sample(string name) => Path.Combine(SamplesDirectory, name);

    public static (int ExitCode, string StdOut, string StdErr) Pacs(params string[] args) => Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "pacs.dll"), .. args]);

    public static (int ExitCode, string StdOut, string StdErr) Run(string fileName, params string[] args)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindSamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "dicom-samples");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/dicom-samples not found beside the repository");
    }
}
