using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using NetVips;
using Pacs.Dicom;
using Pacs.Dicom.Imaging.Pixels;
using Pacs.Dicom.IO;

namespace Pacs.Web.Tests;

[Collection(ServerCollection.Name)]
public sealed class WadoTests(ServerFixture server) : IAsyncLifetime
{
    public static TheoryData<string> ImageSamples => new()
    {
        "pyd_CT_small.dcm", "pyd_MR_small_implicit.dcm", "pyd_MR_small_bigendian.dcm", "pyd_SC_rgb_jpeg_dcmtk.dcm", "pyd_JPEG2000.dcm",
        "pyd_MR_small_RLE.dcm", "pyd_MR_small_jpeg_ls_lossless.dcm", "pydd_JPEG-LL.dcm", "pyd_JPGExtended.dcm", "pydd_emri_small.dcm", "pyd_examples_ybr_color.dcm", "pyd_SC_rgb_rle_16bit_2frame.dcm",
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(ImageSamples))]
    public async Task Frames_are_sent_as_stored_and_decoded_equal_to_the_toolkit_decode(string name)
    {
        var sample = await StoreAsync(name);
        var pixels = DicomPixelData.Create(sample.File.Dataset, sample.File.TransferSyntax);
        var list = string.Join(',', Enumerable.Range(1, Math.Min(pixels.NumberOfFrames, 3)));

        var stored = await GetPartsAsync($"{sample.InstancePath}/frames/{list}", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        Assert.Equal(Math.Min(pixels.NumberOfFrames, 3), stored.Count);
        for (var i = 0; i < stored.Count; i++)
        {
            var expectedTs = pixels.IsEncapsulated ? sample.File.TransferSyntax.UidValue : DicomTransferSyntax.ExplicitVRLittleEndian.UidValue;
            Assert.EndsWith("transfer-syntax=" + expectedTs, stored[i].ContentType, StringComparison.Ordinal);
            Assert.Equal(pixels.GetStoredFrame(i).ToArray(), stored[i].Body);
        }

        var decoded = await GetPartsAsync($"{sample.InstancePath}/frames/{list}", "multipart/related; type=\"application/octet-stream\"");
        for (var i = 0; i < decoded.Count; i++)
        {
            Assert.Equal("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1", decoded[i].ContentType);
            Assert.Equal(pixels.GetFrame(i).Pixels.ToArray(), decoded[i].Body);
        }
    }

    [Theory]
    [MemberData(nameof(ImageSamples))]
    public async Task Rendered_frames_are_valid_images_of_the_right_size(string name)
    {
        var sample = await StoreAsync(name);
        var rows = sample.File.Dataset.GetValue<int>(DicomTag.Rows);
        var columns = sample.File.Dataset.GetValue<int>(DicomTag.Columns);
        foreach (var (accept, loader) in new[] { ("image/jpeg", "jpegload_buffer"), ("image/png", "pngload_buffer"), ("image/webp", "webpload_buffer") })
        {
            using var response = await GetAsync($"{sample.InstancePath}/frames/1/rendered", accept);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(accept, response.Content.Headers.ContentType!.MediaType);
            using var image = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(loader, (string)image.Get("vips-loader"));
            Assert.Equal((columns, rows), (image.Width, image.Height));
        }

        using var small = Image.NewFromBuffer(await server.Http.GetByteArrayAsync($"{sample.InstancePath}/rendered?accept=image/png&viewport=32,32&window=100,400,linear"));
        Assert.Equal(32, Math.Max(small.Width, small.Height));
        using var thumbnail = Image.NewFromBuffer(await server.Http.GetByteArrayAsync($"{sample.InstancePath}/thumbnail"));
        Assert.Equal(128, Math.Max(thumbnail.Width, thumbnail.Height));

        var uri = $"/wado?requestType=WADO&studyUID={sample.Study}&seriesUID={sample.Series}&objectUID={sample.Instance}&contentType=image/png&rows=40&columns=40&windowCenter=50&windowWidth=300";
        using var viaUri = Image.NewFromBuffer(await server.Http.GetByteArrayAsync(uri));
        Assert.Equal(40, Math.Max(viaUri.Width, viaUri.Height));
    }

    [Fact]
    public async Task Window_changes_the_rendered_pixels_and_etag_gives_304()
    {
        var sample = await StoreAsync("pyd_CT_small.dcm");
        using var narrow = await GetAsync($"{sample.InstancePath}/rendered?window=0,10,linear", "image/png");
        using var wide = await GetAsync($"{sample.InstancePath}/rendered?window=0,4000,linear", "image/png");
        var a = await narrow.Content.ReadAsByteArrayAsync();
        var b = await wide.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(a, b);
        Assert.NotEqual(narrow.Headers.ETag, wide.Headers.ETag);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{sample.InstancePath}/rendered?window=0,10,linear");
        request.Headers.TryAddWithoutValidation("Accept", "image/png");
        request.Headers.IfNoneMatch.Add(narrow.Headers.ETag!);
        using var again = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task Default_retrieve_is_explicit_vr_little_endian_and_transcoding_decodes_equal()
    {
        var sample = await StoreAsync("pyd_JPEG2000.dcm");
        var parts = await GetPartsAsync(sample.InstancePath, "multipart/related; type=\"application/dicom\"");
        var part = Assert.Single(parts);
        Assert.Equal("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", part.ContentType);
        var file = DicomFile.Open(part.Body);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian.UidValue, file.TransferSyntax.UidValue);
        var expected = DicomPixelData.Create(sample.File.Dataset, sample.File.TransferSyntax).GetFrame(0).Pixels.ToArray();
        Assert.Equal(expected, DicomPixelData.Create(file.Dataset, file.TransferSyntax).GetStoredFrame(0).ToArray());
        Assert.Equal(sample.Instance, file.Dataset.GetString(DicomTag.SOPInstanceUID));

        var rle = Assert.Single(await GetPartsAsync(sample.InstancePath, "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.5"));
        Assert.Equal("application/dicom; transfer-syntax=1.2.840.10008.1.2.5", rle.ContentType);
        var rleFile = DicomFile.Open(rle.Body);
        Assert.Equal(expected, DicomPixelData.Create(rleFile.Dataset, rleFile.TransferSyntax).GetFrame(0).Pixels.ToArray());

        // 16-bit signed data has no JPEG baseline (8-bit) form: 406, not a wrong image.
        var ct = await StoreAsync("pyd_CT_small.dcm");
        using var refused = await GetAsync(ct.InstancePath, "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50");
        Assert.Equal(HttpStatusCode.NotAcceptable, refused.StatusCode);
        Assert.Contains("transfer-syntax=*", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_equals_dcm2json_of_the_stored_file_with_working_bulk_data_uris()
    {
        var compared = 0;
        var failures = new List<string>();
        foreach (var sample in Samples.Archivable().Where(s => !s.File.TransferSyntax.IsEncapsulated && !KnownDcmtkDifferences.Contains(s.Name)))
        {
            await StoreAsync(sample.Name);
            var stored = Path.Combine(server.NewTempDirectory(), "stored.dcm");
            await File.WriteAllBytesAsync(stored, Assert.Single(await GetPartsAsync(sample.InstancePath, "multipart/related; type=\"application/dicom\"; transfer-syntax=*")).Body);
            var dcmtk = TestData.Run("dcm2json", [stored], check: false);
            if (dcmtk.ExitCode != 0)
            {
                continue;
            }

            using var response = await GetAsync(sample.InstancePath + "/metadata", "application/dicom+json");
            Assert.Equal("application/dicom+json", response.Content.Headers.ContentType!.MediaType);
            var ours = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(JsonValueKind.Array, ours.ValueKind);
            var reference = JsonDocument.Parse(dcmtk.StdOut).RootElement;
            await CompareAsync(ours[0], reference, sample.Name, failures);
            compared++;
        }

        Assert.True(compared >= 30, $"only {compared} samples compared");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(40)));
    }

    [Fact]
    public async Task Bulk_data_honours_range_and_metadata_is_compressed_and_cached()
    {
        var sample = await StoreAsync("pyd_CT_small.dcm");
        using var metadata = await GetAsync(sample.InstancePath + "/metadata", "application/dicom+json");
        var json = JsonDocument.Parse(await metadata.Content.ReadAsStringAsync()).RootElement[0];
        var uri = json.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString()!;
        var pixelData = ((DicomElement)sample.File.Dataset.GetItem(DicomTag.PixelData)).Value.ToArray();

        using var whole = new HttpRequestMessage(HttpMethod.Get, uri);
        whole.Headers.TryAddWithoutValidation("Accept", "application/octet-stream");
        using var wholeResponse = await server.Http.SendAsync(whole);
        Assert.Equal(pixelData, await wholeResponse.Content.ReadAsByteArrayAsync());

        using var ranged = new HttpRequestMessage(HttpMethod.Get, uri);
        ranged.Headers.TryAddWithoutValidation("Accept", "application/octet-stream");
        ranged.Headers.Range = new RangeHeaderValue(100, 1123);
        using var rangedResponse = await server.Http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, rangedResponse.StatusCode);
        Assert.Equal(pixelData.AsSpan(100, 1024).ToArray(), await rangedResponse.Content.ReadAsByteArrayAsync());

        var multipart = Assert.Single(await GetPartsAsync(uri, "multipart/related; type=\"application/octet-stream\""));
        Assert.Equal(pixelData, multipart.Body);

        using var compressed = new HttpRequestMessage(HttpMethod.Get, sample.InstancePath + "/metadata");
        compressed.Headers.TryAddWithoutValidation("Accept", "application/dicom+json");
        compressed.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        using var compressedResponse = await server.Http.SendAsync(compressed);
        Assert.Equal("br", Assert.Single(compressedResponse.Content.Headers.ContentEncoding));
        using var brotli = new System.IO.Compression.BrotliStream(await compressedResponse.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        Assert.Equal(json.GetRawText(), JsonDocument.Parse(brotli).RootElement[0].GetRawText());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, sample.InstancePath + "/metadata");
        conditional.Headers.IfNoneMatch.Add(metadata.Headers.ETag!);
        using var notModified = await server.Http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Retrieve_checks_that_the_instance_belongs_to_the_study_and_series()
    {
        var sample = await StoreAsync("pyd_MR_small.dcm");
        var other = await StoreAsync("pyd_CT_small.dcm");
        using var wrongSeries = await server.Http.GetAsync($"/dicomweb/studies/{sample.Study}/series/{other.Series}/instances/{sample.Instance}/metadata");
        Assert.Equal(HttpStatusCode.NotFound, wrongSeries.StatusCode);
        using var wrongStudy = await server.Http.GetAsync($"/dicomweb/studies/{other.Study}/series/{sample.Series}/instances/{sample.Instance}/rendered");
        Assert.Equal(HttpStatusCode.NotFound, wrongStudy.StatusCode);
        using var missingFrame = await server.Http.GetAsync($"{sample.InstancePath}/frames/2");
        Assert.Equal(HttpStatusCode.NotFound, missingFrame.StatusCode);
        using var badFrame = await server.Http.GetAsync($"{sample.InstancePath}/frames/0");
        Assert.Equal(HttpStatusCode.BadRequest, badFrame.StatusCode);
    }

    [Fact]
    public async Task Delete_removes_instances_series_and_studies()
    {
        var sample = await StoreAsync("pyd_MR_small_RLE.dcm");
        using (var wrong = await server.Http.DeleteAsync($"/dicomweb/studies/{sample.Study}/series/1.2.3.4.5"))
        {
            Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        }

        using (var deleted = await server.Http.DeleteAsync(sample.InstancePath))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var gone = await server.Http.GetAsync(sample.InstancePath + "/metadata"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        await StoreAsync("pyd_MR_small_RLE.dcm");
        using (var series = await server.Http.DeleteAsync($"/dicomweb/studies/{sample.Study}/series/{sample.Series}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, series.StatusCode);
        }

        await StoreAsync("pyd_MR_small_RLE.dcm");
        using (var study = await server.Http.DeleteAsync($"/dicomweb/studies/{sample.Study}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, study.StatusCode);
        }

        using var after = await server.Http.GetAsync(sample.InstancePath + "/frames/1");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    /// <summary>Samples whose dcm2json output is no reference (see tests/Pacs.Dicom.Tests DicomJsonSampleTests for each reason).</summary>
    private static readonly HashSet<string> KnownDcmtkDifferences = new(StringComparer.Ordinal)
    {
        "pyd_chrH31.dcm", "pyd_chrH32.dcm", "pyd_chrJapMulti.dcm", "pyd_chrJapMultiExplicitIR6.dcm", "pyd_chrSQEncoding1.dcm", "pyd_chrSQEncoding.dcm",
        "fod_GH1301.dcm", "hdc_dx_image.dcm", "pyd_nested_priv_SQ.dcm", "pyd_meta_missing_tsyntax.dcm", "fod_GH179A.dcm",
    };

    private async Task CompareAsync(JsonElement ours, JsonElement reference, string path, List<string> failures)
    {
        foreach (var attribute in reference.EnumerateObject())
        {
            // dcm2json rewrites Specific Character Set to ISO_IR 192; PS3.18 F.2.2 keeps the source's value.
            if (attribute.Name == "00080005" || attribute.Name.EndsWith("0000", StringComparison.Ordinal))
            {
                continue;
            }

            var where = $"{path}/{attribute.Name}";
            if (!ours.TryGetProperty(attribute.Name, out var mine))
            {
                failures.Add($"{where}: missing");
                continue;
            }

            if (mine.GetProperty("vr").GetString() != attribute.Value.GetProperty("vr").GetString())
            {
                failures.Add($"{where}: vr {mine.GetProperty("vr")} vs {attribute.Value.GetProperty("vr")}");
                continue;
            }

            if (mine.TryGetProperty("BulkDataURI", out var uri))
            {
                var expected = attribute.Value.TryGetProperty("InlineBinary", out var inline) ? Convert.FromBase64String(inline.GetString()!) : null;
                using var request = new HttpRequestMessage(HttpMethod.Get, uri.GetString());
                request.Headers.TryAddWithoutValidation("Accept", "application/octet-stream");
                using var response = await server.Http.SendAsync(request);
                var actual = await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK || expected is null || !expected.AsSpan(0, Math.Min(actual.Length, expected.Length)).SequenceEqual(actual.AsSpan(0, Math.Min(actual.Length, expected.Length))) || Math.Abs(actual.Length - expected.Length) > 1)
                {
                    failures.Add($"{where}: bulk data {uri} gives {(int)response.StatusCode}, {actual.Length} bytes; dcm2json has {expected?.Length}");
                }

                continue;
            }

            if (attribute.Value.TryGetProperty("Value", out var referenceValue) && attribute.Value.GetProperty("vr").GetString() == "SQ")
            {
                var items = referenceValue.EnumerateArray().ToList();
                var mineItems = mine.GetProperty("Value").EnumerateArray().ToList();
                if (items.Count != mineItems.Count)
                {
                    failures.Add($"{where}: {mineItems.Count} items vs {items.Count}");
                    continue;
                }

                for (var i = 0; i < items.Count; i++)
                {
                    await CompareAsync(mineItems[i], items[i], $"{where}[{i}]", failures);
                }

                continue;
            }

            var single = attribute.Value.GetProperty("vr").GetString() is "FL" or "OF";
            var a = Normalize(mine, single);
            var b = Normalize(attribute.Value, single);
            if (a != b && !(attribute.Value.GetProperty("vr").GetString() == "FD" && WithinOneUlp(mine, attribute.Value)))
            {
                failures.Add($"{where}: {a} vs {b}");
            }
        }
    }

    // dcm2json prints FD with 17 significant digits that do not always read back as the stored double
    // (e.g. pyd_examples_palette.dcm (0018,602C): the file holds 0.02622878766196998, as pydicom reads it too).
    private static bool WithinOneUlp(JsonElement ours, JsonElement reference)
    {
        if (!ours.TryGetProperty("Value", out var a) || !reference.TryGetProperty("Value", out var b) || a.GetArrayLength() != b.GetArrayLength())
        {
            return false;
        }

        return a.EnumerateArray().Zip(b.EnumerateArray()).All(p => p.First.ValueKind == JsonValueKind.Number && p.Second.ValueKind == JsonValueKind.Number
            && (p.First.GetDouble() == p.Second.GetDouble() || Math.BitIncrement(p.First.GetDouble()) == p.Second.GetDouble() || Math.BitDecrement(p.First.GetDouble()) == p.Second.GetDouble()));
    }

    private static string Normalize(JsonElement attribute, bool single)
    {
        var parts = new List<string>();
        foreach (var kind in new[] { "Value", "InlineBinary" })
        {
            if (!attribute.TryGetProperty(kind, out var value))
            {
                continue;
            }

            parts.Add(kind + ":" + (value.ValueKind == JsonValueKind.Array
                ? string.Join('|', value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? (single ? ((float)v.GetDouble()).ToString("R", System.Globalization.CultureInfo.InvariantCulture) : v.GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture)) : JsonSerializer.Serialize(v)))
                : JsonSerializer.Serialize(value)));
        }

        return string.Join(';', parts);
    }

    private async Task<SampleInfo> StoreAsync(string name)
    {
        var sample = Samples.TryLoad(name) ?? throw new InvalidOperationException($"{name} is not archivable");
        var (response, body) = await server.StowAsync(null, sample.Bytes);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode} {body}");
        return sample;
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
