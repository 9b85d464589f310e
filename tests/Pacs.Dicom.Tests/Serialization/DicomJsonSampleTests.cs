using System.Text.Json;
using Pacs.Dicom.Serialization;

namespace Pacs.Dicom.Tests.Serialization;

/// <summary>Our DICOM JSON of every readable sample against DCMTK's dcm2json, or pydicom where DCMTK is wrong.</summary>
public sealed class DicomJsonSampleTests
{
    private const string SpecificCharacterSet = "00080005";
    private const string PixelData = "7FE00010";

    /// <summary>Files where dcm2json 3.6.7 is no usable reference, and why; pydicom is the reference for them.</summary>
    private static readonly Dictionary<string, string> PydicomInsteadOfDcmtk = new(StringComparer.Ordinal)
    {
        ["pyd_chrH31.dcm"] = "DCMTK's iconv build does not support ISO 2022 IR 87: dcm2json exits with code 80 and writes nothing",
        ["pyd_chrH32.dcm"] = "ISO 2022 IR 87 unsupported by DCMTK's iconv (exit code 80)",
        ["pyd_chrJapMulti.dcm"] = "ISO 2022 IR 87 unsupported by DCMTK's iconv (exit code 80)",
        ["pyd_chrJapMultiExplicitIR6.dcm"] = "ISO 2022 IR 87 unsupported by DCMTK's iconv (exit code 80)",
        ["pyd_chrSQEncoding1.dcm"] = "ISO 2022 IR 87 unsupported by DCMTK's iconv (exit code 80)",
        ["pyd_chrSQEncoding.dcm"] = "dcm2json ignores the Specific Character Set of the sequence item and copies its ISO 2022 bytes unconverted (escape sequences, invalid UTF-8)",
        ["fod_GH1301.dcm"] = "PatientSex (CS) holds non-ASCII GB18030 bytes that dcm2json copies unconverted (invalid UTF-8); pydicom and we decode CS byte-wise",
        ["hdc_dx_image.dcm"] = "Pixel Data has an odd length (35659 bytes); dcm2json pads the value it read to 35660, we and pydicom keep the bytes of the file",
        ["pyd_nested_priv_SQ.dcm"] = "(0001,0002) UN has an odd length (9 bytes); dcm2json pads it to 10, we and pydicom keep the file's 9",
        ["pyd_meta_missing_tsyntax.dcm"] = "(0001,0002) UN has an odd length (9 bytes); dcm2json pads it to 10, we and pydicom keep the file's 9",
    };

    /// <summary>Attributes left out of the comparison in one file, and why (each is checked another way where possible).</summary>
    private static readonly Dictionary<string, (string[] Tags, string Reason)> IgnoredPerFile = new(StringComparer.Ordinal)
    {
        ["fod_GH179A.dcm"] = (["00280120"], "the file gives PixelPaddingValue the invalid VR \"  \"; our reader takes the dictionary VR (SS) where dcm2json writes UN and pydicom misreads the length; the value is checked below"),
        ["pyd_chrJapMulti.dcm"] = (["00191010", "00191013", "00191015", "00191060", "00191062", "00191065", "00191070", "00191082", "00191093"], "private AGFA elements stored as UN: pydicom converts them with its private dictionary, we keep UN as the file says (F.2.7: UN stays InlineBinary)"),
        ["pyd_chrJapMultiExplicitIR6.dcm"] = (["00191010", "00191013", "00191015", "00191060", "00191062", "00191065", "00191070", "00191082", "00191093"], "private AGFA elements stored as UN, as in pyd_chrJapMulti.dcm"),
    };

    public static IEnumerable<object[]> Readable() => SampleFiles.Readable();

    [Fact]
    public void Most_samples_are_readable_and_compared()
    {
        Assert.True(SampleFiles.Readable().Count() >= 80, "the Part 10 reader reads fewer samples than expected");
    }

