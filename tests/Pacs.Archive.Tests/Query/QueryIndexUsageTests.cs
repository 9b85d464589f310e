using Pacs.Archive.Query;
using Pacs.Dicom;
using Xunit.Abstractions;
using static Pacs.Archive.Tests.Query.QueryCorpus;

namespace Pacs.Archive.Tests.Query;

/// <summary>
/// Every common query path is index-backed: EXPLAIN on an index with thousands of synthetic patients, studies, series and
/// instances (plus the ingested corpus) shows no sequential scan of the large tables.
/// </summary>
[Collection(ArchiveServicesCollection.Name)]
public sealed class QueryIndexUsageTests(ArchiveServicesFixture services, ITestOutputHelper output)
{
    private static readonly string[] LargeTables = ["patient", "study", "series", "instance", "instance_version"];

    [Fact]
    public async Task Common_queries_use_indexes_on_a_populated_index()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        await PopulateAsync(corpus.Archive, patients: 10000);
        Assert.True(await corpus.Archive.ScalarAsync<long>("SELECT count(*) FROM instance") > 30000);

        var queries = new (string Name, ArchiveQuery Query)[]
        {
            ("PatientName wildcard", Study(false, (DicomTag.PatientName, "nguyen*"))),
            ("PatientName leading wildcard", Study(false, (DicomTag.PatientName, "*van anh"))),
            ("PatientName exact", Study(false, (DicomTag.PatientName, "Nguyễn^Văn Ánh"))),
            ("PatientID", Study(false, (DicomTag.PatientID, "PID001234"))),
            ("PatientID wildcard", Study(false, (DicomTag.PatientID, "*001234"))),
            ("StudyDate range", Study(false, (DicomTag.StudyDate, "20200101-20200105"))),
            ("AccessionNumber", Study(false, (DicomTag.AccessionNumber, "A0001234"))),
            ("StudyInstanceUID", Study(false, (DicomTag.StudyInstanceUID, corpus.Study("A1")))),
            ("ModalitiesInStudy", Study(false, (DicomTag.ModalitiesInStudy, "PT"))),
            ("Modality relational", Study(true, (DicomTag.Modality, "PT"))),
            ("Modality series", Find(QueryRoot.StudyRoot, "SERIES", true, (DicomTag.Modality, "PT"))),
            ("Series of a study", Find(QueryRoot.StudyRoot, "SERIES", false, (DicomTag.StudyInstanceUID, corpus.Study("A1")))),
            ("SeriesInstanceUID", Find(QueryRoot.StudyRoot, "SERIES", true, (DicomTag.SeriesInstanceUID, corpus.Series("A1-CT")))),
            ("Images of a series", Find(QueryRoot.StudyRoot, "IMAGE", false, (DicomTag.StudyInstanceUID, corpus.Study("A1")), (DicomTag.SeriesInstanceUID, corpus.Series("A1-CT")))),
            ("SOPInstanceUID", Find(QueryRoot.StudyRoot, "IMAGE", true, (DicomTag.SOPInstanceUID, corpus.Sop("A1-CT-1")))),
            ("Patient level name", Find(QueryRoot.PatientRoot, "PATIENT", false, (DicomTag.PatientName, "nguyen*"))),
            ("Combined date-time", Study(false, (DicomTag.StudyDate, "20200101-20200105"), (DicomTag.StudyTime, "2000-0600")) with { CombinedDateTimeMatching = true }),
            ("Patient root studies", Find(QueryRoot.PatientRoot, "STUDY", false, (DicomTag.PatientID, "PID001234"))),
        };

        foreach (var (name, query) in queries)
        {
            var plan = await corpus.Service.ExplainAsync(query);
            output.WriteLine($"== {name}\n{plan}");
            foreach (var table in LargeTables)
            {
                Assert.False(plan.Contains($"Seq Scan on {table} ", StringComparison.Ordinal), $"{name}: sequential scan of {table}\n{plan}");
            }

            // The query still answers: the corpus rows are found among the synthetic ones.
            Assert.True(await corpus.Service.CountAsync(query) >= 0);
        }

