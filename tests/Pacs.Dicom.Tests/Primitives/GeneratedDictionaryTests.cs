using System.Text.Json;
using Pacs.DictionaryGenerator;

namespace Pacs.Dicom.Tests.Primitives;

public class GeneratedDictionaryTests
{
    [Fact]
    public void Committed_generated_files_equal_what_the_generator_writes_now()
    {
        var root = RepositoryRoot();
        var generatedDir = Path.Combine(root, "src", "Pacs.Dicom", "Dictionary", "Generated");
        var files = GeneratedFiles.Build(
            Path.Combine(TestData.SharedDirectory, "dicom-standard"),
            Path.Combine(root, "tools", "Pacs.DictionaryGenerator", "overlay", "transfer-syntaxes.tsv"));

        Assert.Equal(4, files.Count);
        foreach (var (name, content) in files)
        {
            var committed = File.ReadAllText(Path.Combine(generatedDir, name));
            Assert.True(committed == content, $"{name} is stale: run `dotnet run --project tools/Pacs.DictionaryGenerator`.");
        }
    }

    // Keywords the standard changed between the 2024b edition of the JSON and the 2026b DCMTK dictionary we generate from.
    private static readonly Dictionary<string, string> RenamedSince2024b = new(StringComparer.Ordinal)
    {
        ["SummarizedFilterLookupTable"] = "SummarizedFilterLookupTableSequence",
        ["AnalogFilterType"] = "AnalogFilterTypeCodeSequence",
    };

