using System.Globalization;
using System.Text.Json;
using Pacs.Dicom.Serialization;

namespace Pacs.Dicom.Tests.Serialization;

/// <summary>Dataset → JSON → dataset → JSON for every readable sample: the JSON is stable and the values survive.</summary>
public sealed class DicomJsonRoundTripTests
{
    public static IEnumerable<object[]> Readable() => SampleFiles.Readable();

    [Theory]
    [MemberData(nameof(Readable))]
    public void Json_read_back_writes_the_same_json(string name)
    {
        var original = SampleFiles.Open(name).Dataset;
        var first = DicomJson.Serialize(original);
        var readBack = DicomJson.Deserialize(first);
        var second = DicomJson.Serialize(readBack);

        // Text read from JSON is stored as UTF-8, so Specific Character Set becomes ISO_IR 192; all else is identical.
        var comparer = new DicomJsonComparer { IgnoredTags = ["00080005"], StrictNumberKinds = true };
        comparer.CompareDataset(JsonDocument.Parse(second).RootElement, JsonDocument.Parse(first).RootElement, string.Empty);
        Assert.True(comparer.Differences.Count == 0, $"{name}:\n" + string.Join('\n', comparer.Differences.Take(40)));
        if (original.Contains(DicomTag.SpecificCharacterSet))
        {
            Assert.Equal("ISO_IR 192", readBack.GetString(DicomTag.SpecificCharacterSet));
        }

        // From the second generation on, the JSON is a fixed point, byte for byte.
        Assert.Equal(second, DicomJson.Serialize(DicomJson.Deserialize(second)));
    }

    [Theory]
    [MemberData(nameof(Readable))]
    public void Json_read_back_gives_equal_values(string name)
    {
        var original = SampleFiles.Open(name).Dataset;
        var readBack = DicomJson.Deserialize(DicomJson.Serialize(original));
        var differences = new List<string>();
        CompareDatasets(original, readBack, string.Empty, differences);
        Assert.True(differences.Count == 0, $"{name}:\n" + string.Join('\n', differences.Take(40)));
    }

    private static void CompareDatasets(DicomDataset expected, DicomDataset actual, string path, List<string> differences)
    {
        foreach (var item in expected)
        {
            var where = path + item.Tag.ToHex();
            if (item.Tag.IsGroupLength)
            {
                if (actual.Contains(item.Tag))
                {
                    differences.Add($"{where}: group length read back");
                }

                continue;
            }

            if (!actual.TryGetItem(item.Tag, out var other))
            {
                differences.Add($"{where}: missing");
                continue;
            }

            var expectedVR = item.VR == DicomVR.None ? DicomVR.UN : item.VR;
            if (other.VR != expectedVR)
            {
                differences.Add($"{where}: VR {other.VR} vs {item.VR}");
                continue;
            }

            switch (item)
            {
                case DicomSequence sq:
                    var sq2 = (DicomSequence)other;
                    if (sq.Count != sq2.Count)
                    {
                        differences.Add($"{where}: {sq2.Count} items vs {sq.Count}");
                        break;
                    }

                    for (var i = 0; i < sq.Count; i++)
                    {
                        CompareDatasets(sq[i], sq2[i], $"{where}[{i}].", differences);
                    }

                    break;
                case DicomFragmentSequence fragments:
                    if (other is not DicomFragmentSequence f2 ||
                        !fragments.BasicOffsetTableBytes.Span.SequenceEqual(f2.BasicOffsetTableBytes.Span) ||
                        fragments.Fragments.Count != f2.Fragments.Count ||
                        fragments.Fragments.Zip(f2.Fragments).Any(p => !p.First.Data.Span.SequenceEqual(p.Second.Data.Span)))
                    {
                        differences.Add($"{where}: encapsulated pixel data differs");
                    }

                    break;
                case DicomElement e:
                    CompareElement(expected, e, actual, (DicomElement)other, where, differences);
                    break;
            }
        }

        foreach (var item in actual)
        {
            if (!expected.Contains(item.Tag) && item.Tag != DicomTag.SpecificCharacterSet)
            {
                differences.Add($"{path}{item.Tag.ToHex()}: only after the round trip");
            }
        }
    }

    private static void CompareElement(DicomDataset ds, DicomElement e, DicomDataset ds2, DicomElement e2, string where, List<string> differences)
    {
        var info = DicomVRInfo.Get(e.VR);
        if (!info.IsString || e.VR == DicomVR.None)
        {
            // Binary values come back byte for byte.
            var a = e.Value.Span;
            var b = e2.Value.Span;
            if (!a.SequenceEqual(b))
            {
                differences.Add($"{where}: {b.Length} bytes vs {a.Length}, or different content");
            }

            return;
        }

        if (e.Tag == DicomTag.SpecificCharacterSet)
        {
            return;
        }

        var before = ds.GetStrings(e.Tag).Select(v => Normalize(e.VR, v)).ToArray();
        var after = ds2.GetStrings(e.Tag).Select(v => Normalize(e.VR, v)).ToArray();
        if (before.All(v => v.Length == 0))
        {
            before = [];
        }

        if (after.All(v => v.Length == 0))
        {
            after = [];
        }

        if (!before.SequenceEqual(after))
        {
            differences.Add($"{where}: [{string.Join('\\', after)}] vs [{string.Join('\\', before)}]");
        }
    }

    // What JSON keeps of a value: PN without non-significant spaces and trailing empty components, IS/DS as numbers.
    private static string Normalize(DicomVR vr, string value)
    {
        if (vr == DicomVR.PN)
        {
            return string.Join('=', value.Split('=').Select(g => string.Join('^', g.Split('^').Select(c => c.Trim(' '))).TrimEnd('^'))).TrimEnd('=');
        }

        if (vr is DicomVR.IS or DicomVR.DS && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d.ToString(CultureInfo.InvariantCulture);
        }

        return value;
    }
}
