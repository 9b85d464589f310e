using System.Text.Json;
using Pacs.Dicom.Serialization;

namespace Pacs.Dicom.Tests.Serialization;

/// <summary>BulkDataURI on write (provider, threshold, tag paths) and on read (kept unresolved, or resolved).</summary>
public sealed class DicomJsonBulkDataTests
{
    [Fact]
    public void Large_binary_values_become_uris_with_their_tag_path()
    {
        var dataset = SampleFiles.Open("pyd_CT_small.dcm").Dataset;
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTag.EncapsulatedDocument, DicomVR.OB, new byte[2000]);
        item.AddOrUpdate(DicomTag.IconImageSequence, new DicomDataset(new DicomElement(DicomTag.PixelData, DicomVR.OW, new byte[4])));
        dataset.AddOrUpdate(DicomTag.ReferencedImageSequence, new DicomDataset(), item);
        var seen = new List<string>();
        var options = new DicomJsonOptions
        {
            BulkDataMode = DicomBulkDataMode.BulkDataUri,
            BulkDataThreshold = 1024,
            BulkDataUriProvider = c =>
            {
                seen.Add($"{c.PathText} {DicomVRInfo.ToString(c.VR)} {c.Length}");
                return $"https://pacs.example/bulk/{c.PathText}";
            },
        };

        var json = JsonDocument.Parse(DicomJson.Serialize(dataset, options)).RootElement;

        // 00431029 is a private OB of 2068 bytes (GE) in the sample: eligible like any other.
        Assert.Equal(["00081140[1].00420011 OB 2000", "00431029 OB 2068", "7FE00010 OW 32768"], seen.Order(StringComparer.Ordinal));
        Assert.Equal("https://pacs.example/bulk/7FE00010", json.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString());
        var nested = json.GetProperty("00081140").GetProperty("Value")[1];
        Assert.Equal("https://pacs.example/bulk/00081140[1].00420011", nested.GetProperty("00420011").GetProperty("BulkDataURI").GetString());

        // Below the threshold the value stays inline.
        Assert.Equal("AAAAAA==", nested.GetProperty("00880200").GetProperty("Value")[0].GetProperty("7FE00010").GetProperty("InlineBinary").GetString());
    }

    [Fact]
    public void A_provider_returning_null_keeps_the_value_inline()
    {
        var dataset = SampleFiles.Open("pyd_JPEG2000.dcm").Dataset;
        var contexts = new List<DicomBulkDataContext>();
        var options = new DicomJsonOptions
        {
            BulkDataMode = DicomBulkDataMode.BulkDataUri,
            BulkDataThreshold = 0,
            BulkDataUriProvider = c =>
            {
                contexts.Add(c);
                return null;
            },
        };

        Assert.Equal(DicomJson.Serialize(dataset), DicomJson.Serialize(dataset, options));
        var pixels = Assert.Single(contexts, c => c.Tag == DicomTag.PixelData);
        Assert.IsType<DicomFragmentSequence>(pixels.Item);
    }

    [Fact]
    public void The_uri_mode_needs_a_provider()
    {
        var options = new DicomJsonOptions { BulkDataMode = DicomBulkDataMode.BulkDataUri };
        Assert.Throws<ArgumentException>(() => DicomJson.Serialize(new DicomDataset(), options));
    }

    [Fact]
    public void Unresolved_uris_are_kept_and_written_back()
    {
        const string json = """{"00420011":{"vr":"OB","BulkDataURI":"https://pacs.example/bulk/1"}}""";
        var dataset = DicomJson.Deserialize(json);
        var element = Assert.IsType<DicomElement>(dataset.GetItem(DicomTag.EncapsulatedDocument));
        Assert.True(DicomBulkDataUriSource.TryGetUri(element, out var uri));
        Assert.Equal("https://pacs.example/bulk/1", uri);
        Assert.Equal(json, DicomJson.Serialize(dataset));
    }

    [Fact]
    public void A_resolver_supplies_the_values()
    {
        var pdf = "%PDF-1.4 test"u8.ToArray();
        var requests = new List<DicomBulkDataUriContext>();
        var options = new DicomJsonReaderOptions
        {
            BulkDataUriResolver = c =>
            {
                requests.Add(c);
                return pdf;
            },
        };

        var dataset = DicomJsonReader.Read(
            """{"0040A730":{"vr":"SQ","Value":[{"00420011":{"vr":"OB","BulkDataURI":"part2"}}]}}""", options);

        var request = Assert.Single(requests);
        Assert.Equal("part2", request.Uri);
        Assert.Equal("0040A730[0].00420011", string.Join('.', request.Path));
        var item = dataset.GetSequence(DicomTag.ContentSequence)[0];
        Assert.Equal(pdf, ((DicomElement)item.GetItem(DicomTag.EncapsulatedDocument)).Value.ToArray());
    }

    [Fact]
    public void Inline_encapsulated_pixel_data_is_read_back_as_fragments()
    {
        var original = (DicomFragmentSequence)SampleFiles.Open("pyd_examples_ybr_color.dcm").Dataset.GetItem(DicomTag.PixelData);
        var back = DicomJson.Deserialize(DicomJson.Serialize(SampleFiles.Open("pyd_examples_ybr_color.dcm").Dataset));
        var fragments = Assert.IsType<DicomFragmentSequence>(back.GetItem(DicomTag.PixelData));
        Assert.Equal(original.Fragments.Count, fragments.Fragments.Count);
        Assert.Equal(original.BasicOffsetTable, fragments.BasicOffsetTable);
        Assert.Equal(original.GetFrame(7, 30), fragments.GetFrame(7, 30));
    }
}
