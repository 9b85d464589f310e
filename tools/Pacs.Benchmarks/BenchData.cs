using System.Diagnostics;

namespace Pacs.Benchmarks;

/// <summary>Finds or generates the synthetic CT data set of the shared benchmark kit.</summary>
internal static class BenchData
{
    public static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>CT files under DIR, generating 2 series x 150 instances of 512x512 CT with the kit's gen_ct.py when DIR is empty.</summary>
    public static async Task<string[]> CtFilesAsync(string dir, int count)
    {
        if (!Directory.Exists(dir) || !Directory.EnumerateFiles(dir, "*.dcm", SearchOption.AllDirectories).Any())
        {
            var generator = FindShared("bench/gen_ct.py") ?? throw new FileNotFoundException("shared/bench/gen_ct.py not found beside the repository");
            var series = Math.Max(1, (count + 149) / 150);
            Console.Error.WriteLine($"generating {series} x 150 CT instances into {dir} ...");
            await RunAsync("/usr/bin/python3", [generator, "--out", dir, "--studies", "1", "--series", series.ToString(System.Globalization.CultureInfo.InvariantCulture), "--instances", "150", "--quiet"]);
        }

        return [.. Directory.EnumerateFiles(dir, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(count)];
    }

    public static string? FindShared(string relative)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "shared", relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs a process with stdout discarded; returns its wall time.</summary>
    public static async Task<TimeSpan> RunAsync(string fileName, IEnumerable<string> args, string? stdinText = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdinText is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
        if (stdinText is not null)
        {
            await process.StandardInput.WriteAsync(stdinText);
            process.StandardInput.Close();
        }

        var drainOut = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await drainOut;
        clock.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} exited {process.ExitCode}: {await stderr}");
        }

        return clock.Elapsed;
    }
}
