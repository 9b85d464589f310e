using System.Globalization;

namespace Pacs.Web.Wado;

/// <summary>The {frames} path segment of PS3.18 10.4.1.1.6: comma-separated 1-based frame numbers.</summary>
public static class FrameList
{
    public const int MaxFrames = 4096;

    public static bool TryParse(string? text, out int[] frames)
    {
        frames = [];
        if (string.IsNullOrEmpty(text) || text.Length > 64 * 1024)
        {
            return false;
        }

        var parts = text.Split(',');
        if (parts.Length > MaxFrames)
        {
            return false;
        }

        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out result[i]) || result[i] < 1)
            {
                return false;
            }
        }

        frames = result;
        return true;
    }
}
