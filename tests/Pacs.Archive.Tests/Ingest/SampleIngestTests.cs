using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using Pacs.Archive.Ingest;
using Pacs.Archive.Storage;

namespace Pacs.Archive.Tests.Ingest;

/// <summary>The real samples through the pipeline, checked against what pydicom reads from them.</summary>
[Collection(ArchiveServicesCollection.Name)]
public sealed class SampleIngestTests(ArchiveServicesFixture services)
{
    [Fact]
    public async Task Every_sample_is_archived_or_refused_as_its_uids_demand_and_indexed_as_pydicom_reads_it()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var store = (FileSystemBlobStore)archive.Blobs;
        var references = ReadReferences(TestData.AllSampleFiles());
        Assert.True(references.Count > 60, $"only {references.Count} samples have a File Meta Information");

        // Ingest in file order; for each SOP / series / study the last file that carried it is what the index must show.
        var lastBySop = new Dictionary<string, JsonElement>();
        var stored = 0;
        foreach (var reference in references)
        {
            var file = reference.GetProperty("file").GetString()!;
            var result = await archive.Pipeline.IngestFileAsync(file, "MODALITY1");
            if (result.Status == IngestStatus.CannotUnderstand)
            {
                // Only files DCMTK rejects too may be refused as unreadable.
                Assert.NotEqual(0, TestData.Run("dcmdump", ["-q", file], check: false).ExitCode);
                Assert.Equal(0xC000, result.DimseStatus);
                continue;
            }

            if (reference.GetProperty("valid").GetBoolean())
            {
                Assert.True(result.IsSuccess, $"{Path.GetFileName(file)}: {result.Status} {result.ErrorComment}");
                Assert.Equal(0x0000, result.DimseStatus);
                Assert.Equal(reference.GetProperty("SOPInstanceUID").GetString(), result.SopInstanceUid);
                lastBySop[result.SopInstanceUid!] = reference;
                stored++;
            }
            else
            {
                Assert.False(result.IsSuccess, Path.GetFileName(file));
                Assert.Equal(IngestStatus.InvalidDataset, result.Status);
                Assert.Equal(0xA900, result.DimseStatus);
            }
        }

