using Pacs.Archive.Query;
using Pacs.Archive.Retrieve;
using Pacs.Archive.Storage;
using Pacs.Archive.Tests.Ingest;
using Pacs.Dicom;
using Pacs.Dicom.IO;

namespace Pacs.Archive.Tests.Retrieve;

[Collection(ArchiveServicesCollection.Name)]
public sealed class RetrieveServiceTests(ArchiveServicesFixture services)
{
    private static readonly string[] Samples =
    [
        "pyd_CT_small.dcm", "pyd_MR_small.dcm", "pyd_MR_small_implicit.dcm", "pyd_MR_small_bigendian.dcm", "pyd_image_dfl.dcm",
        "pyd_SC_rgb_jpeg_dcmtk.dcm", "pydd_JPEG-LL.dcm",
    ];

    [Fact]
    public async Task Samples_are_listed_by_their_uids_and_their_datasets_read_back_equal_to_the_originals()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        await CheckSamplesAsync(archive);
    }

    [Fact]
    public async Task Samples_come_back_equal_from_the_s3_store()
    {
        var store = new S3BlobStore(services.NewS3Options());
        await store.EnsureBucketAsync();
        await using var archive = await ArchiveHarness.CreateAsync(services, store);
        await CheckSamplesAsync(archive);
    }

    [Fact]
    public async Task Identifiers_select_studies_series_and_instances_in_series_and_instance_number_order()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var retrieve = new RetrieveService(archive.Index, archive.Blobs);
        var study = DicomUid.Generate();
        var other = DicomUid.Generate();
        var series = new[] { DicomUid.Generate(), DicomUid.Generate() };
        var expected = new List<string>();

        // Series number 2 is stored first and instances in reverse: the listing still follows the numbers.
        foreach (var (seriesUid, number) in new[] { (series[1], 2), (series[0], 1) })
        {
            for (var n = 3; n >= 1; n--)
            {
                var ds = Datasets.Synthetic(study, seriesUid, DicomUid.Generate(), "Nguyễn^Văn Ánh", "VN001", "CT");
                ds.AddOrUpdate(DicomTag.SeriesNumber, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                ds.AddOrUpdate(DicomTag.InstanceNumber, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.True((await archive.Pipeline.IngestAsync(new Pacs.Archive.Ingest.IngestRequest(Datasets.Encode(ds), DicomTransferSyntax.ExplicitVRLittleEndian, "M"))).IsSuccess);
                expected.Add($"{number}/{n}/{ds.GetString(DicomTag.SOPInstanceUID)}");
            }
        }

        var unrelated = Datasets.Synthetic(other, DicomUid.Generate(), DicomUid.Generate(), "Lê^Thị Hồng", "VN002");
        Assert.True((await archive.Pipeline.IngestAsync(new Pacs.Archive.Ingest.IngestRequest(Datasets.Encode(unrelated), DicomTransferSyntax.ExplicitVRLittleEndian, "M"))).IsSuccess);
        expected.Sort(StringComparer.Ordinal);
        var expectedSops = expected.Select(e => e.Split('/')[2]).ToList();

        var byStudy = await retrieve.ListInstancesAsync(Identifier("STUDY", (DicomTag.StudyInstanceUID, study)), QueryRoot.StudyRoot);
        Assert.Equal(expectedSops, byStudy.Select(i => i.SopInstanceUid));
        Assert.All(byStudy, i => Assert.Equal(study, i.StudyInstanceUid));

        var bySeries = await retrieve.ListInstancesAsync(Identifier("SERIES", (DicomTag.StudyInstanceUID, study), (DicomTag.SeriesInstanceUID, series[1])), QueryRoot.StudyRoot);
        Assert.Equal(expectedSops.Skip(3), bySeries.Select(i => i.SopInstanceUid));

        var list = $"{expectedSops[4]}\\{expectedSops[0]}";
        var byInstances = await retrieve.ListInstancesAsync(Identifier("IMAGE", (DicomTag.StudyInstanceUID, study), (DicomTag.SeriesInstanceUID, $"{series[0]}\\{series[1]}"), (DicomTag.SOPInstanceUID, list)), QueryRoot.StudyRoot);
        Assert.Equal([expectedSops[0], expectedSops[4]], byInstances.Select(i => i.SopInstanceUid));

        var byPatient = await retrieve.ListInstancesAsync(Identifier("PATIENT", (DicomTag.PatientID, "VN002")), QueryRoot.PatientRoot);
        Assert.Equal([unrelated.GetString(DicomTag.SOPInstanceUID)], byPatient.Select(i => i.SopInstanceUid));

        var relational = await retrieve.ListInstancesAsync(Identifier("IMAGE", (DicomTag.SOPInstanceUID, expectedSops[2])), QueryRoot.StudyRoot, relational: true);
        Assert.Equal([expectedSops[2]], relational.Select(i => i.SopInstanceUid));

        Assert.Empty(await retrieve.ListInstancesAsync(Identifier("STUDY", (DicomTag.StudyInstanceUID, "1.2.3.4")), QueryRoot.StudyRoot));
        Assert.Empty(await retrieve.ListInstancesAsync(Identifier("STUDY", (DicomTag.StudyInstanceUID, "'; DROP TABLE instance; --")), QueryRoot.StudyRoot));
        Assert.Equal(7L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance"));
        Assert.Throws<QueryException>(() => RetrieveService.ParseIdentifier(Identifier("IMAGE", (DicomTag.SOPInstanceUID, expectedSops[2])), QueryRoot.StudyRoot));
        Assert.Throws<QueryException>(() => RetrieveService.ParseIdentifier(Identifier("SERIES", (DicomTag.StudyInstanceUID, study)), QueryRoot.StudyRoot));
        Assert.Throws<QueryException>(() => RetrieveService.ParseIdentifier(Identifier("PATIENT", (DicomTag.PatientID, "VN002")), QueryRoot.StudyRoot));
    }

    private static async Task CheckSamplesAsync(ArchiveHarness archive)
    {
        var retrieve = new RetrieveService(archive.Index, archive.Blobs);
        var originals = new Dictionary<string, DicomFile>();
        foreach (var name in Samples)
        {
            var path = TestData.Sample(name);
            var result = await archive.Pipeline.IngestFileAsync(path, "MOD");
            Assert.True(result.IsSuccess, $"{name}: {result.Status} {result.ErrorComment}");
            originals[result.SopInstanceUid!] = DicomFile.Open(path, new DicomReadOptions());
        }

        var studies = originals.Values.Select(f => f.Dataset.GetString(DicomTag.StudyInstanceUID)).Distinct().ToList();
        var request = new RetrieveRequest { StudyInstanceUids = studies };
        var instances = await retrieve.ListInstancesAsync(request);
        Assert.Equal(originals.Keys.Order(StringComparer.Ordinal), instances.Select(i => i.SopInstanceUid).Order(StringComparer.Ordinal));
        foreach (var instance in instances)
        {
            var original = originals[instance.SopInstanceUid];
            var current = (await archive.Index.GetCurrentVersionAsync(instance.SopInstanceUid))!;
            Assert.Equal(current.BlobKey, instance.BlobKey);
            Assert.Equal(current.Size, instance.Size);
            Assert.Equal(original.Dataset.GetString(DicomTag.SOPClassUID), instance.SopClassUid);
            Assert.Equal(original.TransferSyntax.UidValue, instance.TransferSyntaxUid);
            Assert.Equal(original.Dataset.GetString(DicomTag.SeriesInstanceUID), instance.SeriesInstanceUid);

            await using (var opened = await retrieve.OpenDatasetAsync(instance))
            {
                Assert.Equal(original.TransferSyntax.UidValue, opened.TransferSyntax.UidValue);
                var bytes = new MemoryStream();
                await opened.Dataset.CopyToAsync(bytes);
                Assert.Equal(opened.Length, bytes.Length);
                var dataset = DicomDatasetReader.Read(bytes.ToArray(), opened.TransferSyntax);
                DatasetAssert.Equal(original.Dataset, dataset);
            }

            var file = await retrieve.OpenFileAsync(instance);
            await using (file)
            {
                var copy = new MemoryStream();
                await file.CopyToAsync(copy);
                Assert.Equal(instance.Size, copy.Length);
                var parsed = DicomFile.Open(copy.ToArray(), new DicomReadOptions());
                Assert.Equal(instance.SopInstanceUid, parsed.FileMetaInformation.GetString(DicomTag.MediaStorageSOPInstanceUID));
                DatasetAssert.Equal(original.Dataset, parsed.Dataset);
            }
        }
    }

    private static DicomDataset Identifier(string level, params (DicomTag Tag, string Value)[] keys)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.QueryRetrieveLevel, level);
        foreach (var (tag, value) in keys)
        {
            ds.AddOrUpdate(tag, value);
        }

        return ds;
    }
}
