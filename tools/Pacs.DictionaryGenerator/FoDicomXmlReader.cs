using System.Xml.Linq;

namespace Pacs.DictionaryGenerator;

/// <summary>Reads the UID list and element names of the XML dictionary (PS3.6 Table A-1 and names of Tables 6-1…9-1).</summary>
internal static class FoDicomXmlReader
{
    public static List<UidRow> ReadUids(XDocument doc)
    {
        var rows = new List<UidRow>();
        foreach (var e in doc.Descendants("uid"))
        {
            rows.Add(new UidRow(
                (string)e.Attribute("uid")!,
                (string?)e.Attribute("keyword") ?? string.Empty,
                e.Value.Trim(),
                (string?)e.Attribute("type") ?? string.Empty,
                (string?)e.Attribute("retired") == "true"));
        }

        return rows;
    }

    /// <summary>Element names keyed by keyword (names are not in DCMTK's file).</summary>
    public static Dictionary<string, string> ReadNames(XDocument doc)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in doc.Descendants("tag"))
        {
            var keyword = (string?)e.Attribute("keyword");
            if (!string.IsNullOrEmpty(keyword))
            {
                names.TryAdd(keyword, e.Value.Trim());
            }
        }

        return names;
    }
}

internal sealed record UidRow(string Uid, string Keyword, string Name, string Type, bool Retired);
