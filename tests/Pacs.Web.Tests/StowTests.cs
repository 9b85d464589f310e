using System.Net;
using System.Text.Json;
using Pacs.Dicom;

namespace Pacs.Web.Tests;

[Collection(ServerCollection.Name)]
public sealed class StowTests(ServerFixture server)
{
    [Fact]
    public async Task Every_archivable_sample_is_stored_and_retrieved_as_stored_byte_for_byte()
    {
        var samples = Samples.Archivable().ToList();
        Assert.True(samples.Count >= 60, $"only {samples.Count} samples are archivable");
        var failures = new List<string>();
        foreach (var sample in samples)
        {
            var (response, body) = await server.StowAsync(null, sample.Bytes);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{sample.Name}: STOW {(int)response.StatusCode} {body}");
                continue;
            }

            var referenced = body.GetProperty("00081199").GetProperty("Value")[0];
            Assert.Equal(sample.Instance, referenced.GetProperty("00081155").GetProperty("Value")[0].GetString());
            var retrieveUrl = referenced.GetProperty("00081190").GetProperty("Value")[0].GetString()!;
            Assert.EndsWith(sample.InstancePath, retrieveUrl, StringComparison.Ordinal);

            // Retrieved right away: samples that share SOP Instance UIDs replace each other.
            using var request = new HttpRequestMessage(HttpMethod.Get, retrieveUrl);
            request.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
            using var retrieved = await server.Http.SendAsync(request);
            var parts = await Multipart.ReadAsync(retrieved);
            var part = Assert.Single(parts);
            Assert.Equal($"application/dicom; transfer-syntax={sample.File.TransferSyntax.UidValue}", part.ContentType);
            using var stream = new MemoryStream(part.Body);
            var (offset, ts) = await Pacs.Archive.Ingest.Part10Layout.ReadAsync(stream);
            Assert.Equal(sample.File.TransferSyntax.UidValue, ts);
            if (!part.Body.AsSpan((int)offset).SequenceEqual(sample.DatasetBytes))
            {
                failures.Add($"{sample.Name}: retrieved dataset bytes differ from the stored ones");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task A_request_with_several_parts_reports_each_and_a_failed_part_gives_202()
    {
        var ct = Samples.TryLoad("pyd_CT_small.dcm")!;
        var mr = Samples.TryLoad("pyd_MR_small.dcm")!;
        var garbage = "this is not DICOM"u8.ToArray();
        var (response, body) = await server.StowAsync(null, ct.Bytes, mr.Bytes, garbage);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var referenced = body.GetProperty("00081199").GetProperty("Value");
        Assert.Equal(2, referenced.GetArrayLength());
        var failed = Assert.Single(body.GetProperty("00081198").GetProperty("Value").EnumerateArray());
        Assert.Equal(0xC000, failed.GetProperty("00081197").GetProperty("Value")[0].GetInt32());
    }

    [Fact]
    public async Task An_instance_of_another_study_than_the_url_names_is_refused_with_409_and_not_stored()
    {
        var sample = Samples.TryLoad("pyd_CT_small.dcm")!;
        var otherStudy = "1.2.826.0.1.3680043.8.498.1" + DateTime.UtcNow.Ticks % 1000000;
        using (var delete = await server.Http.DeleteAsync(sample.InstancePath))
        {
            Assert.True(delete.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound);
        }

        var (response, body) = await server.StowAsync(otherStudy, sample.Bytes);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var failed = Assert.Single(body.GetProperty("00081198").GetProperty("Value").EnumerateArray());
        Assert.Equal(sample.Instance, failed.GetProperty("00081155").GetProperty("Value")[0].GetString());
        Assert.Equal(0xA900, failed.GetProperty("00081197").GetProperty("Value")[0].GetInt32());
        Assert.False(body.GetProperty("00081199").TryGetProperty("Value", out _));
        using var get = await server.Http.GetAsync(sample.InstancePath + "/metadata");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);

        var (ok, okBody) = await server.StowAsync(sample.Study, sample.Bytes);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.EndsWith("/dicomweb/studies/" + sample.Study, okBody.GetProperty("00081190").GetProperty("Value")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_part_whose_file_meta_names_other_uids_or_none_is_stored_under_its_datasets_own_uids()
    {
        var ct = Samples.TryLoad("pyd_CT_small.dcm")!;
        var mr = Samples.TryLoad("pyd_MR_small.dcm")!;
        foreach (var sample in new[] { ct, mr })
        {
            using var delete = await server.Http.DeleteAsync(sample.InstancePath);
            Assert.True(delete.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound);
        }

        var (response, body) = await server.StowAsync(null, WithMeta(ct, "1.2.3", "1.2.3.4.5.6"), WithMeta(mr, null, null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var referenced = body.GetProperty("00081199").GetProperty("Value").EnumerateArray().Select(r => r.GetProperty("00081155").GetProperty("Value")[0].GetString()).ToList();
        Assert.Equal([ct.Instance, mr.Instance], referenced);
        foreach (var sample in new[] { ct, mr })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, sample.InstancePath);
            request.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
            using var retrieved = await server.Http.SendAsync(request);
            var part = Assert.Single(await Multipart.ReadAsync(retrieved));
            var file = Pacs.Dicom.IO.DicomFile.Open(part.Body);
            Assert.Equal(sample.Instance, file.FileMetaInformation.GetString(DicomTag.MediaStorageSOPInstanceUID));
            Assert.Equal(sample.File.Dataset.GetString(DicomTag.SOPClassUID), file.FileMetaInformation.GetString(DicomTag.MediaStorageSOPClassUID));
            using var stream = new MemoryStream(part.Body);
            var (offset, _) = await Pacs.Archive.Ingest.Part10Layout.ReadAsync(stream);
            Assert.True(part.Body.AsSpan((int)offset).SequenceEqual(sample.DatasetBytes), $"{sample.Name}: dataset bytes differ");
        }

        Assert.Equal(0, server.StagedFileCount());
    }

    /// <summary>The sample's dataset behind a File Meta Information naming the given UIDs (or none).</summary>
    private static byte[] WithMeta(SampleInfo sample, string? sopClassUid, string? sopInstanceUid)
    {
        var meta = new DicomDataset();
        meta.AddOrUpdate(DicomTag.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        if (sopClassUid is not null)
        {
            meta.AddOrUpdate(DicomTag.MediaStorageSOPClassUID, DicomVR.UI, sopClassUid);
        }

        if (sopInstanceUid is not null)
        {
            meta.AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        }

        meta.AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, sample.File.TransferSyntax.UidValue);
        return [.. new byte[128], .. "DICM"u8, .. Pacs.Dicom.IO.DicomDatasetWriter.ToBytes(meta, DicomTransferSyntax.ExplicitVRLittleEndian), .. sample.DatasetBytes];
    }

    [Fact]
    public async Task The_response_is_dicom_xml_when_only_xml_is_accepted()
    {
        var sample = Samples.TryLoad("pyd_MR_small.dcm")!;
        var boundary = "xyz";
        var body = new MemoryStream();
        body.Write(System.Text.Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n"));
        body.Write(sample.Bytes);
        body.Write(System.Text.Encoding.ASCII.GetBytes($"\r\n--{boundary}--"));
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/related; type=\"application/dicom\"; boundary={boundary}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dicomweb/studies") { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom+xml\"");
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var part = Assert.Single(await Multipart.ReadAsync(response));
        var xml = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(part.Body));
        var ns = System.Xml.Linq.XNamespace.Get("http://dicom.nema.org/PS3.19/models/NativeDICOM");
        Assert.Contains(xml.Descendants(ns + "DicomAttribute"), a => (string?)a.Attribute("tag") == "00081155" && a.Value.Contains(sample.Instance, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Instances_stored_by_storescu_are_retrieved_by_wado_rs_and_wado_uri()
    {
        var sample = Samples.TryLoad("pyd_CT_small.dcm")!;
        using (var delete = await server.Http.DeleteAsync(sample.InstancePath))
        {
            Assert.True(delete.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound);
        }

        TestData.Run("storescu", ["-aet", "WEBTEST", "-aec", "PACS", "-R", "127.0.0.1", server.DicomPort.ToString(), TestData.Sample(sample.Name)]);
        using var request = new HttpRequestMessage(HttpMethod.Get, sample.InstancePath);
        request.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var part = Assert.Single(await Multipart.ReadAsync(response));
        var file = Pacs.Dicom.IO.DicomFile.Open(part.Body);
        Assert.Equal("WEBTEST", file.FileMetaInformation.GetString(DicomTag.SourceApplicationEntityTitle));

        // storescu re-encodes what it sends (lengths) and drops Data Set Trailing Padding, so the datasets are compared.
        var expected = sample.File.Dataset.Clone();
        expected.Remove(DicomTag.FromValue(0xFFFCFFFC));
        Assert.Equal(Pacs.Dicom.Serialization.DicomJson.Serialize(expected), Pacs.Dicom.Serialization.DicomJson.Serialize(file.Dataset));

        var uri = $"/wado?requestType=WADO&studyUID={sample.Study}&seriesUID={sample.Series}&objectUID={sample.Instance}&contentType=application/dicom&transferSyntax=*";
        var viaUri = await server.Http.GetByteArrayAsync(uri);
        Assert.Equal(part.Body, viaUri);
    }
}