        Assert.Equal(corpus.Studies("A1", "A2", "D1"), Values(await corpus.FindAsync(queries[0].Query), DicomTag.StudyInstanceUID));
        Assert.Equal(10L, await corpus.Service.CountAsync(queries[8].Query));
    }

    private static ArchiveQuery Study(bool relational, params (DicomTag Tag, string Value)[] keys) =>
        Find(QueryRoot.StudyRoot, "STUDY", relational,
            [.. keys, .. new[] { DicomTag.PatientName, DicomTag.StudyDate, DicomTag.ModalitiesInStudy }.Where(t => keys.All(k => k.Tag != t)).Select(t => (t, string.Empty))]);

    private static ArchiveQuery Find(QueryRoot root, string level, bool relational, params (DicomTag Tag, string Value)[] keys) =>
        ArchiveQuery.FromIdentifier(Identifier(level, keys), root, relational);

    /// <summary>
    /// Synthetic rows straight into the tables, then VACUUM ANALYZE as autovacuum would: right after a bulk insert the GIN
    /// indexes still hold everything in their pending list, which makes the planner price them above a scan.
    /// Random names, one study per patient, 2 series of 2 instances, one PT study in a thousand.
    /// </summary>
    private static async Task PopulateAsync(ArchiveHarness archive, int patients)
    {
        await PopulateRowsAsync(archive, patients);
        await archive.ScalarAsync<object>("VACUUM ANALYZE");
    }

    /// <summary>Synthetic rows straight into the tables: random names, one study per patient, 2 series of 2 instances, one PT study in a thousand.</summary>
    private static async Task PopulateRowsAsync(ArchiveHarness archive, int patients)
    {
        await archive.ScalarAsync<object>("""
            INSERT INTO patient (patient_id, patient_name, patient_name_key, patient_birth_date)
            SELECT 'PID' || lpad(g::text, 6, '0'), n, pacs_search_key(n), date '1940-01-01' + ((g * 7) % 25000)::integer
              FROM generate_series(1, @n) g,
                   LATERAL (SELECT upper(substr(md5(g::text), 1, 8)) || '^' || upper(substr(md5((g * 31)::text), 1, 6)) AS n) x
            """, ("n", patients));
        await archive.ScalarAsync<object>("""
            INSERT INTO study (patient_pk, study_instance_uid, study_date, study_time, accession_number, study_id, modalities_in_study,
                               number_of_study_related_series, number_of_study_related_instances)
            SELECT patient_pk, '1.2.826.0.1.3680043.10.999.' || patient_pk, date '2015-01-01' + ((patient_pk * 13) % 3650)::integer,
                   time '08:00' + (patient_pk % 600) * interval '1 minute', 'A' || lpad(patient_pk::text, 7, '0'), 'S' || patient_pk,
                   CASE WHEN patient_pk % 1000 = 0 THEN '{PT}'::text[] ELSE '{CT}'::text[] END, 2, 4
              FROM patient WHERE patient_id LIKE 'PID%'
            """);
        await archive.ScalarAsync<object>("""
            INSERT INTO series (study_pk, series_instance_uid, modality, series_number, number_of_series_related_instances)
            SELECT st.study_pk, st.study_instance_uid || '.' || k, m.modalities_in_study[1], k, 2
              FROM study st JOIN study m USING (study_pk), generate_series(1, 2) k
             WHERE st.study_instance_uid LIKE '1.2.826.0.1.3680043.10.999.%'
            """);
        await archive.ScalarAsync<object>("""
            WITH v AS (
                INSERT INTO instance_version (sop_instance_uid, series_instance_uid, study_instance_uid, state, blob_key, transfer_syntax_uid, size, committed_at)
                SELECT se.series_instance_uid || '.' || k, se.series_instance_uid, st.study_instance_uid, 'created',
                       'synthetic/' || se.series_instance_uid || '.' || k, '1.2.840.10008.1.2.1', 1000, now()
                  FROM series se JOIN study st USING (study_pk), generate_series(1, 2) k
                 WHERE st.study_instance_uid LIKE '1.2.826.0.1.3680043.10.999.%'
                RETURNING version_pk, sop_instance_uid, series_instance_uid)
            INSERT INTO instance (series_pk, sop_instance_uid, sop_class_uid, instance_number, transfer_syntax_uid, current_version_pk, size, dataset_hash)
            SELECT se.series_pk, v.sop_instance_uid, '1.2.840.10008.5.1.4.1.1.2', right(v.sop_instance_uid, 1)::integer,
                   '1.2.840.10008.1.2.1', v.version_pk, 1000, '\x00'::bytea
              FROM v JOIN series se USING (series_instance_uid)
            """);
    }
}
