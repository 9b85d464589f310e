namespace Pacs.Web.Viewer;

/// <summary>Where the front-end build is: <c>app/</c> (study list and phone viewer) and <c>ohif/</c> (OHIF).</summary>
public sealed class ViewerBuild
{
    private ViewerBuild(string? root)
    {
        Root = root;
        AppDirectory = Existing(root, "app");
        OhifDirectory = Existing(root, "ohif");
    }

    /// <summary>The build folder, or null when none was found.</summary>
    public string? Root { get; }

    /// <summary>The study list and phone viewer build, or null when it was not built.</summary>
    public string? AppDirectory { get; }

    /// <summary>The rebased OHIF dist, or null when it was not fetched.</summary>
    public string? OhifDirectory { get; }

    /// <summary>
    /// The configured folder when set (relative to the working directory), otherwise the first <c>web/build</c> above
    /// the server's binary or above the working directory (a source checkout run by scripts/run.sh).
    /// </summary>
    public static ViewerBuild Locate(ViewerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.Directory))
        {
            var configured = Path.GetFullPath(options.Directory);
            return new ViewerBuild(System.IO.Directory.Exists(configured) ? configured : null);
        }

        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "web", "build");
                if (System.IO.Directory.Exists(candidate))
                {
                    return new ViewerBuild(candidate);
                }
            }
        }

        return new ViewerBuild(null);
    }

    private static string? Existing(string? root, string name) =>
        root is not null && File.Exists(Path.Combine(root, name, "index.html")) ? Path.Combine(root, name) : null;
}