    /// <summary>An independent source (parsed from the standard's HTML edition) agrees on every current element.</summary>
    [Fact]
    public void Every_current_element_of_the_attributes_json_has_the_same_keyword_and_VR()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestData.SharedDirectory, "dicom-standard", "innolitics-attributes.json")));
        var checkedCount = 0;
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            var id = item.GetProperty("id").GetString()!;
            var keyword = item.GetProperty("keyword").GetString();
            var vr = item.GetProperty("valueRepresentation").GetString()!;
            if (id.Contains('x', StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(keyword) || item.GetProperty("retired").GetString() == "Y")
            {
                continue;
            }

            var tag = DicomTag.FromValue(Convert.ToUInt32(id, 16));
            var entry = DicomDictionary.Lookup(tag);
            Assert.NotNull(entry);
            Assert.Equal(RenamedSince2024b.GetValueOrDefault(keyword, keyword), entry.Keyword);
            var expected = vr.Split(" or ", StringSplitOptions.TrimEntries).Where(v => v.Length == 2).Select(DicomVRInfo.Parse).ToHashSet();
            if (expected.Count > 0)
            {
                Assert.True(expected.SetEquals(entry.ValueRepresentations), $"{tag} {keyword}: expected {vr}, got {string.Join('/', entry.ValueRepresentations)}");
            }

            checkedCount++;
        }

        Assert.True(checkedCount > 4000, $"only {checkedCount} elements compared");
    }

    [Theory]
    [InlineData(0x0010, 0x0010, "PatientName", DicomVR.PN, false)]
    [InlineData(0x0020, 0x000D, "StudyInstanceUID", DicomVR.UI, false)]
    [InlineData(0x7FE0, 0x0010, "PixelData", DicomVR.OW, false)]
    [InlineData(0x0000, 0x0100, "CommandField", DicomVR.US, false)]
    [InlineData(0x0000, 0x1030, "MoveOriginatorApplicationEntityTitle", DicomVR.AE, false)]
    [InlineData(0x0000, 0x1000, "AffectedSOPInstanceUID", DicomVR.UI, false)]
    [InlineData(0x0002, 0x0010, "TransferSyntaxUID", DicomVR.UI, false)]
    [InlineData(0x6002, 0x3000, "OverlayData", DicomVR.OB, false)]
    [InlineData(0x60FE, 0x0010, "OverlayRows", DicomVR.US, false)]
    [InlineData(0x5010, 0x0005, "CurveDimensions", DicomVR.US, true)]
    [InlineData(0x0020, 0x3104, "SourceImageIDs", DicomVR.CS, true)]
    [InlineData(0x0008, 0x0001, "LengthToEnd", DicomVR.UL, true)]
    [InlineData(0x0028, 0x1201, "RedPaletteColorLookupTableData", DicomVR.OW, false)]
    public void Lookup_finds_single_repeating_retired_and_command_elements(ushort group, ushort element, string keyword, DicomVR vr, bool retired)
    {
        var entry = DicomDictionary.Lookup(new DicomTag(group, element));
        Assert.NotNull(entry);
        Assert.Equal(keyword, entry.Keyword);
        Assert.Equal(vr, entry.DefaultVR);
        Assert.Equal(retired, entry.IsRetired);
        Assert.Same(DicomDictionary.LookupKeyword(keyword), entry);
    }

    [Fact]
    public void Repeating_group_ranges_match_even_groups_only()
    {
        Assert.Equal("OverlayData", DicomDictionary.Lookup(new DicomTag(0x601E, 0x3000))?.Keyword);
        Assert.Null(DicomDictionary.Lookup(new DicomTag(0x6100, 0x3000)));
        Assert.Equal(DicomVR.UN, DicomDictionary.DefaultVR(new DicomTag(0x6001, 0x3000)));
    }

    [Fact]
    public void Group_lengths_private_creators_and_multi_VR_entries()
    {
        Assert.Equal(DicomVR.UL, DicomDictionary.DefaultVR(new DicomTag(0x0009, 0x0000)));
        Assert.Equal(DicomVR.UL, DicomDictionary.DefaultVR(new DicomTag(0x0028, 0x0000)));
        Assert.Equal(DicomVR.LO, DicomDictionary.DefaultVR(new DicomTag(0x0029, 0x0010)));
        Assert.Equal(DicomVR.LO, DicomDictionary.DefaultVR(new DicomTag(0x7FE1, 0x00FF)));
        Assert.Null(DicomDictionary.Lookup(new DicomTag(0x0029, 0x1010)));
        Assert.Equal([DicomVR.US, DicomVR.SS], DicomDictionary.Lookup(DicomTag.SmallestImagePixelValue)!.ValueRepresentations);
        Assert.Equal([DicomVR.US, DicomVR.OW], DicomDictionary.Lookup(DicomTag.LUTData)!.ValueRepresentations);
        Assert.Equal(DicomVR.None, DicomDictionary.DefaultVR(DicomTag.Item));
    }

    [Fact]
    public void Transfer_syntaxes_carry_their_encoding_and_the_2025_additions_exist()
    {
        Assert.False(DicomTransferSyntax.ImplicitVRLittleEndian.IsExplicitVR);
        Assert.True(DicomTransferSyntax.ExplicitVRBigEndian.IsBigEndian);
        Assert.True(DicomTransferSyntax.DeflatedExplicitVRLittleEndian.IsDeflated);
        Assert.True(DicomTransferSyntax.JPEG2000.IsEncapsulated && DicomTransferSyntax.JPEG2000.IsLossy);
        Assert.False(DicomTransferSyntax.JPEGLosslessSV1.IsLossy);
        Assert.Equal("1.2.840.10008.1.2.8.1", DicomTransferSyntax.DeflatedImageFrameCompression.UidValue);
        Assert.True(DicomTransferSyntax.DeflatedImageFrameCompression.IsEncapsulated);
        Assert.Equal("1.2.840.10008.1.2.4.110", DicomTransferSyntax.JPEGXLLossless.UidValue);
        Assert.Equal("1.2.840.10008.1.2.4.112", DicomTransferSyntax.JPEGXL.UidValue);
        Assert.Same(DicomTransferSyntax.HTJ2KLossless, DicomTransferSyntax.Lookup("1.2.840.10008.1.2.4.201"));
        Assert.Same(DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.Lookup("1.2.840.10008.1.2.1\0"));
        // 59 of the 2024c list plus deflated image frame and the three JPEG XL syntaxes.
        Assert.Equal(63, DicomTransferSyntax.All.Count);

        var unknown = DicomTransferSyntax.Parse("1.2.3.4.5");
        Assert.False(unknown.IsKnown);
        Assert.True(unknown.IsExplicitVR && !unknown.IsBigEndian);
    }

    [Fact]
    public void Uids_of_the_standard_are_found_by_value_and_keyword()
    {
        Assert.Equal(DicomUidType.SOPClass, DicomUid.CTImageStorage.Type);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", DicomUid.CTImageStorage.Value);
        Assert.Same(DicomUid.Verification, DicomUid.Lookup("1.2.840.10008.1.1"));
        Assert.Equal(DicomUidType.ContextGroupName, DicomUid.Lookup("1.2.840.10008.6.1.2")?.Type);
        Assert.True(DicomUid.All.Count > 1800);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pacs.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Pacs.sln not found above the test assembly.");
    }
}
