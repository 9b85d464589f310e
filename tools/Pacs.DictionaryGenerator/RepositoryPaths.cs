namespace Pacs.DictionaryGenerator;

internal static class RepositoryPaths
{
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pacs.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>The shared folder sits beside the repository (…/main and …/shared).</summary>
    public static string? FindSharedStandard(string repoRoot)
    {
        for (var dir = new DirectoryInfo(repoRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "dicom-standard");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static string? OptionValue(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
