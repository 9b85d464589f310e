using System.Globalization;
using System.Text.Json;

namespace Pacs.Dicom.Tests.Serialization;

/// <summary>
/// Compares two DICOM JSON datasets value by value: strings exactly, numbers numerically (FL at single precision),
/// person names by component group, sequences recursively, InlineBinary by decoded content.
/// </summary>
internal sealed class DicomJsonComparer
{
    public List<string> Differences { get; } = [];

    /// <summary>Attribute keys (8 hex digits) not compared anywhere, each with the reason kept by the caller.</summary>
    public HashSet<string> IgnoredTags { get; init; } = [];

    /// <summary>pydicom writes group lengths although F.2.2 excludes them; skip them on the reference side.</summary>
    public bool IgnoreReferenceGroupLengths { get; init; }

    /// <summary>
    /// pydicom writes PN groups as stored ("^^^^", "Doe^John^^^"); DCMTK and we drop empty trailing components and
    /// separator-only names. Applied to both sides when set.
    /// </summary>
    public bool NormalizePersonNames { get; init; }

    /// <summary>A JSON number on one side and a string on the other is a difference (else compared numerically).</summary>
    public bool StrictNumberKinds { get; init; }

    /// <summary>pydicom writes an empty value among several as "" where F.2.5 has null; read "" in the reference as null.</summary>
    public bool EmptyStringIsNull { get; init; }

    /// <summary>
    /// Some files declare encapsulated Pixel Data as OW; PS3.5 A.4 requires OB and DCMTK and our reader report OB,
    /// while pydicom repeats the file's OW. With this set, that one VR difference is accepted (the content is still compared).
    /// </summary>
    public bool AcceptEncapsulatedPixelDataAsOW { get; init; }

    /// <summary>
    /// dcm2json prints some FD values one unit in the last place off the double stored (0.026228787661969974 for the
    /// double Python and .NET print as 0.02622878766196998); with 1 here such a difference is accepted for FD.
    /// </summary>
    public int FloatingPointUlpTolerance { get; init; }

    /// <summary>Only attributes present in the reference are compared (for DCMTK's output cut short at Pixel Data).</summary>
    public Func<string, bool>? OursOnlyAllowed { get; init; }

    public void CompareDataset(JsonElement ours, JsonElement reference, string path)
    {
        var ourKeys = ours.EnumerateObject().Select(p => p.Name).Where(k => !IgnoredTags.Contains(k)).ToList();
        var refKeys = reference.EnumerateObject().Select(p => p.Name)
            .Where(k => !IgnoredTags.Contains(k) && !(IgnoreReferenceGroupLengths && k.EndsWith("0000", StringComparison.Ordinal))).ToList();

        var sorted = ourKeys.Order(StringComparer.Ordinal).ToList();
        if (!sorted.SequenceEqual(ourKeys))
        {
            Differences.Add($"{path}: our attributes are not in ascending order");
        }

        foreach (var key in ourKeys.Except(refKeys))
        {
            if (OursOnlyAllowed?.Invoke(key) != true)
            {
                Differences.Add($"{path}{key}: only in ours");
            }
        }

        foreach (var key in refKeys.Except(ourKeys))
        {
            Differences.Add($"{path}{key}: only in the reference");
        }

        foreach (var key in refKeys.Intersect(ourKeys))
        {
            CompareAttribute(ours.GetProperty(key), reference.GetProperty(key), path + key);
        }
    }

    public void CompareAttribute(JsonElement ours, JsonElement reference, string path)
    {
        var vr = ours.GetProperty("vr").GetString();
        var refVr = reference.GetProperty("vr").GetString();
        if (vr != refVr && !(AcceptEncapsulatedPixelDataAsOW && path.EndsWith("7FE00010", StringComparison.Ordinal) && vr == "OB" && refVr == "OW"))
        {
            Differences.Add($"{path}: vr {vr} vs {refVr}");
            return;
        }

        var ourInline = ours.TryGetProperty("InlineBinary", out var oi) ? oi.GetBytesFromBase64() : null;
        var refInline = reference.TryGetProperty("InlineBinary", out var ri) ? ri.GetBytesFromBase64() : null;
        if (ourInline is not null || refInline is not null)
        {
            if (ourInline is null || refInline is null || !ourInline.AsSpan().SequenceEqual(refInline))
            {
                Differences.Add($"{path}: InlineBinary differs ({ourInline?.Length.ToString(CultureInfo.InvariantCulture) ?? "absent"} vs {refInline?.Length.ToString(CultureInfo.InvariantCulture) ?? "absent"} bytes)");
            }

            return;
        }

        var ourValues = ours.TryGetProperty("Value", out var ov) ? ov.EnumerateArray().ToList() : [];
        var refValues = reference.TryGetProperty("Value", out var rv) ? rv.EnumerateArray().ToList() : [];
        if (NormalizePersonNames && vr == "PN" && refValues.Count > 0 && refValues.All(v => v.ValueKind == JsonValueKind.Null || IsEmptyName(v)))
        {
            refValues = [];
        }

        if (ourValues.Count != refValues.Count)
        {
            Differences.Add($"{path}: {ourValues.Count} values vs {refValues.Count}");
            return;
        }

        for (var i = 0; i < ourValues.Count; i++)
        {
            CompareValue(vr!, ourValues[i], refValues[i], $"{path}[{i}]");
        }
    }

