using System.Globalization;

namespace Pacs.DictionaryGenerator;

/// <summary>Reads DCMTK's dicom.dic: "(gggg,eeee)\tVR\tKeyword\tVM\tVersion" with range forms for repeating groups.</summary>
internal static class DcmtkDictionaryReader
{
    // DCMTK pseudo-VRs to the VRs of the standard, in the order preferred when nothing else decides.
    private static readonly Dictionary<string, string[]> PseudoVRs = new(StringComparer.Ordinal)
    {
        ["ox"] = ["OB", "OW"],
        ["px"] = ["OW", "OB"],
        ["xs"] = ["US", "SS"],
        // PS3.6 says "US or OW" for LUT Data; DCMTK's "lt" also admits SS, which the standard does not.
        ["lt"] = ["US", "OW"],
        ["up"] = ["UL"],
        ["na"] = ["NONE"],
    };

    public static List<ElementRow> Read(string path)
    {
        var rows = new List<ElementRow>();
        foreach (var raw in File.ReadLines(path))
        {
            if (raw.Length == 0 || raw[0] == '#')
            {
                continue;
            }

            var f = raw.Split('\t');
            if (f.Length != 5)
            {
                throw new FormatException($"Unexpected line in {path}: {raw}");
            }

            var version = f[4];
            // Group-length and private-creator rules for whole ranges of groups are applied in code, not as entries.
            if (version is "PRIVATE" or "ILLEGAL" or "GENERIC")
            {
                continue;
            }

            var (tag, mask) = ParseTag(f[0]);
            var keyword = f[2];
            var retired = version.EndsWith("/retired", StringComparison.Ordinal) || keyword.StartsWith("RETIRED_", StringComparison.Ordinal);
            if (keyword.StartsWith("RETIRED_", StringComparison.Ordinal))
            {
                keyword = keyword["RETIRED_".Length..];
            }

            var vrs = PseudoVRs.TryGetValue(f[1], out var mapped) ? mapped : [f[1]];
            rows.Add(new ElementRow(tag, mask, vrs, f[3], keyword, string.Empty, retired));
        }

        return rows;
    }

    private static (uint Tag, uint Mask) ParseTag(string text)
    {
        var inner = text.Trim('(', ')').Split(',');
        var (group, groupMask) = ParseRange(inner[0]);
        var (element, elementMask) = ParseRange(inner[1]);
        return (((uint)group << 16) | element, ((uint)groupMask << 16) | elementMask);
    }

    /// <summary>"6000-60FF" varies the bits that differ, except bit 0 (even only) unless written "-u-" (all) or "-o-" (odd).</summary>
    private static (ushort Value, ushort Mask) ParseRange(string text)
    {
        var parts = text.Split('-');
        if (parts.Length == 1)
        {
            return (Hex(parts[0]), 0xFFFF);
        }

        var low = Hex(parts[0]);
        var high = Hex(parts[^1]);
        var kind = parts.Length == 3 ? parts[1] : "e";
        var varying = (ushort)(low ^ high);
        for (var shift = 1; shift < 16; shift <<= 1)
        {
            varying |= (ushort)(varying >> shift);
        }

        if (kind != "u")
        {
            varying &= 0xFFFE;
        }

        return ((ushort)(low & ~varying), (ushort)~varying);
    }

    private static ushort Hex(string s) => ushort.Parse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