    [Theory]
    [MemberData(nameof(Readable))]
    public void Json_matches_the_reference(string name)
    {
        var file = SampleFiles.Open(name);
        var ours = JsonDocument.Parse(DicomJson.Serialize(file.Dataset)).RootElement;
        var path = TestData.Sample(name);
        var pydicom = JsonReferences.PydicomJson(path);
        var dcmtk = PydicomInsteadOfDcmtk.ContainsKey(name) ? null : JsonReferences.Dcm2Json(path);
        var differences = new List<string>();
        HashSet<string> ignored = IgnoredPerFile.TryGetValue(name, out var skip) ? [.. skip.Tags] : [];

        if (dcmtk?.Json is { } reference)
        {
            // dcm2json rewrites Specific Character Set to ISO_IR 192; we keep the source's value (F.2.2 note 3),
            // which is checked against pydicom below.
            var comparer = new DicomJsonComparer
            {
                IgnoredTags = [SpecificCharacterSet, .. ignored],
                StrictNumberKinds = true,
                FloatingPointUlpTolerance = 1,
                OursOnlyAllowed = dcmtk.StoppedAtPixelData ? key => string.CompareOrdinal(key, PixelData) >= 0 : null,
            };
            comparer.CompareDataset(ours, reference, string.Empty);
            differences.AddRange(comparer.Differences.Select(d => "dcm2json: " + d));

            var rest = PydicomComparer(ignored);
            foreach (var key in ours.EnumerateObject().Select(p => p.Name)
                .Where(k => dcmtk.StoppedAtPixelData && string.CompareOrdinal(k, PixelData) >= 0))
            {
                // Encapsulated Pixel Data (and whatever follows it) is compared with pydicom, which writes the item stream.
                Assert.True(pydicom.HasValue, $"pydicom cannot read {name}, needed for what dcm2json leaves out");
                if (pydicom.Value.TryGetProperty(key, out var p))
                {
                    rest.CompareAttribute(ours.GetProperty(key), p, key);
                }
                else
                {
                    rest.Differences.Add($"{key}: only in ours");
                }
            }

            // dcm2json rewrites Specific Character Set to ISO_IR 192; we keep the source's terms (F.2.2 note 3), as dcmdump shows them.
            var terms = JsonReferences.DcmdumpSpecificCharacterSet(path);
            var ourTerms = ours.TryGetProperty(SpecificCharacterSet, out var cs) && cs.TryGetProperty("Value", out var csv)
                ? csv.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? string.Empty : v.GetString()!).ToArray()
                : null;
            if (!(terms ?? []).SequenceEqual(ourTerms ?? []))
            {
                differences.Add($"dcmdump: {SpecificCharacterSet}: [{string.Join('\\', ourTerms ?? [])}] vs [{string.Join('\\', terms ?? [])}]");
            }

            differences.AddRange(rest.Differences.Select(d => "pydicom: " + d));
        }
        else if (pydicom is { } reference2)
        {
            // Either listed above, or a file dcm2json rejects outright (MANIFEST.md lists those).
            Assert.True(PydicomInsteadOfDcmtk.ContainsKey(name) || dcmtk?.Json is null);
            var comparer = PydicomComparer(ignored);
            comparer.CompareDataset(ours, reference2, string.Empty);
            differences.AddRange(comparer.Differences.Select(d => "pydicom: " + d));
        }
        else
        {
            Assert.Fail($"neither dcm2json nor pydicom reads {name}, so there is no reference to compare with");
        }

        Assert.True(differences.Count == 0, $"{name}:\n" + string.Join('\n', differences.Take(40)));
        if (name == "fod_GH179A.dcm")
        {
            // dcm2json shows the two bytes 00 00 of the element with the invalid VR: as SS that is the value 0.
            Assert.Equal("{\"vr\":\"SS\",\"Value\":[0]}", ours.GetProperty("00280120").GetRawText());
        }
    }

    // pydicom: group lengths are written (F.2.2 excludes them), empty values among several are "" (F.2.5: null),
    // PN groups are kept as stored, and encapsulated Pixel Data keeps a file's OW.
    private static DicomJsonComparer PydicomComparer(HashSet<string> ignored) => new()
    {
        IgnoredTags = ignored,
        IgnoreReferenceGroupLengths = true,
        NormalizePersonNames = true,
        EmptyStringIsNull = true,
        AcceptEncapsulatedPixelDataAsOW = true,
    };
}
