using System.Text.Json;

namespace Pacs.DictionaryGenerator;

/// <summary>Element names from the attributes JSON, for keywords the XML dictionary lacks.</summary>
internal static class InnoliticsReader
{
    public static Dictionary<string, string> ReadNames(string path)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            var keyword = item.GetProperty("keyword").GetString();
            var name = item.GetProperty("name").GetString();
            if (!string.IsNullOrEmpty(keyword) && !string.IsNullOrEmpty(name))
            {
                names.TryAdd(keyword, name);
            }
        }

        return names;
    }
}
