using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using NetVips;
using Pacs.Dicom;
using Pacs.Dicom.IO;

namespace Pacs.Web.Tests;

/// <summary>Study- and series-level WADO-RS (PS3.18 10.4): retrieve, metadata from the index, rendered and thumbnails.</summary>
[Collection(ServerCollection.Name)]
public sealed class StudyWadoTests(ServerFixture server) : IAsyncLifetime
{
    private const string UidRoot = "1.2.826.0.1.3680043.8.498.63";

    /// <summary>Samples of different transfer syntaxes, VRs and modules whose series metadata is compared with the instance level.</summary>
    private static readonly string[] MetadataSamples =
    [
        "pyd_CT_small.dcm", "pyd_MR_small_implicit.dcm", "pyd_MR_small_bigendian.dcm", "pyd_SC_rgb_jpeg_dcmtk.dcm", "pyd_JPEG2000.dcm",
        "pyd_MR_small_RLE.dcm", "pyd_MR_small.dcm", "pyd_SC_rgb_rle_16bit_2frame.dcm", "pyd_examples_ybr_color.dcm", "pydd_emri_small.dcm",
    ];

    private CtDataSet _set = null!;

    public async Task InitializeAsync()
    {
        _set = CtDataSet.Generate(server.NewTempDirectory(), seed: 63, UidRoot);
        var (response, body) = await server.StowAsync(null, [.. _set.Files.Select(File.ReadAllBytes)]);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Study_and_series_retrieve_return_every_instance_with_the_stored_bytes()
    {
        var study = _set.Studies[0];
        var expected = study.Files.ToDictionary(f => DicomFile.Open(File.ReadAllBytes(f)).Dataset.GetString(DicomTag.SOPInstanceUID), DatasetBytes);

        var parts = await GetPartsAsync($"/dicomweb/studies/{study.Uid}", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        Assert.Equal(6, parts.Count);
        var seen = new HashSet<string>();
        foreach (var (contentType, body) in parts)
        {
            Assert.Equal("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", contentType);
            var uid = DicomFile.Open(body).Dataset.GetString(DicomTag.SOPInstanceUID);
            Assert.True(seen.Add(uid));
            Assert.Equal(expected[uid], DatasetBytes(body));
        }

        var series = study.Series[1];
        var seriesParts = await GetPartsAsync($"/dicomweb/studies/{study.Uid}/series/{series.Uid}", "multipart/related; type=\"application/dicom\"");
        Assert.Equal(series.SopInstanceUids.Order(), seriesParts.Select(p => DicomFile.Open(p.Body).Dataset.GetString(DicomTag.SOPInstanceUID)).Order());

        // Transcoded: every instance re-encoded, pixels equal to the stored ones.
        var rle = await GetPartsAsync($"/dicomweb/studies/{study.Uid}/series/{series.Uid}", "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.5");
        Assert.Equal(3, rle.Count);
        foreach (var (contentType, body) in rle)
        {
            Assert.Equal("application/dicom; transfer-syntax=1.2.840.10008.1.2.5", contentType);
            var file = DicomFile.Open(body);
            var original = DicomFile.Open(File.ReadAllBytes(series.Files[series.SopInstanceUids.ToList().IndexOf(file.Dataset.GetString(DicomTag.SOPInstanceUID))]));
            Assert.Equal(
                Pacs.Dicom.Imaging.Pixels.DicomPixelData.Create(original.Dataset, original.TransferSyntax).GetFrame(0).Pixels.ToArray(),
                Pacs.Dicom.Imaging.Pixels.DicomPixelData.Create(file.Dataset, file.TransferSyntax).GetFrame(0).Pixels.ToArray());
        }

        using var refused = await GetAsync($"/dicomweb/studies/{study.Uid}", "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50");
        Assert.Equal(HttpStatusCode.NotAcceptable, refused.StatusCode);
        using var missing = await GetAsync($"/dicomweb/studies/{UidRoot}.404", "multipart/related; type=\"application/dicom\"");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var invalid = await GetAsync("/dicomweb/studies/1.2.abc/series/1.2.3", "multipart/related; type=\"application/dicom\"");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task Series_metadata_equals_the_instance_level_metadata_of_each_instance()
    {
        var failures = new List<string>();
        var compared = 0;
        foreach (var name in MetadataSamples)
        {
            var sample = Samples.TryLoad(name)!;
            var (response, body) = await server.StowAsync(null, sample.Bytes);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode} {body}");
            compared += await CompareSeriesAsync(sample.Study, sample.Series, name, failures);
        }

        foreach (var series in _set.Studies[0].Series)
        {
            compared += await CompareSeriesAsync(_set.Studies[0].Uid, series.Uid, series.Description, failures);
        }

        Assert.True(compared >= MetadataSamples.Length + 6, $"only {compared} instances compared");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(40)));

        var study = _set.Studies[1];
        var studyMetadata = await GetJsonAsync($"/dicomweb/studies/{study.Uid}/metadata");
        Assert.Equal(study.Series.SelectMany(s => s.SopInstanceUids).Order(), studyMetadata.EnumerateArray().Select(i => DicomJsonValues.First(i, "00080018")!).Order());
        Assert.All(studyMetadata.EnumerateArray(), i => Assert.Equal(study.PatientName, DicomJsonValues.First(i, "00100010")));
    }

