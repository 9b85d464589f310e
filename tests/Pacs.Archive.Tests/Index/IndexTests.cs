using Npgsql;
using Pacs.Archive.Index;
using Pacs.Archive.Ingest;
using Pacs.Archive.Maintenance;
using Pacs.Archive.Tests.Ingest;
using Pacs.Dicom;

namespace Pacs.Archive.Tests.Index;

[Collection(ArchiveServicesCollection.Name)]
public sealed class IndexTests(ArchiveServicesFixture services)
{
    [Fact]
    public async Task Migrations_apply_once_even_when_several_nodes_start_together_and_are_idempotent()
    {
        var connectionString = await services.CreateSchemaAsync();
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
        try
        {
            var applied = await Task.WhenAll(sources.Select(s => SchemaMigrator.MigrateAsync(s)));
            Assert.Single(applied, a => a.Count > 0);
            Assert.Equal(Enumerable.Range(1, SchemaMigrator.LatestVersion), applied.Single(a => a.Count > 0));
            Assert.Empty(await SchemaMigrator.MigrateAsync(sources[0]));
            Assert.Equal(SchemaMigrator.LatestVersion, await SchemaMigrator.GetVersionAsync(sources[0]));
            await using var count = sources[0].CreateCommand("SELECT count(*) FROM schema_version");
            Assert.Equal((long)SchemaMigrator.LatestVersion, (long)(await count.ExecuteScalarAsync())!);
        }
        finally
        {
            foreach (var s in sources)
            {
                await s.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Commits_of_one_series_that_meet_in_a_batch_keep_outcomes_and_aggregates_exact()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var study = DicomUid.Generate();
        var series = DicomUid.Generate();
        var resent = DicomUid.Generate();
        var sops = Enumerable.Range(0, 12).Select(_ => DicomUid.Generate()).Append(resent).Append(resent).ToList();
        var reservations = new List<Reservation>();
        foreach (var sop in sops)
        {
            reservations.Add(await archive.Index.ReserveAsync(study, series, sop, DicomTransferSyntax.ExplicitVRLittleEndian.UidValue, "BATCH"));
        }

        // Enqueued together, so they share transactions: one series call, and the SOP Instance sent twice in it.
        string[] classes = [DicomUid.CTImageStorage.Value, DicomUid.MRImageStorage.Value];
        var requests = reservations.Select((r, i) =>
        {
            var dataset = Datasets.Synthetic(study, series, r.SopInstanceUid);
            dataset.AddOrUpdate(DicomTag.SOPClassUID, classes[i % 2]);
            return new CommitRequest(r, IndexAttributeExtractor.Extract(dataset), 1000 + i, [(byte)i, .. new byte[15]], DuplicatePolicy.Replace, "{}");
        });
        var results = await Task.WhenAll(requests.Select(r => archive.Index.CommitAsync(r)));

        Assert.All(results.Take(12), r => Assert.Equal(CommitOutcome.Created, r.Outcome));
        Assert.Equal([CommitOutcome.Created, CommitOutcome.Replaced], results.Skip(12).Select(r => r.Outcome).Order());
        var replaced = results[12].Outcome == CommitOutcome.Replaced ? 12 : 13;
        Assert.Equal(reservations[25 - replaced].BlobKey, results[replaced].ObsoleteBlobKey);

        var instances = await archive.ScalarAsync<long>("SELECT count(*) FROM instance i JOIN series se USING (series_pk) WHERE se.series_instance_uid = @s", ("s", series));
        Assert.Equal(13L, instances);
        Assert.Equal(13L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version WHERE series_instance_uid = @s AND state = 'created'", ("s", series)));
        var row = Assert.Single(await archive.RowsAsync("""
            SELECT se.number_of_series_related_instances, se.series_size, st.number_of_study_related_instances, st.study_size,
                   st.number_of_study_related_series, st.sop_classes_in_study, p.number_of_patient_related_instances
              FROM series se JOIN study st USING (study_pk) JOIN patient p USING (patient_pk) WHERE se.series_instance_uid = @s
            """, ("s", series)));
        var size = (long)Enumerable.Range(0, 12).Sum(i => 1000 + i) + 1000 + replaced;
        Assert.Equal(13, row[0]);
        Assert.Equal(size, row[1]);
        Assert.Equal(13, row[2]);
        Assert.Equal(size, row[3]);
        Assert.Equal(1, row[4]);
        Assert.Equal(classes.Order(StringComparer.Ordinal), (string[])row[5]!);
        Assert.Equal(13, row[6]);
    }

    [Theory]
    [InlineData("nguyen")]
    [InlineData("NGUYEN VAN")]
    [InlineData("anh")]
    [InlineData("Nguyễn^Văn")]
    public async Task A_vietnamese_name_is_found_by_its_accent_free_search_key(string query)
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var study = DicomUid.Generate();
        var viet = Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate(), patientName: "Nguyễn^Văn Ánh", patientId: "VN1");
        Assert.True((await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(viet), DicomTransferSyntax.ExplicitVRLittleEndian, "VN"))).IsSuccess);
        var other = Datasets.Synthetic(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate(), patientName: "Trần^Thị Bích", patientId: "VN2");
        Assert.True((await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(other), DicomTransferSyntax.ExplicitVRLittleEndian, "VN"))).IsSuccess);

        // The raw name is kept as decoded from ISO_IR 192; the key is lower case without diacritics.
        var rows = await archive.RowsAsync("SELECT patient_name, patient_name_key FROM patient WHERE patient_name_key LIKE '%' || pacs_search_key(@q) || '%'", ("q", query));
        var row = Assert.Single(rows);
        Assert.Equal("Nguyễn^Văn Ánh", row[0]);
        Assert.Equal("nguyen van anh", row[1]);

        // And the match is served by the trigram index, not a scan.
        await using var connection = await archive.Index.DataSource.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN SELECT patient_pk FROM patient WHERE patient_name_key LIKE '%' || pacs_search_key(@q) || '%'", connection);
        explain.Parameters.AddWithValue("q", query);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, l => l.Contains("patient_name_key_trgm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deletes_remove_index_rows_and_blobs_and_keep_aggregates_exact()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var study = DicomUid.Generate();
        var seriesA = DicomUid.Generate();
        var seriesB = DicomUid.Generate();
        var sops = new List<string>();
        foreach (var (series, modality) in new[] { (seriesA, "CT"), (seriesA, "CT"), (seriesA, "CT"), (seriesB, "SR"), (seriesB, "SR") })
        {
            var sop = DicomUid.Generate();
            sops.Add(sop);
            var result = await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(Datasets.Synthetic(study, series, sop, modality: modality)), DicomTransferSyntax.ExplicitVRLittleEndian, null));
            Assert.True(result.IsSuccess);
        }

        var deletion = new ArchiveDeletion(archive.Index, archive.Blobs);
        Assert.Equal(1, await deletion.DeleteInstanceAsync(sops[0]));
        Assert.Equal((4, 2), await StudyCountsAsync(archive, study));
        Assert.Equal(2, await deletion.DeleteSeriesAsync(seriesB));
        Assert.Equal((2, 1), await StudyCountsAsync(archive, study));
        Assert.Equal("CT", Assert.Single((await archive.ScalarAsync<string[]>("SELECT modalities_in_study FROM study WHERE study_instance_uid = @u", ("u", study)))!));
        Assert.Equal(2, (await archive.BlobKeysAsync()).Count);
        Assert.Equal(2, await deletion.DeleteStudyAsync(study));
        Assert.Empty(await archive.BlobKeysAsync());
        Assert.Equal(0L, await archive.ScalarAsync<long>("SELECT count(*) FROM study"));
        Assert.Equal(0L, await archive.ScalarAsync<long>("SELECT count(*) FROM patient"));
        Assert.Equal(0L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version"));
        Assert.Equal(0, await deletion.DeleteStudyAsync(study));
    }

    private static async Task<(int Instances, int Series)> StudyCountsAsync(ArchiveHarness archive, string study)
    {
        var row = (await archive.RowsAsync("SELECT number_of_study_related_instances, number_of_study_related_series FROM study WHERE study_instance_uid = @u", ("u", study))).Single();
        return ((int)row[0]!, (int)row[1]!);
    }
}
