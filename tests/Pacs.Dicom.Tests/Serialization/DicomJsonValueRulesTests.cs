using System.Text.Json;
using Pacs.Dicom.IO;
using Pacs.Dicom.Serialization;

namespace Pacs.Dicom.Tests.Serialization;

/// <summary>Annex F value rules on edge values, checked against dcm2json on a file made with DCMTK's dump2dcm.</summary>
public sealed class DicomJsonValueRulesTests
{
    // IS/DS text in every form DICOM allows, empty values among several, PN groups, SV/UV beyond 2^53, AT, empty
    // and non-empty sequences and items, private elements, UN with text content, OW byte order.
    private const string Dump = """
        (0008,0016) UI =SecondaryCaptureImageStorage
        (0008,0018) UI [1.2.3.4]
        (0008,0090) PN [^^^^]
        (0008,1050) PN [\Smith\]
        (0008,1060) PN [=Yamada]
        (0008,0080) LO [  ]
        (0008,0081) ST [  leading text  ]
        (0008,0100) SH [A\]
        (0008,1030) LO [ x \ y ]
        (0009,0010) LO [ACME]
        (0009,1001) LO [hello\world]
        (0009,1002) UN 41\42\43\44
        (0009,1003) SV -9007199254740993\5\-9007199254740991
        (0009,1004) UV 18446744073709551615\7
        (0010,0010) PN [Doe^John=^=\Smith]
        (0010,1001) PN [ Doe ^ John ]
        (0018,0050) DS [  -0.5 \+1\.5\1.50\1e3\NaN\\00012\1.0E+02]
        (0018,1320) FL 0.1\1e-10
        (0018,6011) SQ (Sequence with explicit length #=2)
          (fffe,e000) na (Item with explicit length #=0)
          (fffe,e00d) na (ItemDelimitationItem for re-encoding)
          (fffe,e000) na (Item with explicit length #=1)
            (0018,6012) US 1
          (fffe,e00d) na (ItemDelimitationItem for re-encoding)
        (fffe,e0dd) na (SequenceDelimitationItem for re-encoding)
        (0008,1140) SQ (Sequence with explicit length #=0)
        (fffe,e0dd) na (SequenceDelimitationItem for re-encoding)
        (0018,9219) SS -1\2
        (0018,9220) FD 1.5\-0\3.1415926535897931
        (0020,0011) IS [1A]
        (0020,0013) IS [+12\ 007 \\-0]
        (0020,0060) CS [L\\R]
        (0020,9165) AT (0010,0010)\(7fe0,0010)
        (0028,0008) IS [99999999999]
        (0028,3006) OW 0102\0304
        """;

    [Fact]
    public void Edge_values_match_dcm2json()
    {
        var path = MakeFile(Dump);
        try
        {
            var ours = JsonDocument.Parse(DicomJson.Serialize(DicomFile.Open(path).Dataset)).RootElement;
            var (code, stdout, stderr) = TestData.Run("dcm2json", "-fc", path);
            Assert.True(code == 0, stderr);
            var comparer = new DicomJsonComparer { StrictNumberKinds = true };
            comparer.CompareDataset(ours, JsonDocument.Parse(stdout).RootElement, string.Empty);
            Assert.True(comparer.Differences.Count == 0, string.Join('\n', comparer.Differences));

            // Beyond the value comparison: the JSON types Annex F asks for.
            Assert.Equal("""["-9007199254740993",5,-9007199254740991]""", ours.GetProperty("00091003").GetProperty("Value").GetRawText());
            Assert.Equal("""["18446744073709551615",7]""", ours.GetProperty("00091004").GetProperty("Value").GetRawText());
            Assert.Equal("""[-0.5,1,0.5,1.50,1e3,"NaN",null,12,1.0E+02]""", ours.GetProperty("00180050").GetProperty("Value").GetRawText());
            Assert.False(ours.GetProperty("00080090").TryGetProperty("Value", out _));
            Assert.False(ours.GetProperty("00081140").TryGetProperty("Value", out _));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_decimal_string_ending_in_a_point_is_written_as_a_valid_json_number()
    {
        // dcm2json 3.6.7 writes "1." unchanged, which is not JSON (RFC 8259 needs a digit after the point).
        var path = MakeFile("(0008,0018) UI [1.2.3]\n(0018,0050) DS [1.\\-2.]");
        try
        {
            var (_, dcmtk, _) = TestData.Run("dcm2json", "-fc", path);
            Assert.Contains("[1.,-2.]", dcmtk, StringComparison.Ordinal);
            var ours = DicomJson.Serialize(DicomFile.Open(path).Dataset);
            Assert.Equal("[1,-2]", JsonDocument.Parse(ours).RootElement.GetProperty("00180050").GetProperty("Value").GetRawText());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Keywords_are_written_only_when_asked_and_ignored_on_read()
    {
        var ds = new DicomDataset();
        ds.Add(DicomTag.PatientID, "ID1");
        var plain = DicomJson.Serialize(ds);
        var withKeywords = DicomJson.Serialize(ds, new DicomJsonOptions { WriteKeywords = true });
        Assert.Equal("""{"00100020":{"vr":"LO","Value":["ID1"]}}""", plain);
        Assert.Equal("""{"00100020":{"keyword":"PatientID","vr":"LO","Value":["ID1"]}}""", withKeywords);
        Assert.Equal(plain, DicomJson.Serialize(DicomJson.Deserialize(withKeywords)));
    }

    [Fact]
    public void Unicode_text_read_from_json_is_stored_as_utf8()
    {
        var ds = DicomJson.Deserialize("""{"00100010":{"vr":"PN","Value":[{"Alphabetic":"Wang^XiaoDong","Ideographic":"王^小东"}]}}""");
        Assert.Equal("ISO_IR 192", ds.GetString(DicomTag.SpecificCharacterSet));
        Assert.Equal("Wang^XiaoDong=王^小东", ds.GetString(DicomTag.PatientName));
        var element = (DicomElement)ds.GetItem(DicomTag.PatientName);
        Assert.Equal("Wang^XiaoDong=王^小东"u8.ToArray(), element.Value.ToArray());
    }

    [Fact]
    public void Arrays_of_datasets_round_trip()
    {
        var a = new DicomDataset();
        a.Add(DicomTag.StudyInstanceUID, "1.2.3");
        var b = new DicomDataset();
        b.Add(DicomTag.StudyInstanceUID, "1.2.4");
        var json = DicomJson.SerializeArray([a, b]);
        Assert.Equal("""[{"0020000D":{"vr":"UI","Value":["1.2.3"]}},{"0020000D":{"vr":"UI","Value":["1.2.4"]}}]""", json);
        var back = DicomJson.DeserializeArray(json);
        Assert.Equal(["1.2.3", "1.2.4"], back.Select(d => d.GetString(DicomTag.StudyInstanceUID)));
    }

    internal static string MakeFile(string dump)
    {
        var dumpPath = Path.GetTempFileName();
        var dcmPath = Path.ChangeExtension(dumpPath, ".dcm");
        File.WriteAllText(dumpPath, string.Join('\n', dump.Split('\n').Select(l => l.Trim())));
        var (code, _, stderr) = TestData.Run("dump2dcm", "-q", dumpPath, dcmPath);
        File.Delete(dumpPath);
        Assert.True(code == 0, $"dump2dcm failed: {stderr}");
        return dcmPath;
    }
}
