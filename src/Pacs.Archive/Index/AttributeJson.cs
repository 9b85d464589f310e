using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pacs.Archive.Index;

/// <summary>The attribute document the commit function reads: column name → normalised value.</summary>
internal static class AttributeJson
{
    public static string Write(IndexAttributes attributes)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(IndexColumns.SopClassUid, attributes.SopClassUid);
            foreach (var (name, value) in attributes.Columns)
            {
                switch (value)
                {
                    case null:
                        break;
                    case string s:
                        writer.WriteString(name, s);
                        break;
                    case DateOnly d:
                        writer.WriteString(name, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                        break;
                    case TimeOnly t:
                        writer.WriteString(name, t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
                        break;
                    case int i:
                        writer.WriteNumber(name, i);
                        break;
                    case double f when double.IsFinite(f):
                        writer.WriteNumber(name, f);
                        break;
                    case IEnumerable<string> list:
                        writer.WriteStartArray(name);
                        foreach (var item in list)
                        {
                            writer.WriteStringValue(item);
                        }

                        writer.WriteEndArray();
                        break;
                    case double:
                        break;
                    default:
                        throw new ArgumentException($"Unsupported value type {value.GetType().Name} for column {name}.", nameof(attributes));
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
