using System.Text.Json;

namespace Pacs.Web.Tests;

/// <summary>Reads values out of DICOM JSON (PS3.18 F.2) objects.</summary>
public static class DicomJsonValues
{
    /// <summary>The first value of an attribute as text (a person name's Alphabetic group), or null when absent or empty.</summary>
    public static string? First(JsonElement dataset, string tag)
    {
        if (!dataset.TryGetProperty(tag, out var attribute) || !attribute.TryGetProperty("Value", out var values) || values.GetArrayLength() == 0)
        {
            return null;
        }

        var value = values[0];
        return value.ValueKind switch
        {
            JsonValueKind.Object => value.TryGetProperty("Alphabetic", out var alphabetic) ? alphabetic.GetString() : null,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => null,
            _ => value.GetString(),
        };
    }

    /// <summary>Every value of an attribute as text.</summary>
    public static List<string> All(JsonElement dataset, string tag) =>
        dataset.TryGetProperty(tag, out var attribute) && attribute.TryGetProperty("Value", out var values)
            ? [.. values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())]
            : [];

    /// <summary>
    /// Two DICOM JSON values are equal: same members and VRs, numbers equal as doubles (writers differ in digits), strings
    /// and BulkDataURIs equal. Differences are added to <paramref name="failures"/>.
    /// </summary>
    public static void Compare(JsonElement expected, JsonElement actual, string path, List<string> failures)
    {
        if (expected.ValueKind != actual.ValueKind && !(expected.ValueKind is JsonValueKind.Number && actual.ValueKind is JsonValueKind.Number))
        {
            failures.Add($"{path}: {expected.ValueKind} vs {actual.ValueKind}");
            return;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var a = expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                var b = actual.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                if (!a.SequenceEqual(b))
                {
                    failures.Add($"{path}: members {string.Join(',', a.Except(b))} missing, {string.Join(',', b.Except(a))} extra");
                }

                foreach (var name in a.Intersect(b))
                {
                    Compare(expected.GetProperty(name), actual.GetProperty(name), $"{path}/{name}", failures);
                }

                break;
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                {
                    failures.Add($"{path}: {expected.GetArrayLength()} vs {actual.GetArrayLength()} values");
                    return;
                }

                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    Compare(expected[i], actual[i], $"{path}[{i}]", failures);
                }

                break;
            case JsonValueKind.Number:
                if (expected.GetDouble() != actual.GetDouble())
                {
                    failures.Add($"{path}: {expected.GetRawText()} vs {actual.GetRawText()}");
                }

                break;
            default:
                if (expected.GetRawText() != actual.GetRawText() && expected.ToString() != actual.ToString())
                {
                    failures.Add($"{path}: {expected.GetRawText()} vs {actual.GetRawText()}");
                }

                break;
        }
    }
}
