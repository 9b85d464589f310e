using System.Security.Cryptography;
using Pacs.Dicom.IO;

namespace Pacs.Dicom.Tests.IO;

public class StreamingReadTests
{
    [Fact]
    public async Task Header_only_parse_stops_before_pixel_data()
    {
        var file = await DicomFile.OpenAsync(TestData.Sample("pyd_CT_small.dcm"), new DicomReadOptions { StopBeforePixelData = true });
        Assert.False(file.Dataset.Contains(DicomTag.PixelData));
        var expected = SampleCatalog.DcmdumpTopLevelTags("pyd_CT_small.dcm")
            .Where(t => string.CompareOrdinal(t, DicomTag.FloatPixelData.ToHex()) < 0);
        Assert.Equal(expected.Order(), file.Dataset.Select(i => i.Tag.ToHex()).Order());
    }

    [Theory]
    [InlineData("pyd_CT_small.dcm", "pyd_CT_small.dcm")]
    [InlineData("pyd_MR_small_bigendian.dcm", "pyd_MR_small.dcm")]
    public async Task Bulk_data_above_the_threshold_stays_in_the_file_and_loads_lazily(string name, string littleEndianTwin)
    {
        var file = await DicomFile.OpenAsync(TestData.Sample(name), new DicomReadOptions { BulkDataThreshold = 1024 });
        Assert.True(file.Dataset.TryGetElement(DicomTag.PixelData, out var pixels));
        Assert.False(pixels.IsLoaded);
        Assert.NotNull(pixels.BulkData);
        Assert.EndsWith(name, pixels.BulkData!.Source.Path, StringComparison.Ordinal);

        // pydicom's bytes of the little endian version of the same image are the reference.
        var (code, stdout, stderr) = TestData.Run(
            "/usr/bin/python3", "-c",
            "import sys,hashlib,pydicom; print(hashlib.sha256(pydicom.dcmread(sys.argv[1]).PixelData).hexdigest())",
            TestData.Sample(littleEndianTwin));
        Assert.True(code == 0, stderr);
        Assert.Equal(pixels.Length, pixels.BulkData.Length);
        var loaded = await pixels.LoadAsync();
        Assert.Equal(stdout.Trim(), Convert.ToHexStringLower(SHA256.HashData(loaded.Span)));
        Assert.True(pixels.IsLoaded);

        // Small values were loaded as usual.
        Assert.True(file.Dataset.TryGetElement(DicomTag.Rows, out var rows) && rows.IsLoaded);
    }

    [Fact]
    public async Task Lazy_fragments_are_written_back_unchanged()
    {
        var path = TestData.Sample("pyd_examples_ybr_color.dcm");
        var lazy = await DicomFile.OpenAsync(path, new DicomReadOptions { BulkDataThreshold = 256 });
        var fragments = Assert.IsType<DicomFragmentSequence>(lazy.Dataset[DicomTag.PixelData]);
        Assert.Contains(fragments.Fragments, f => !f.IsLoaded);
        using var output = new MemoryStream();
        await lazy.SaveAsync(output);
        var eager = await DicomFile.OpenAsync(path);
        DatasetComparer.AssertEqual(eager.Dataset, DicomFile.Open(output.ToArray()).Dataset, compareVR: true);
    }
}
