namespace Pacs.Dicom.Network.Tests.Support;

/// <summary>Finds the shared sample data beside the repository (a sibling `shared/` folder of the clone).</summary>
public static class TestData
{
    private static readonly Lazy<string> Shared = new(FindShared);

    public static string SamplesDirectory => Path.Combine(Shared.Value, "dicom-samples");

    public static string Sample(string fileName) => Path.Combine(SamplesDirectory, fileName);

    /// <summary>Every sample that is a Part 10 file (has the DICM prefix), in a stable order.</summary>
    public static IReadOnlyList<string> Part10Samples() =>
        [.. Directory.EnumerateFiles(SamplesDirectory)
            .Where(IsPart10)
            .OrderBy(f => f, StringComparer.Ordinal)];

    public static string NewTempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "pacs-net-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static bool IsPart10(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[132];
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && "DICM"u8.SequenceEqual(head.AsSpan(128));
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

        throw new DirectoryNotFoundException("No shared/dicom-samples folder above " + AppContext.BaseDirectory);
    }
}
