using System.Diagnostics;
using System.Globalization;
using Pacs.Dicom;
using Pacs.Dicom.IO;

namespace Pacs.Benchmarks;

/// <summary>
/// Parses the same CT files header-only and fully with Pacs, DCMTK's dcmdump and pydicom's dcmread, single-threaded,
/// files warm in the page cache. The tools run as one process over all files, so their start-up is included once.
/// </summary>
internal static class ParseBenchmark
{
    private const string PydicomScript = """
        import sys, pydicom
        mode = sys.argv[1]
        files = [l.strip() for l in sys.stdin if l.strip()]
        for f in files:
            if mode == "header":
                ds = pydicom.dcmread(f, stop_before_pixels=True)
                ds.SOPInstanceUID
            else:
                ds = pydicom.dcmread(f)
                ds.SOPInstanceUID
                len(ds.PixelData)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var dataDir = BenchData.Option(args, "--data") ?? Path.Combine(Path.GetTempPath(), "pacs-bench", "ct");
        var count = int.Parse(BenchData.Option(args, "--count") ?? "300", CultureInfo.InvariantCulture);
        var repeats = int.Parse(BenchData.Option(args, "--repeats") ?? "3", CultureInfo.InvariantCulture);
        var files = await BenchData.CtFilesAsync(dataDir, count);
        var totalBytes = files.Sum(f => new FileInfo(f).Length);
        foreach (var f in files)
        {
            await File.ReadAllBytesAsync(f); // warm the page cache so every contestant reads from memory
        }

        Console.WriteLine($"# parse benchmark: {files.Length} files, {totalBytes / 1048576.0:F1} MB, {repeats} repeats, best of repeats, single thread");
        Console.WriteLine($"# machine: {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();
        Console.WriteLine("| tool | mode | seconds | files/s | MB/s | vs dcmdump | vs pydicom |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");

        var fileList = string.Join('\n', files);
        foreach (var (mode, headerOnly) in new[] { ("header", true), ("full", false) })
        {
            ParseWithPacs(files[..Math.Min(files.Length, 50)], headerOnly); // JIT warm-up: the tools it is compared with are native or already compiled
            var ours = await BestAsync(repeats, () => Task.FromResult(ParseWithPacs(files, headerOnly)));
            var dcmdumpArgs = headerOnly ? new[] { "-q", "+sb", "7fe0,0010" } : new[] { "-q", "+M" };
            var dcmdump = await BestAsync(repeats, () => BenchData.RunAsync("dcmdump", dcmdumpArgs.Concat(files)));
            var pydicom = await BestAsync(repeats, () => BenchData.RunAsync("/usr/bin/python3", ["-c", PydicomScript, headerOnly ? "header" : "full"], fileList));
            Row("Pacs", mode, ours, files.Length, totalBytes, dcmdump, pydicom);
            Row("dcmdump", mode, dcmdump, files.Length, totalBytes, dcmdump, pydicom);
            Row("pydicom", mode, pydicom, files.Length, totalBytes, dcmdump, pydicom);
        }

        return 0;
    }

    private static TimeSpan ParseWithPacs(string[] files, bool headerOnly)
    {
        var options = new DicomReadOptions { StopBeforePixelData = headerOnly };
        var clock = Stopwatch.StartNew();
        long checksum = 0;
        foreach (var f in files)
        {
            var file = DicomFile.Open(f, options);
            checksum += file.Dataset.GetString(DicomTag.SOPInstanceUID).Length;
            if (!headerOnly && file.Dataset.TryGetElement(DicomTag.PixelData, out var pixels))
            {
                checksum += pixels.Value.Length;
            }
        }

        clock.Stop();
        GC.KeepAlive(checksum);
        return clock.Elapsed;
    }

    private static async Task<TimeSpan> BestAsync(int repeats, Func<Task<TimeSpan>> run)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var t = await run();
            if (t < best)
            {
                best = t;
            }
        }

        return best;
    }

    private static void Row(string tool, string mode, TimeSpan t, int files, long bytes, TimeSpan dcmdump, TimeSpan pydicom)
    {
        var s = t.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {tool} | {mode} | {s:F3} | {files / s:F0} | {bytes / 1048576.0 / s:F0} | {dcmdump.TotalSeconds / s:F2}x | {pydicom.TotalSeconds / s:F2}x |"));
    }
}