    private void CompareValue(string vr, JsonElement ours, JsonElement reference, string path)
    {
        if (vr == "SQ")
        {
            CompareDataset(ours, reference, path + ".");
            return;
        }

        if (vr == "PN")
        {
            ComparePersonName(ours, reference, path);
            return;
        }

        if (EmptyStringIsNull && reference.ValueKind == JsonValueKind.String && reference.GetString()!.Length == 0)
        {
            reference = default;
        }

        if (ours.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined || reference.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            if (ours.ValueKind != reference.ValueKind && !(ours.ValueKind == JsonValueKind.Null && reference.ValueKind == JsonValueKind.Undefined))
            {
                Differences.Add($"{path}: {Raw(ours)} vs {Raw(reference)}");
            }

            return;
        }

        if (ours.ValueKind == JsonValueKind.Number || reference.ValueKind == JsonValueKind.Number)
        {
            if (StrictNumberKinds && ours.ValueKind != reference.ValueKind)
            {
                Differences.Add($"{path}: {ours.GetRawText()} vs {reference.GetRawText()} (number vs string)");
                return;
            }

            if (!NumbersEqual(vr, Text(ours), Text(reference), FloatingPointUlpTolerance))
            {
                Differences.Add($"{path}: {ours.GetRawText()} vs {reference.GetRawText()}");
            }

            return;
        }

        if (ours.GetString() != reference.GetString())
        {
            Differences.Add($"{path}: \"{ours.GetString()}\" vs \"{reference.GetString()}\"");
        }
    }

    private void ComparePersonName(JsonElement ours, JsonElement reference, string path)
    {
        if (NormalizePersonNames && reference.ValueKind == JsonValueKind.Object && IsEmptyName(reference))
        {
            reference = default;
        }

        var ourNull = ours.ValueKind != JsonValueKind.Object;
        var refNull = reference.ValueKind != JsonValueKind.Object;
        if (ourNull || refNull)
        {
            if (ourNull != refNull)
            {
                Differences.Add($"{path}: person name {(ourNull ? "null" : ours.GetRawText())} vs {(refNull ? "null" : reference.GetRawText())}");
            }

            return;
        }

        foreach (var group in new[] { "Alphabetic", "Ideographic", "Phonetic" })
        {
            var a = ours.TryGetProperty(group, out var x) ? x.GetString() ?? string.Empty : string.Empty;
            var b = reference.TryGetProperty(group, out var y) ? y.GetString() ?? string.Empty : string.Empty;
            if (NormalizePersonNames)
            {
                a = NormalizeGroup(a);
                b = NormalizeGroup(b);
            }

            if (a != b)
            {
                Differences.Add($"{path}.{group}: \"{a}\" vs \"{b}\"");
            }
        }
    }

    private static bool IsEmptyName(JsonElement name) =>
        name.EnumerateObject().All(p => NormalizeGroup(p.Value.GetString() ?? string.Empty).Length == 0);

    // Components trimmed of spaces, trailing empty components dropped (PS3.5 6.2.1: they are not significant).
    private static string NormalizeGroup(string group) =>
        string.Join('^', group.Split('^').Select(c => c.Trim(' '))).TrimEnd('^');

    private static string Raw(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? "null" : value.GetRawText();

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static bool NumbersEqual(string vr, string a, string b, int ulps)
    {
        if (vr == "FL")
        {
            return float.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var fa) &&
                float.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var fb) && fa.Equals(fb);
        }

        if (vr == "FD")
        {
            return double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var xa) &&
                double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var xb) &&
                (xa.Equals(xb) || (Math.Sign(xa) == Math.Sign(xb) && Math.Abs(BitConverter.DoubleToInt64Bits(xa) - BitConverter.DoubleToInt64Bits(xb)) <= ulps));
        }

        if (decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var da) &&
            decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var db))
        {
            return da == db;
        }

        return double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var ya) &&
            double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var yb) && ya.Equals(yb);
    }
}