        Assert.True(stored > 50, $"only {stored} samples stored");
        Assert.Equal(lastBySop.Count, await archive.ScalarAsync<long>("SELECT count(*) FROM instance"));
        Assert.Equal(0L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version WHERE state = 'creating'"));
        Assert.Equal(lastBySop.Count, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version"));

        // Instance level: typed columns equal pydicom's values.
        foreach (var (sop, r) in lastBySop)
        {
            var row = (await archive.RowsAsync("""
                SELECT i.sop_class_uid, se.series_instance_uid, st.study_instance_uid, i.instance_number, i.rows, i.columns,
                       i.transfer_syntax_uid, v.blob_key, i.size, i.dataset_hash, v.source_ae
                  FROM instance i JOIN series se USING (series_pk) JOIN study st USING (study_pk)
                  JOIN instance_version v ON v.version_pk = i.current_version_pk
                 WHERE i.sop_instance_uid = @sop
                """, ("sop", sop))).Single();
            Assert.Equal(r.GetProperty("SOPClassUID").GetString(), row[0]);
            Assert.Equal(r.GetProperty("SeriesInstanceUID").GetString(), row[1]);
            Assert.Equal(r.GetProperty("StudyInstanceUID").GetString(), row[2]);
            Assert.Equal(IntOrNull(r, "InstanceNumber"), row[3] as int?);
            Assert.Equal(IntOrNull(r, "Rows"), row[4] as int?);
            Assert.Equal(IntOrNull(r, "Columns"), row[5] as int?);
            Assert.Equal(r.GetProperty("ts").GetString(), row[6]);
            Assert.Equal("MODALITY1", row[10]);

            // The blob is there, with the size the index holds and the XXH128 of its dataset part.
            var bytes = await File.ReadAllBytesAsync(Path.Combine(store.RootDirectory, (string)row[7]!));
            Assert.Equal((long)row[8]!, bytes.LongLength);
            var (datasetOffset, _) = await Part10Layout.ReadAsync(new MemoryStream(bytes));
            Assert.Equal((byte[])row[9]!, XxHash128.Hash(bytes.AsSpan((int)datasetOffset)));
        }

        // Series and study level, from the last file naming each.
        foreach (var r in lastBySop.Values.GroupBy(r => r.GetProperty("SeriesInstanceUID").GetString()!).Select(g => g.Last()))
        {
            var row = (await archive.RowsAsync("SELECT modality, series_number FROM series WHERE series_instance_uid = @uid",
                ("uid", r.GetProperty("SeriesInstanceUID").GetString()!))).Single();
            Assert.Equal(TextOrNull(r, "Modality"), row[0]);
            Assert.Equal(IntOrNull(r, "SeriesNumber"), row[1] as int?);
        }

        foreach (var r in lastBySop.Values.GroupBy(r => r.GetProperty("StudyInstanceUID").GetString()!).Select(g => g.Last()))
        {
            var row = (await archive.RowsAsync("SELECT study_date, accession_number, study_description FROM study WHERE study_instance_uid = @uid",
                ("uid", r.GetProperty("StudyInstanceUID").GetString()!))).Single();
            var date = TextOrNull(r, "StudyDate");
            if (date is not null && DateOnly.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                Assert.Equal(d, row[0] is DateTime dt ? DateOnly.FromDateTime(dt) : (DateOnly?)row[0]);
            }

            Assert.Equal(TextOrNull(r, "AccessionNumber"), row[1]);
            Assert.Equal(TextOrNull(r, "StudyDescription"), row[2]);
        }

        // Aggregates exact: counts from the final SOP → series → study mapping, sizes from the blobs.
        var bySeries = lastBySop.GroupBy(kv => kv.Value.GetProperty("SeriesInstanceUID").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (series, count) in bySeries)
        {
            var row = (await archive.RowsAsync("SELECT number_of_series_related_instances, series_size, (SELECT sum(size) FROM instance i WHERE i.series_pk = s.series_pk) FROM series s WHERE series_instance_uid = @uid", ("uid", series))).Single();
            Assert.Equal(count, (int)row[0]!);
            Assert.Equal((long)row[1]!, (long)(decimal)row[2]!);
        }

        var byStudy = lastBySop.Values.GroupBy(r => r.GetProperty("StudyInstanceUID").GetString()!);
        foreach (var study in byStudy)
        {
            var row = (await archive.RowsAsync("""
                SELECT number_of_study_related_instances, number_of_study_related_series, study_size, modalities_in_study
                  FROM study WHERE study_instance_uid = @uid
                """, ("uid", study.Key))).Single();
            Assert.Equal(study.Count(), (int)row[0]!);
            Assert.Equal(study.Select(r => r.GetProperty("SeriesInstanceUID").GetString()).Distinct().Count(), (int)row[1]!);
            long blobBytes = 0;
            foreach (var r in study)
            {
                var key = (await archive.RowsAsync("SELECT v.blob_key FROM instance i JOIN instance_version v ON v.version_pk = i.current_version_pk WHERE i.sop_instance_uid = @s",
                    ("s", r.GetProperty("SOPInstanceUID").GetString()!))).Single()[0]!;
                blobBytes += (await store.GetInfoAsync((string)key))!.Length;
            }

            Assert.Equal(blobBytes, (long)row[2]!);
            var expectedModalities = study.GroupBy(r => r.GetProperty("SeriesInstanceUID").GetString()).Select(g => TextOrNull(g.Last(), "Modality"))
                .Where(m => m is not null).Distinct().Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(expectedModalities, (string[])row[3]!);
        }

        Assert.Equal(lastBySop.Count, (int)(await archive.ScalarAsync<long>("SELECT sum(number_of_patient_related_instances) FROM patient")));
        Assert.Equal(lastBySop.Count, (await archive.BlobKeysAsync()).Count);

        // The stored objects are the received datasets behind a regenerated meta: pydicom finds them equal to the originals.
        var pairs = new List<string>();
        foreach (var (sop, r) in lastBySop)
        {
            var key = (string)(await archive.RowsAsync("SELECT v.blob_key FROM instance i JOIN instance_version v ON v.version_pk = i.current_version_pk WHERE i.sop_instance_uid = @s", ("s", sop))).Single()[0]!;
            pairs.Add(r.GetProperty("file").GetString()!);
            pairs.Add(Path.Combine(store.RootDirectory, key));
        }

        var compared = TestData.Run("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Ingest", "compare_stored.py"), .. pairs]).StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(lastBySop.Count, compared.Count);
        Assert.All(compared, c =>
        {
            Assert.True(c.GetProperty("equal").GetBoolean(), c.GetProperty("original").GetString());
            Assert.True(c.GetProperty("meta").GetBoolean(), c.GetProperty("original").GetString());
            Assert.Equal("MODALITY1", c.GetProperty("source_ae").GetString());
        });
    }

    internal static List<JsonElement> ReadReferences(IEnumerable<string> files)
    {
        var output = TestData.Run("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Ingest", "sample_reference.py"), .. files]).StdOut;
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => !e.TryGetProperty("skip", out _))
            .ToList();
    }

    private static int? IntOrNull(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static string? TextOrNull(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
