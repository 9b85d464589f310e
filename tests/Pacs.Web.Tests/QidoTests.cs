using System.Net;
using System.Text.Json;
using Pacs.Dicom;
using Pacs.Dicom.IO;
using static Pacs.Web.Tests.DicomJsonValues;

namespace Pacs.Web.Tests;

/// <summary>QIDO-RS (PS3.18 10.6) over the real server: a generated CT set and samples stored by STOW-RS, then searched.</summary>
[Collection(ServerCollection.Name)]
public sealed class QidoTests(ServerFixture server) : IAsyncLifetime
{
    private const string UidRoot = "1.2.826.0.1.3680043.8.498.61";
    private const string TruncatedWarning = "The number of results exceeded the maximum supported by the server. Additional results can be requested.";

    private CtDataSet _set = null!;
    private DicomFile _doe = null!;

    public async Task InitializeAsync()
    {
        _set = CtDataSet.Generate(server.NewTempDirectory(), seed: 61, UidRoot);

        // A patient whose name OHIF's "*doe*" search should find: one generated instance with new identity.
        _doe = DicomFile.Open(await File.ReadAllBytesAsync(_set.Files.First()));
        _doe.Dataset.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, "Doe^Jane");
        _doe.Dataset.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, "QIDO-DOE-1");
        _doe.Dataset.AddOrUpdate(DicomTag.StudyDescription, DicomVR.LO, "Chest CT for OHIF");
        _doe.Dataset.AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, UidRoot + ".9.1");
        _doe.Dataset.AddOrUpdate(DicomTag.SeriesInstanceUID, DicomVR.UI, UidRoot + ".9.1.1");
        _doe.Dataset.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, UidRoot + ".9.1.1.1");
        _doe.FileMetaInformation.AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, DicomVR.UI, UidRoot + ".9.1.1.1");

        var (response, body) = await server.StowAsync(null, [.. _set.Files.Select(File.ReadAllBytes), _doe.ToBytes()]);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Each_level_finds_the_stored_set_with_the_stored_values()
    {
        var study = _set.Studies[0];
        var header = DicomFile.Open(await File.ReadAllBytesAsync(study.Series[0].Files[0])).Dataset;

        var studies = await QueryAsync($"/dicomweb/studies?StudyInstanceUID={study.Uid}&includefield=StudyDescription");
        var s = Assert.Single(studies);
        Assert.Equal(study.PatientName, First(s, "00100010"));
        Assert.Equal(study.PatientId, First(s, "00100020"));
        Assert.Equal(study.StudyDate, First(s, "00080020"));
        Assert.Equal(study.Accession, First(s, "00080050"));
        Assert.Equal(study.Description, First(s, "00081030"));
        Assert.Equal(header.GetString(DicomTag.PatientSex), First(s, "00100040"));
        Assert.Equal(["CT"], All(s, "00080061"));
        Assert.Equal("2", First(s, "00201206"));
        Assert.Equal("6", First(s, "00201208"));
        Assert.Equal($"{server.DicomWeb}/studies/{study.Uid}", First(s, "00081190"));
        Assert.False(s.TryGetProperty("00080052", out _), "QIDO-RS results carry no Query/Retrieve Level");

        var series = await QueryAsync($"/dicomweb/studies/{study.Uid}/series");
        Assert.Equal(study.Series.Select(x => x.Uid).Order(), series.Select(x => First(x, "0020000E")!).Order());
        foreach (var expected in study.Series)
        {
            var found = series.Single(x => First(x, "0020000E") == expected.Uid);
            var first = DicomFile.Open(await File.ReadAllBytesAsync(expected.Files[0])).Dataset;
            Assert.Equal(expected.Description, First(found, "0008103E"));
            Assert.Equal(first.GetString(DicomTag.Modality), First(found, "00080060"));
            Assert.Equal(first.GetString(DicomTag.SeriesNumber), First(found, "00200011"));
            Assert.Equal("3", First(found, "00201209"));
            Assert.Equal($"{server.DicomWeb}/studies/{study.Uid}/series/{expected.Uid}", First(found, "00081190"));
        }

        var target = study.Series[1];
        var instances = await QueryAsync($"/dicomweb/studies/{study.Uid}/series/{target.Uid}/instances");
        Assert.Equal(target.SopInstanceUids.Order(), instances.Select(x => First(x, "00080018")!).Order());
        foreach (var file in target.Files)
        {
            var dataset = DicomFile.Open(await File.ReadAllBytesAsync(file)).Dataset;
            var found = instances.Single(x => First(x, "00080018") == dataset.GetString(DicomTag.SOPInstanceUID));
            Assert.Equal(dataset.GetString(DicomTag.SOPClassUID), First(found, "00080016"));
            Assert.Equal(dataset.GetString(DicomTag.InstanceNumber), First(found, "00200013"));
            Assert.Equal(dataset.GetValue<int>(DicomTag.Rows).ToString(), First(found, "00280010"));
            Assert.Equal(dataset.GetValue<int>(DicomTag.Columns).ToString(), First(found, "00280011"));
            Assert.Equal(dataset.GetValue<int>(DicomTag.BitsAllocated).ToString(), First(found, "00280100"));
            Assert.Equal($"{server.DicomWeb}/studies/{study.Uid}/series/{target.Uid}/instances/{dataset.GetString(DicomTag.SOPInstanceUID)}", First(found, "00081190"));
        }

        Assert.Equal(6, (await QueryAsync($"/dicomweb/studies/{study.Uid}/instances")).Count);

        // Across studies, the study's attributes come with each series and instance.
        var anySeries = Assert.Single(await QueryAsync($"/dicomweb/series?SeriesInstanceUID={target.Uid}"));
        Assert.Equal(study.Uid, First(anySeries, "0020000D"));
        Assert.Equal(study.PatientName, First(anySeries, "00100010"));
        var anyInstance = Assert.Single(await QueryAsync($"/dicomweb/instances?SOPInstanceUID={target.SopInstanceUids[2]}"));
        Assert.Equal(target.Uid, First(anyInstance, "0020000E"));
        Assert.Equal(study.PatientId, First(anyInstance, "00100020"));
    }

    [Fact]
    public async Task Samples_are_found_with_their_stored_values()
    {
        foreach (var name in new[] { "pyd_CT_small.dcm", "pyd_MR_small.dcm", "pyd_SC_rgb_jpeg_dcmtk.dcm", "pyd_JPEG2000.dcm" })
        {
            var sample = Samples.TryLoad(name)!;
            var (response, body) = await server.StowAsync(null, sample.Bytes);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode} {body}");
            var dataset = sample.File.Dataset;
            var found = Assert.Single(await QueryAsync($"/dicomweb/instances?SOPInstanceUID={sample.Instance}&includefield=PatientID"));
            Assert.Equal(sample.Study, First(found, "0020000D"));
            Assert.Equal(sample.Series, First(found, "0020000E"));
            Assert.Equal(dataset.GetString(DicomTag.SOPClassUID), First(found, "00080016"));
            Assert.Equal(dataset.GetStringOrDefault(DicomTag.PatientID) is { Length: > 0 } id ? id : null, First(found, "00100020"));
            Assert.Equal(dataset.GetValue<int>(DicomTag.Rows).ToString(), First(found, "00280010"));

            var studyResult = Assert.Single(await QueryAsync($"/dicomweb/studies?StudyInstanceUID={sample.Study}"));
            Assert.Equal(dataset.GetStringOrDefault(DicomTag.AccessionNumber) is { Length: > 0 } accession ? accession : null, First(studyResult, "00080050"));
        }
    }

    [Fact]
    public async Task Fuzzy_matching_finds_vietnamese_names_regardless_of_accents_and_case()
    {
        var nguyen = _set.Studies.Single(s => s.PatientName == "Nguyễn^Văn Ánh");
        var uids = string.Join(',', _set.Studies.Select(s => s.Uid));
        foreach (var pattern in new[] { "nguyen*", "NGUYEN^VAN*", "Nguyễn*", "nguyen^van anh" })
        {
            var found = await QueryAsync($"/dicomweb/studies?PatientName={Uri.EscapeDataString(pattern)}&fuzzymatching=true&StudyInstanceUID={uids}");
            var match = Assert.Single(found);
            Assert.Equal(nguyen.Uid, First(match, "0020000D"));
            Assert.Equal("Nguyễn^Văn Ánh", First(match, "00100010"));
        }

        Assert.Contains(await QueryAsync("/dicomweb/studies?PatientName=nguyen*&fuzzymatching=true&limit=1000"), r => First(r, "0020000D") == nguyen.Uid);
        Assert.Empty(await QueryAsync($"/dicomweb/studies?PatientName=nobody*&fuzzymatching=true&StudyInstanceUID={uids}"));
    }

    [Fact]
    public async Task Limit_and_offset_page_through_results_with_a_warning_when_cut()
    {
        var uids = string.Join(',', _set.Studies.Select(s => s.Uid));
        var all = await QueryAsync($"/dicomweb/series?StudyInstanceUID={uids}");
        Assert.Equal(4, all.Count);

        using var first = await GetAsync($"/dicomweb/series?StudyInstanceUID={uids}&limit=3&offset=0");
        Assert.Equal(3, (await ReadArrayAsync(first)).Count);
        var warning = Assert.Single(first.Headers.NonValidated["Warning"]);
        Assert.StartsWith("299 ", warning, StringComparison.Ordinal);
        Assert.EndsWith($": \"{TruncatedWarning}\"", warning, StringComparison.Ordinal);

        using var second = await GetAsync($"/dicomweb/series?StudyInstanceUID={uids}&limit=3&offset=3");
        var rest = await ReadArrayAsync(second);
        Assert.Single(rest);
        Assert.False(second.Headers.Contains("Warning"));

        var paged = (await QueryAsync($"/dicomweb/series?StudyInstanceUID={uids}&limit=2&offset=0")).Concat(await QueryAsync($"/dicomweb/series?StudyInstanceUID={uids}&limit=2&offset=2"));
        Assert.Equal(all.Select(x => First(x, "0020000E")), paged.Select(x => First(x, "0020000E")));

        using var beyond = await GetAsync($"/dicomweb/series?StudyInstanceUID={uids}&offset=10");
        Assert.Equal(HttpStatusCode.OK, beyond.StatusCode);
        Assert.Empty(await ReadArrayAsync(beyond));
    }

    [Fact]
    public async Task Includefield_takes_lists_repeats_and_all()
    {
        var study = _set.Studies[1];
        var header = DicomFile.Open(await File.ReadAllBytesAsync(study.Series[0].Files[0])).Dataset;
        var plain = Assert.Single(await QueryAsync($"/dicomweb/studies?StudyInstanceUID={study.Uid}"));
        Assert.False(plain.TryGetProperty("00081030", out _));

        var listed = Assert.Single(await QueryAsync($"/dicomweb/studies?StudyInstanceUID={study.Uid}&includefield=00081030,PatientAge"));
        Assert.Equal(study.Description, First(listed, "00081030"));
        Assert.Equal(header.GetString(DicomTag.PatientAge), First(listed, "00101010"));

        var repeated = Assert.Single(await QueryAsync($"/dicomweb/studies?StudyInstanceUID={study.Uid}&includefield=StudyDescription&includefield=00080090"));
        Assert.Equal(study.Description, First(repeated, "00081030"));
        Assert.True(repeated.TryGetProperty("00080090", out _));

        var all = Assert.Single(await QueryAsync($"/dicomweb/studies?StudyInstanceUID={study.Uid}&includefield=all"));
        Assert.Equal(study.Description, First(all, "00081030"));
        Assert.Equal(header.GetString(DicomTag.PatientAge), First(all, "00101010"));
        Assert.True(all.EnumerateObject().Count() > plain.EnumerateObject().Count());
    }

    [Fact]
    public async Task The_queries_ohif_sends_answer_as_ohif_expects()
    {
        using var list = await GetAsync("/dicomweb/studies?PatientName=*doe*&limit=101&offset=0&fuzzymatching=false&includefield=00081030,00080060");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("application/dicom+json", list.Content.Headers.ContentType!.MediaType);
        var doe = Assert.Single(await ReadArrayAsync(list), r => First(r, "0020000D") == UidRoot + ".9.1");
        Assert.Equal("Doe^Jane", First(doe, "00100010"));
        Assert.Equal("Chest CT for OHIF", First(doe, "00081030"));
        Assert.Equal(["CT"], All(doe, "00080061"));
        Assert.Equal("1", First(doe, "00201208"));

        var byId = await QueryAsync("/dicomweb/studies?00100020=QIDO-DOE-1&limit=101&offset=0&fuzzymatching=false&includefield=00081030,00080060");
        Assert.Equal(UidRoot + ".9.1", First(Assert.Single(byId), "0020000D"));
        var emptyKey = await QueryAsync("/dicomweb/studies?00100020=&limit=101&offset=0&fuzzymatching=false&includefield=00081030,00080060");
        Assert.Contains(emptyKey, r => First(r, "0020000D") == _set.Studies[0].Uid && First(r, "00100020") == _set.Studies[0].PatientId);

        var study = _set.Studies[0];
        var series = await QueryAsync($"/dicomweb/studies/{study.Uid}/series?includefield=0008103E&includefield=00080021&includefield=00200011");
        Assert.Equal(2, series.Count);
        Assert.All(series, s => Assert.Equal(study.Series.Single(x => x.Uid == First(s, "0020000E")).Description, First(s, "0008103E")));
    }

    [Fact]
    public async Task Xml_results_are_multipart_native_dicom_models()
    {
        var study = _set.Studies[0];
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/dicomweb/studies/{study.Uid}/series");
        request.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom+xml\"");
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var parts = await Multipart.ReadAsync(response);
        Assert.Equal(2, parts.Count);
        foreach (var (contentType, body) in parts)
        {
            Assert.StartsWith("application/dicom+xml", contentType, StringComparison.Ordinal);
            var xml = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(body));
            Assert.Equal("NativeDicomModel", xml.Root!.Name.LocalName);
            var uid = xml.Root.Elements().Single(e => (string?)e.Attribute("tag") == "0020000E").Value.Trim();
            Assert.Contains(uid, study.Series.Select(s => s.Uid));
        }
    }

    [Fact]
    public async Task Invalid_parameters_and_sql_metacharacters_are_4xx_or_empty_never_5xx()
    {
        var before = await server.InstanceCountAsync();
        var hostile = new[]
        {
            "PatientName=' OR 1=1 --", "PatientID='; DROP TABLE study; --", "StudyDate=2020'", "StudyDate=20200101-'", "StudyInstanceUID=1.2'3",
            "AccessionNumber=%'_\\", "ModalitiesInStudy=CT' OR 'a'='a", "StudyDescription=\"; SELECT pg_sleep(5); --", "PatientName=*\\*", "StudyTime=12:00;",
            "ReferringPhysicianName=)(*", "00100020='", "NumberOfStudyRelatedInstances=1 OR 1=1", "limit=abc", "limit=-1", "offset=1;", "fuzzymatching=maybe",
            "NoSuchKeyword=1", "includefield=NotAKeyword", "0010002=short", "GGGGGGGG=1", "PatientName.PatientID=1", "a.b.c=1", "includefield=00100010.", "StudyDate=99999999",
            "SeriesNumber=x' OR '1", "IssuerOfAccessionNumberSequence.LocalNamespaceEntityID='",
        };
        foreach (var query in hostile)
        {
            var parts = query.Split('=', 2);
            var url = $"/dicomweb/studies?{Uri.EscapeDataString(parts[0])}={Uri.EscapeDataString(parts[1])}";
            using var response = await GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{query}: {(int)response.StatusCode} {text}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.Contains("\"detail\"", text, StringComparison.Ordinal);
            }
        }

        foreach (var path in new[] { "/dicomweb/studies/1.2.3'/series", "/dicomweb/studies/1.2.x/instances", "/dicomweb/studies/1.2.3/series/..%2F..%2Fetc/instances" })
        {
            using var response = await GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        }

        using (var unknown = await GetAsync("/dicomweb/studies?NoSuchKeyword=1"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("NoSuchKeyword", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await server.ServerAliveAsync());
        Assert.NotEmpty(await QueryAsync($"/dicomweb/studies?StudyInstanceUID={_set.Studies[0].Uid}"));
    }

    [Fact]
    public async Task Instances_stored_by_c_store_are_found_by_qido()
    {
        var set = CtDataSet.Generate(server.NewTempDirectory(), seed: 62, UidRoot + ".2", studies: 1, series: 1, instances: 3);
        TestData.Run("storescu", ["-aet", "QIDOTEST", "-aec", "PACS", "127.0.0.1", server.DicomPort.ToString(), .. set.Files]);
        var study = set.Studies[0];
        var found = Assert.Single(await QueryAsync($"/dicomweb/studies?StudyInstanceUID={study.Uid}"));
        Assert.Equal(study.PatientName, First(found, "00100010"));
        Assert.Equal("3", First(found, "00201208"));
        var instances = await QueryAsync($"/dicomweb/studies/{study.Uid}/series/{study.Series[0].Uid}/instances");
        Assert.Equal(study.Series[0].SopInstanceUids.Order(), instances.Select(i => First(i, "00080018")!).Order());
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string accept = "application/dicom+json")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await server.Http.SendAsync(request);
    }

    private static async Task<List<JsonElement>> ReadArrayAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        var root = JsonDocument.Parse(text).RootElement;
        Assert.Equal(JsonValueKind.Array, root.ValueKind);
        return [.. root.EnumerateArray().Select(e => e.Clone())];
    }

    private async Task<List<JsonElement>> QueryAsync(string url)
    {
        using var response = await GetAsync(url);
        return await ReadArrayAsync(response);
    }
}