    [Fact]
    public async Task Series_metadata_bulk_data_uris_work_and_it_is_cached_and_compressed()
    {
        var study = _set.Studies[0];
        var series = study.Series[0];
        var url = $"/dicomweb/studies/{study.Uid}/series/{series.Uid}/metadata";
        using var first = await GetAsync(url, "application/dicom+json");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var text = await first.Content.ReadAsStringAsync();
        var metadata = JsonDocument.Parse(text).RootElement;
        Assert.Equal(3, metadata.GetArrayLength());
        foreach (var instance in metadata.EnumerateArray())
        {
            var uid = DicomJsonValues.First(instance, "00080018")!;
            var file = DicomFile.Open(File.ReadAllBytes(series.Files[series.SopInstanceUids.ToList().IndexOf(uid)]));
            var uri = instance.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString()!;
            Assert.StartsWith($"{server.DicomWeb}/studies/{study.Uid}/series/{series.Uid}/instances/{uid}/bulkdata/", uri, StringComparison.Ordinal);
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation("Accept", "application/octet-stream");
            using var pixels = await server.Http.SendAsync(request);
            Assert.Equal(((DicomElement)file.Dataset.GetItem(DicomTag.PixelData)).Value.ToArray(), await pixels.Content.ReadAsByteArrayAsync());
        }

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await server.Http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var compressed = new HttpRequestMessage(HttpMethod.Get, url);
        compressed.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var gzipResponse = await server.Http.SendAsync(compressed);
        Assert.Equal("gzip", Assert.Single(gzipResponse.Content.Headers.ContentEncoding));
        using var gzip = new System.IO.Compression.GZipStream(await gzipResponse.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        Assert.Equal(text, await new StreamReader(gzip).ReadToEndAsync());

        var xml = await GetPartsAsync(url, "multipart/related; type=\"application/dicom+xml\"");
        Assert.Equal(3, xml.Count);
        Assert.All(xml, p => Assert.Contains("BulkData", System.Text.Encoding.UTF8.GetString(p.Body), StringComparison.Ordinal));

        using var unknown = await GetAsync($"/dicomweb/studies/{study.Uid}/series/{UidRoot}.404/metadata", "application/dicom+json");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Study_and_series_render_their_first_image_and_thumbnails()
    {
        var study = _set.Studies[0];
        var series = study.Series[1];
        foreach (var (url, size) in new[]
        {
            ($"/dicomweb/studies/{study.Uid}/rendered", 512), ($"/dicomweb/studies/{study.Uid}/series/{series.Uid}/rendered", 512),
            ($"/dicomweb/studies/{study.Uid}/thumbnail", 128), ($"/dicomweb/studies/{study.Uid}/series/{series.Uid}/thumbnail", 128),
            ($"/dicomweb/series/{series.Uid}/thumbnail", 128), ($"/dicomweb/studies/{study.Uid}/series/{series.Uid}/rendered?viewport=64,64", 64),
        })
        {
            using var response = await GetAsync(url, "image/png");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
            using var image = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(size, Math.Max(image.Width, image.Height));
        }

        // The series' first image is the one with the lowest instance number: the same picture as the instance's.
        var firstInstance = series.SopInstanceUids[0];
        var viaSeries = await server.Http.GetByteArrayAsync($"/dicomweb/studies/{study.Uid}/series/{series.Uid}/rendered?accept=image/png");
        var viaInstance = await server.Http.GetByteArrayAsync($"/dicomweb/studies/{study.Uid}/series/{series.Uid}/instances/{firstInstance}/rendered?accept=image/png");
        Assert.Equal(viaInstance, viaSeries);

        using var none = await GetAsync($"/dicomweb/series/{UidRoot}.404/thumbnail", "image/jpeg");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    private async Task<int> CompareSeriesAsync(string study, string series, string what, List<string> failures)
    {
        var seriesMetadata = await GetJsonAsync($"/dicomweb/studies/{study}/series/{series}/metadata");
        var count = 0;
        foreach (var instance in seriesMetadata.EnumerateArray())
        {
            var uid = DicomJsonValues.First(instance, "00080018")!;
            var single = await GetJsonAsync($"/dicomweb/studies/{study}/series/{series}/instances/{uid}/metadata");
            var expected = JsonSerializer.SerializeToNode(single[0])!.AsObject();
            var actual = JsonSerializer.SerializeToNode(instance)!.AsObject();

            // Data Set Trailing Padding "shall have no meaning" (PS3.10 7.2) and follows Pixel Data, past the header the
            // index keeps; the series level leaves it out.
            expected.Remove("FFFCFFFC");

            // A small Pixel Data value the instance level inlines is a reference at the series level (the index keeps
            // no pixel data, so it cannot inline it): the reference must give the same bytes.
            if (expected["7FE00010"]?["InlineBinary"] is { } inline && actual["7FE00010"]?["BulkDataURI"] is { } uri)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri.GetValue<string>());
                request.Headers.TryAddWithoutValidation("Accept", "application/octet-stream");
                using var bulk = await server.Http.SendAsync(request);
                Assert.Equal(Convert.FromBase64String(inline.GetValue<string>()), await bulk.Content.ReadAsByteArrayAsync());
                expected.Remove("7FE00010");
                actual.Remove("7FE00010");
            }

            DicomJsonValues.Compare(JsonSerializer.SerializeToElement(expected), JsonSerializer.SerializeToElement(actual), $"{what}/{uid}", failures);
            count++;
        }

        return count;
    }

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await GetAsync(url, "application/dicom+json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static byte[] DatasetBytes(string file) => DatasetBytes(File.ReadAllBytes(file));

    private static byte[] DatasetBytes(byte[] part10)
    {
        using var stream = new MemoryStream(part10);
        var (offset, _) = Pacs.Archive.Ingest.Part10Layout.ReadAsync(stream).GetAwaiter().GetResult();
        return part10.AsSpan((int)offset).ToArray();
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await server.Http.SendAsync(request);
    }

    private async Task<List<(string ContentType, byte[] Body)>> GetPartsAsync(string url, string accept)
    {
        using var response = await GetAsync(url, accept);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Multipart.ReadAsync(response);
    }
}
