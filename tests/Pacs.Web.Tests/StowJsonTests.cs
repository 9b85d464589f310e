using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pacs.Dicom;
using Pacs.Dicom.IO;

namespace Pacs.Web.Tests;

/// <summary>
/// STOW-RS of DICOM JSON metadata with bulk data parts (PS3.18 10.5.1.2): the metadata is DCMTK's dcm2json of a real
/// sample (given fresh UIDs by dcmodify), its Pixel Data sent as a bulk data part; what WADO-RS returns is compared with
/// the original by pydicom. Broken requests fail per instance with a Failure Reason and store nothing.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StowJsonTests(ServerFixture server)
{
    private const string PixelUri = "http://client.example/bulk/pixel-data";

    [Fact]
    public async Task Json_metadata_with_pixel_data_as_a_bulk_part_is_stored_and_retrieved_equal_to_the_original()
    {
        var (path, file, json) = FreshSample();
        var pixels = file.Dataset.GetItem(DicomTag.PixelData) is DicomElement element ? element.Value.ToArray() : throw new InvalidOperationException("no native pixel data");
        var (response, body) = await StowJsonAsync(Metadata(json), (DicomMediaTypes.OctetStream, PixelUri, pixels));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        var referenced = Assert.Single(body.GetProperty("00081199").GetProperty("Value").EnumerateArray());
        var instance = file.Dataset.GetString(DicomTag.SOPInstanceUID);
        Assert.Equal(instance, referenced.GetProperty("00081155").GetProperty("Value")[0].GetString());

        var retrieveUrl = referenced.GetProperty("00081190").GetProperty("Value")[0].GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Get, retrieveUrl);
        request.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        using var retrieved = await server.Http.SendAsync(request);
        var part = Assert.Single(await Multipart.ReadAsync(retrieved));
        Assert.Equal($"application/dicom; transfer-syntax={DicomTransferSyntax.ExplicitVRLittleEndian.UidValue}", part.ContentType);
        var stored = Path.Combine(server.NewTempDirectory(), "retrieved.dcm");
        await File.WriteAllBytesAsync(stored, part.Body);

        // pydicom decodes both (the JSON path stores text as UTF-8, the original is ISO_IR 100) and compares values.
        var compare = TestData.Run("/usr/bin/python3", ["-c", PydicomCompare, path, stored]);
        Assert.Equal("equal", compare.StdOut.Trim().Split('\n')[^1]);
    }

    [Fact]
    public async Task A_bulk_data_uri_without_its_part_fails_with_c000_and_stores_nothing()
    {
        var (_, file, json) = FreshSample();
        var before = await server.InstanceCountAsync();
        var (response, body) = await StowJsonAsync(Metadata(json));
        AssertFailedOnly(response, body, file, 0xC000);
        Assert.Equal(before, await server.InstanceCountAsync());
        await AssertNotStoredAsync(file);
    }

    [Fact]
    public async Task A_bulk_part_under_another_content_location_fails_with_c000_and_stores_nothing()
    {
        var (_, file, json) = FreshSample();
        var pixels = ((DicomElement)file.Dataset.GetItem(DicomTag.PixelData)).Value.ToArray();
        var before = await server.InstanceCountAsync();
        var (response, body) = await StowJsonAsync(Metadata(json), (DicomMediaTypes.OctetStream, PixelUri + "-other", pixels));
        AssertFailedOnly(response, body, file, 0xC000);
        Assert.Equal(before, await server.InstanceCountAsync());
        await AssertNotStoredAsync(file);
    }

    [Fact]
    public async Task Metadata_that_is_not_json_fails_with_c000_and_stores_nothing()
    {
        var before = await server.InstanceCountAsync();
        var (response, body) = await StowJsonAsync("[{\"00080016\": {\"vr\": \"UI\", \"Value\": [\"1.2.840.10008.5.1.4.1.1.2\"]"u8.ToArray());
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var failed = Assert.Single(body.GetProperty("00081198").GetProperty("Value").EnumerateArray());
        Assert.Equal(0xC000, failed.GetProperty("00081197").GetProperty("Value")[0].GetInt32());
        Assert.Equal(before, await server.InstanceCountAsync());
    }

    [Fact]
    public async Task Json_that_is_not_dicom_json_fails_for_that_instance_only_and_the_other_is_stored()
    {
        var (_, good, goodJson) = FreshSample();
        var (_, bad, badJson) = FreshSample();
        badJson["00100010"] = new JsonObject { ["vr"] = "XX", ["Value"] = new JsonArray("x") };
        var pixels = ((DicomElement)good.Dataset.GetItem(DicomTag.PixelData)).Value.ToArray();
        var before = await server.InstanceCountAsync();
        var metadata = Encoding.UTF8.GetBytes(new JsonArray(goodJson, badJson).ToJsonString());
        var (response, body) = await StowJsonAsync(metadata, (DicomMediaTypes.OctetStream, PixelUri, pixels));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {body}");
        var failed = Assert.Single(body.GetProperty("00081198").GetProperty("Value").EnumerateArray());
        Assert.Equal(bad.Dataset.GetString(DicomTag.SOPInstanceUID), failed.GetProperty("00081155").GetProperty("Value")[0].GetString());
        Assert.Equal(0xC000, failed.GetProperty("00081197").GetProperty("Value")[0].GetInt32());
        Assert.Equal(before + 1, await server.InstanceCountAsync());
        await AssertNotStoredAsync(bad);
    }

    private const string PydicomCompare = """
        import sys, pydicom
        a = pydicom.dcmread(sys.argv[1]); b = pydicom.dcmread(sys.argv[2])
        diff = []
        for elem in a:
            if elem.tag == 0x00080005:
                continue
            if elem.tag not in b:
                diff.append("missing %s" % elem.tag)
            elif b[elem.tag].value != elem.value:
                diff.append("differs %s: %r vs %r" % (elem.tag, str(elem.value)[:60], str(b[elem.tag].value)[:60]))
        extra = [str(e.tag) for e in b if e.tag not in a and e.tag != 0x00080005]
        if extra:
            diff.append("extra " + " ".join(extra))
        print("\n".join(diff) if diff else "equal")
        """;

    /// <summary>pyd_CT_small.dcm with new Study, Series and SOP Instance UIDs (dcmodify), and its dcm2json.</summary>
    private (string Path, DicomFile File, JsonObject Json) FreshSample()
    {
        var path = Path.Combine(server.NewTempDirectory(), "ct.dcm");
        File.Copy(TestData.Sample("pyd_CT_small.dcm"), path);
        TestData.Run("dcmodify", ["-nb", "-gst", "-gse", "-gin", path]);
        var json = JsonNode.Parse(TestData.Run("dcm2json", [path]).StdOut)!.AsObject();
        json["7FE00010"] = new JsonObject { ["vr"] = "OW", ["BulkDataURI"] = PixelUri };
        return (path, DicomFile.Open(File.ReadAllBytes(path)), json);
    }

    private static byte[] Metadata(JsonObject json) => Encoding.UTF8.GetBytes(new JsonArray(json.DeepClone()).ToJsonString());

    private async Task<(HttpResponseMessage Response, JsonElement Body)> StowJsonAsync(byte[] metadata, params (string ContentType, string Location, byte[] Data)[] bulk)
    {
        var boundary = "j" + Guid.NewGuid().ToString("N");
        var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom+json\r\n\r\n"));
        body.Write(metadata);
        foreach (var (contentType, location, data) in bulk)
        {
            body.Write(Encoding.ASCII.GetBytes($"\r\n--{boundary}\r\nContent-Type: {contentType}\r\nContent-Location: {location}\r\n\r\n"));
            body.Write(data);
        }

        body.Write(Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n"));
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/related; type=\"application/dicom+json\"; boundary={boundary}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dicomweb/studies") { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private static void AssertFailedOnly(HttpResponseMessage response, JsonElement body, DicomFile file, int reason)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{(int)response.StatusCode} {body}");
        var failed = Assert.Single(body.GetProperty("00081198").GetProperty("Value").EnumerateArray());
        Assert.Equal(file.Dataset.GetString(DicomTag.SOPInstanceUID), failed.GetProperty("00081155").GetProperty("Value")[0].GetString());
        Assert.Equal(reason, failed.GetProperty("00081197").GetProperty("Value")[0].GetInt32());
        Assert.False(body.GetProperty("00081199").TryGetProperty("Value", out _));
    }

    private async Task AssertNotStoredAsync(DicomFile file)
    {
        var ds = file.Dataset;
        using var get = await server.Http.GetAsync($"/dicomweb/studies/{ds.GetString(DicomTag.StudyInstanceUID)}/series/{ds.GetString(DicomTag.SeriesInstanceUID)}/instances/{ds.GetString(DicomTag.SOPInstanceUID)}/metadata");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    private static class DicomMediaTypes
    {
        public const string OctetStream = "application/octet-stream";
    }
}
