using System.Text.RegularExpressions;

namespace Pacs.Web.Viewer;

/// <summary>
/// Cache-Control for the front-end files. A file whose name carries its content hash never changes, so browsers keep
/// it for a year without asking; every other file (index.html, un-hashed CSS, icons) is revalidated with its ETag on
/// each use, so a new build is picked up on the next load.
/// </summary>
public static partial class ViewerCachePolicy
{
    public const string Immutable = "public, max-age=31536000, immutable";
    public const string Revalidate = "no-cache";
    public const string NoStore = "no-store";

    /// <summary>The Cache-Control of a file of the app build (Vite) or of OHIF (rspack), by its path under the build.</summary>
    public static string For(string relativePath, bool ohif)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var path = relativePath.Replace('\\', '/').TrimStart('/');
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (name.Equals("index.html", StringComparison.OrdinalIgnoreCase))
        {
            return Revalidate;
        }

        // rspack names chunks, workers, WASM and fonts "<id>.bundle.<16 hex>.js" or "<16 hex>.wasm"; Vite puts every
        // emitted file under assets/ as "<name>-<8 chars>.<ext>". OHIF's own assets/ folder holds un-hashed icons.
        var hashed = ohif ? RspackHashed().IsMatch(name) : path.StartsWith("assets/", StringComparison.Ordinal) && ViteHashed().IsMatch(name);
        return hashed ? Immutable : Revalidate;
    }

    [GeneratedRegex(@"(^|\.)[0-9a-f]{16}\.[a-z0-9]+$")]
    private static partial Regex RspackHashed();

    [GeneratedRegex(@"-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$")]
    private static partial Regex ViteHashed();
}
