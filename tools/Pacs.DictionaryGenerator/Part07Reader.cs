using System.Globalization;
using System.Xml.Linq;

namespace Pacs.DictionaryGenerator;

/// <summary>Command elements (group 0000) from PS3.7 Tables E.1-1 and E.2-1 (retired), the official DocBook.</summary>
internal static class Part07Reader
{
    private static readonly XNamespace DocBook = "http://docbook.org/ns/docbook";
    private static readonly XNamespace Xml = "http://www.w3.org/XML/1998/namespace";

    public static List<ElementRow> Read(string path)
    {
        var doc = XDocument.Load(path);
        var rows = new List<ElementRow>();
        foreach (var (id, retired) in new[] { ("table_E.1-1", false), ("table_E.2-1", true) })
        {
            var table = doc.Descendants(DocBook + "table").FirstOrDefault(t => (string?)t.Attribute(Xml + "id") == id)
                ?? throw new FormatException($"{id} not found in {path}");
            foreach (var tr in table.Element(DocBook + "tbody")!.Elements(DocBook + "tr"))
            {
                var cells = tr.Elements(DocBook + "td").Select(td => Normalize(td.Value)).ToArray();
                if (cells.Length < 5 || !cells[0].StartsWith('('))
                {
                    continue;
                }

                var parts = cells[0].Trim('(', ')').Split(',');
                var tag = (uint.Parse(parts[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) << 16)
                    | uint.Parse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                rows.Add(new ElementRow(tag, 0xFFFFFFFF, [cells[3]], cells[4], cells[2].Replace("\u200b", string.Empty, StringComparison.Ordinal), cells[1], retired));
            }
        }

        return rows;
    }

    private static string Normalize(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
