using System.Diagnostics;
using Pacs.Archive.Ingest;
using Pacs.Archive.Storage;
using Pacs.Dicom;
using Pacs.Dicom.IO;
using Xunit.Abstractions;

namespace Pacs.Archive.Tests.Ingest;

[Collection(ArchiveServicesCollection.Name)]
public sealed class ConcurrencyTests(ArchiveServicesFixture services, ITestOutputHelper output)
{
    [Theory]
    [InlineData("filesystem")]
    [InlineData("s3")]
    public async Task Eight_concurrent_ingests_into_one_study_give_exact_counts(string storage)
    {
        IBlobStore blobs = storage == "s3" ? new S3BlobStore(services.NewS3Options()) : new FileSystemBlobStore(services.NewTempDirectory());
        if (blobs is S3BlobStore s3)
        {
            await s3.EnsureBucketAsync();
        }

        await using var archive = await ArchiveHarness.CreateAsync(services, blobs);
        var template = (await DicomFile.OpenAsync(TestData.Sample("pyd_CT_small.dcm"))).Dataset;
        var sopClass = template.GetString(DicomTag.SOPClassUID);
        var study = DicomUid.Generate();
        var series = new[] { DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate() };
        const int Associations = 8;
        var perAssociation = storage == "s3" ? 15 : 40;

        // Encoded up front so the measured time is the archive's (the CT sample is 39 kB, 128×128).
        var work = Enumerable.Range(0, Associations).Select(a => Enumerable.Range(0, perAssociation)
            .Select(i =>
            {
                var sop = DicomUid.Generate();
                return (Sop: sop, Bytes: DicomDatasetWriter.ToBytes(Datasets.CtWithUids(template, study, series[(a + i) % series.Length], sop), DicomTransferSyntax.ExplicitVRLittleEndian));
            })
            .ToList()).ToList();

        var (batchesBefore, commitsBefore) = archive.Index.CommitStatistics;
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(work.Select(datasets => Task.Run(async () =>
        {
            var statuses = new List<IngestResult>();
            // The C-STORE path: each dataset streamed once into a staged blob, as it comes off the network.
            foreach (var (sop, bytes) in datasets)
            {
                var request = new IngestRequest(new ForwardOnlyStream(new MemoryStream(bytes, writable: false)), DicomTransferSyntax.ExplicitVRLittleEndian, "SCU")
                {
                    AffectedSopClassUid = sopClass,
                    AffectedSopInstanceUid = sop,
                };
                statuses.Add(await archive.Pipeline.IngestStreamAsync(request));
            }

            return statuses;
        })));
        clock.Stop();

        var all = results.SelectMany(r => r).ToList();
        Assert.All(all, r => Assert.Equal(IngestStatus.Stored, r.Status));
        var total = Associations * perAssociation;
        var (batches, commits) = archive.Index.CommitStatistics;
        output.WriteLine($"{storage}: {total} instances on {Associations} concurrent ingests in {clock.Elapsed.TotalSeconds:F2} s = {total / clock.Elapsed.TotalSeconds:F0} instances/s; {batches - batchesBefore} commit transactions for {commits - commitsBefore} commits (mean batch {(double)(commits - commitsBefore) / (batches - batchesBefore):F1})");

        var row = (await archive.RowsAsync("SELECT number_of_study_related_instances, number_of_study_related_series, study_size FROM study WHERE study_instance_uid = @u", ("u", study))).Single();
        Assert.Equal(total, (int)row[0]!);
        Assert.Equal(series.Length, (int)row[1]!);
        Assert.Equal(await archive.ScalarAsync<decimal>("SELECT sum(size) FROM instance"), (long)row[2]!);
        var perSeries = await archive.RowsAsync("SELECT series_instance_uid, number_of_series_related_instances FROM series ORDER BY 1");
        foreach (var s in perSeries)
        {
            var expected = Enumerable.Range(0, Associations).Sum(a => Enumerable.Range(0, perAssociation).Count(i => series[(a + i) % series.Length] == (string)s[0]!));
            Assert.Equal(expected, (int)s[1]!);
        }

        Assert.Equal((long)total, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version WHERE state = 'created'"));
        Assert.Equal(1, await archive.ScalarAsync<int>("SELECT number_of_patient_related_studies FROM patient"));
        Assert.Equal(total, await archive.ScalarAsync<int>("SELECT number_of_patient_related_instances FROM patient"));
        Assert.Equal(total, (await archive.BlobKeysAsync(study + "/")).Count);
    }
}
