using Pacs.Archive.Query;
using Pacs.Dicom;
using Pacs.Dicom.IO;
using static Pacs.Archive.Tests.Query.QueryCorpus;

namespace Pacs.Archive.Tests.Query;

[Collection(ArchiveServicesCollection.Name)]
public sealed class QueryMatchingTests(ArchiveServicesFixture services)
{
    private static readonly (DicomTag, string) StudyUidKey = (DicomTag.StudyInstanceUID, "");

    [Theory]
    [InlineData("nguyen*", "A1,A2,D1")]
    [InlineData("NGUYEN^VAN*", "A1,A2")]
    [InlineData("*anh", "A1,A2,D1")]
    [InlineData("*van anh", "A1,A2")]
    [InlineData("Nguyễn^Văn Ánh", "A1,A2")]
    [InlineData("nguyen^van anh", "A1,A2")]
    [InlineData("NGUYEN^*", "A1,A2,D1")]
    [InlineData("*hong", "B1")]
    [InlineData("o'brien*", "C1")]
    [InlineData("ng?yen^th*", "D1")]
    [InlineData("nguyen", "")]
    public async Task Person_names_match_case_and_accent_insensitively(string value, string expected)
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var results = await corpus.FindAsync(QueryRoot.StudyRoot, "STUDY", false, (DicomTag.PatientName, value), StudyUidKey);
        Assert.Equal(corpus.Studies(Split(expected)), Values(results, DicomTag.StudyInstanceUID));
    }

    [Fact]
    public async Task An_identifier_in_latin1_is_decoded_before_matching()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 100");
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, "STUDY");
        identifier.AddOrUpdate(DicomTag.PatientName, "o'brien^seán*");
        identifier.AddOrUpdate(new DicomElement(DicomTag.StudyInstanceUID, DicomVR.UI, ReadOnlyMemory<byte>.Empty));
        Assert.Equal((byte)0xE1, ((DicomElement)identifier.GetItem(DicomTag.PatientName)).Value.Span[10]);
        var results = await corpus.FindAsync(ArchiveQuery.FromIdentifier(identifier, QueryRoot.StudyRoot));
        Assert.Equal(corpus.Studies("C1"), Values(results, DicomTag.StudyInstanceUID));
    }

    [Fact]
    public async Task Return_keys_hold_the_ingested_values_and_utf8_is_declared_only_when_needed()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        await corpus.Archive.ScalarAsync<object>("UPDATE instance SET metadata = NULL");
        DicomTag[] keys =
        [
            DicomTag.PatientName, DicomTag.PatientID, DicomTag.PatientBirthDate, DicomTag.PatientSex, DicomTag.StudyDate, DicomTag.StudyTime,
            DicomTag.AccessionNumber, DicomTag.StudyDescription, DicomTag.StudyID, DicomTag.ReferringPhysicianName, DicomTag.PatientWeight,
        ];
        var identifier = Identifier("STUDY", [.. keys.Select(k => (k, "")), (DicomTag.StudyInstanceUID, corpus.Study("A1")),
            (DicomTag.ModalitiesInStudy, ""), (DicomTag.NumberOfStudyRelatedSeries, ""), (DicomTag.NumberOfStudyRelatedInstances, ""),
            (DicomTag.RetrieveAETitle, ""), (DicomTag.DeviceSerialNumber, "")]);
        var result = Assert.Single(await corpus.FindAsync(ArchiveQuery.FromIdentifier(identifier, QueryRoot.StudyRoot)));

        // Through the wire encoding and back, so the text really is UTF-8 under the declared character set.
        var decoded = DicomDatasetReader.Read(DicomDatasetWriter.ToBytes(result, DicomTransferSyntax.ExplicitVRLittleEndian), DicomTransferSyntax.ExplicitVRLittleEndian);
        var original = corpus.Instances["A1-CT-1"];
        Assert.Equal("ISO_IR 192", decoded.GetString(DicomTag.SpecificCharacterSet));
        Assert.Equal("STUDY", decoded.GetString(DicomTag.QueryRetrieveLevel));
        foreach (var key in keys.Append(DicomTag.StudyInstanceUID))
        {
            Assert.Equal(original.GetString(key), decoded.GetString(key));
        }

        Assert.Equal(["CT", "MR"], decoded.GetStrings(DicomTag.ModalitiesInStudy));
        Assert.Equal("2", decoded.GetString(DicomTag.NumberOfStudyRelatedSeries));
        Assert.Equal("3", decoded.GetString(DicomTag.NumberOfStudyRelatedInstances));
        Assert.Equal("PACS", decoded.GetString(DicomTag.RetrieveAETitle));

        // Not an indexed column and no metadata stored: returned, empty.
        Assert.True(decoded.Contains(DicomTag.DeviceSerialNumber));
        Assert.Equal(string.Empty, decoded.GetString(DicomTag.DeviceSerialNumber));

        var ascii = Assert.Single(await corpus.FindAsync(QueryRoot.StudyRoot, "STUDY", false, (DicomTag.PatientID, "VN003"), (DicomTag.PatientName, "")));
        Assert.False(ascii.Contains(DicomTag.SpecificCharacterSet));
        Assert.Equal("NGUYEN^THANH", ascii.GetString(DicomTag.PatientName));
    }

    [Fact]
    public async Task Keys_missing_from_the_columns_come_from_the_instance_metadata_when_it_is_stored()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        foreach (var ds in corpus.Instances.Values)
        {
            var json = Pacs.Dicom.Serialization.DicomJson.Serialize(ds);
            await corpus.Archive.ScalarAsync<object>("UPDATE instance SET metadata = @m WHERE sop_instance_uid = @s", ("m", json), ("s", ds.GetString(DicomTag.SOPInstanceUID)));
        }

        var image = Assert.Single(await corpus.FindAsync(QueryRoot.StudyRoot, "IMAGE", true, (DicomTag.SOPInstanceUID, corpus.Sop("A2-US-1")), (DicomTag.DeviceSerialNumber, "")));
        Assert.Equal("SN-A2-US", image.GetString(DicomTag.DeviceSerialNumber));
        var series = Assert.Single(await corpus.FindAsync(QueryRoot.StudyRoot, "SERIES", false, (DicomTag.StudyInstanceUID, corpus.Study("A1")), (DicomTag.Modality, "MR"), (DicomTag.DeviceSerialNumber, "")));
        Assert.Equal("SN-A1-MR", series.GetString(DicomTag.DeviceSerialNumber));
    }

    [Theory]
    [InlineData("20200101-20201231", "A1,B1")]
    [InlineData("-20200115", "A1,C1")]
    [InlineData("20210101-", "A2,D1")]
    [InlineData("20201231", "B1")]
    [InlineData("2020-2020", "A1,B1")]
    [InlineData("20201231-20200101", "")]
    [InlineData("not a date", "")]
    public async Task Study_dates_match_single_values_and_ranges(string value, string expected)
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var results = await corpus.FindAsync(QueryRoot.StudyRoot, "STUDY", false, (DicomTag.StudyDate, value), StudyUidKey);
        Assert.Equal(corpus.Studies(Split(expected)), Values(results, DicomTag.StudyInstanceUID));
    }

    [Theory]
    [InlineData("1000-1200", "A1,C1")]
    [InlineData("10", "A1")]
    [InlineData("-0830", "A2,D1")]
    [InlineData("2359-", "B1")]
    [InlineData("101530", "A1")]
    public async Task Study_times_match_single_values_and_ranges(string value, string expected)
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var results = await corpus.FindAsync(QueryRoot.StudyRoot, "STUDY", false, (DicomTag.StudyTime, value), StudyUidKey);
        Assert.Equal(corpus.Studies(Split(expected)), Values(results, DicomTag.StudyInstanceUID));
    }

    [Theory]
    [InlineData("20190101-20200115", "1100-1200", false, "C1")]
    [InlineData("20190101-20200115", "1100-1200", true, "A1,C1")]
    [InlineData("20200101-20210620", "1100-0900", false, "")]
    [InlineData("20200101-20210620", "1100-0900", true, "A1,A2,B1")]
    [InlineData("20200115", "101530", true, "A1")]
    [InlineData("-20201231", "-1000", true, "A1,C1")]
    public async Task Combined_date_time_matching_forms_one_range(string date, string time, bool combined, string expected)
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var query = ArchiveQuery.FromIdentifier(Identifier("STUDY", (DicomTag.StudyDate, date), (DicomTag.StudyTime, time), StudyUidKey), QueryRoot.StudyRoot);
        var results = await corpus.FindAsync(query with { CombinedDateTimeMatching = combined });
        Assert.Equal(corpus.Studies(Split(expected)), Values(results, DicomTag.StudyInstanceUID));
    }

    [Fact]
    public async Task Birth_date_ranges_match_at_the_patient_level()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var results = await corpus.FindAsync(QueryRoot.PatientRoot, "PATIENT", false, (DicomTag.PatientBirthDate, "19700101-19851231"), (DicomTag.PatientID, ""));
        Assert.Equal(["VN001", "VN002"], Values(results, DicomTag.PatientID));
    }

    [Fact]
    public async Task Uid_lists_match_any_listed_uid()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var results = await corpus.FindAsync(QueryRoot.StudyRoot, "STUDY", false, (DicomTag.StudyInstanceUID, $"{corpus.Study("A1")}\\{corpus.Study("B1")}\\1.2.3.4"));
        Assert.Equal(corpus.Studies("A1", "B1"), Values(results, DicomTag.StudyInstanceUID));

        var images = await corpus.FindAsync(QueryRoot.StudyRoot, "IMAGE", false, (DicomTag.StudyInstanceUID, corpus.Study("A1")),
            (DicomTag.SeriesInstanceUID, corpus.Series("A1-CT")), (DicomTag.SOPInstanceUID, $"{corpus.Sop("A1-CT-2")}\\{corpus.Sop("A1-CT-1")}"));
        Assert.Equal(new[] { corpus.Sop("A1-CT-1"), corpus.Sop("A1-CT-2") }.Order(StringComparer.Ordinal), Values(images, DicomTag.SOPInstanceUID));
    }

    [Theory]
    [InlineData("ACC_50%", "A2")]
    [InlineData("ACC_*", "A2")]
    [InlineData("ACC%", "")]
    [InlineData("ACC?001", "A1,C1")]
    [InlineData("*50%", "A2")]
    [InlineData("ACC-00?", "A1,B1,D1")]
    [InlineData("*", "A1,A2,B1,C1,D1")]
    public async Task Wildcards_are_translated_and_like_metacharacters_in_values_are_literal(string value, string expected)
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var results = await corpus.FindAsync(QueryRoot.StudyRoot, "STUDY", false, (DicomTag.AccessionNumber, value), StudyUidKey);
        Assert.Equal(corpus.Studies(Split(expected)), Values(results, DicomTag.StudyInstanceUID));
    }

    [Fact]
    public async Task Empty_keys_are_universal_matching_and_return_every_entity()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var results = await corpus.FindAsync(QueryRoot.StudyRoot, "STUDY", false, (DicomTag.PatientName, ""), (DicomTag.StudyDate, ""), (DicomTag.AccessionNumber, ""));
        Assert.Equal(corpus.Studies("A1", "A2", "B1", "C1", "D1"), Values(results, DicomTag.StudyInstanceUID));
        var patients = await corpus.FindAsync(QueryRoot.PatientRoot, "PATIENT", false, (DicomTag.PatientName, "*"));
        Assert.Equal(4, patients.Count);
    }

    [Theory]
    [InlineData("'; DROP TABLE study; --")]
    [InlineData("\\")]
    [InlineData("'")]
    [InlineData("\"")]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("\\'); DELETE FROM patient; --")]
    public async Task Sql_metacharacters_in_any_key_match_nothing_and_break_nothing(string value)
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var attributes = Enum.GetValues<QueryLevel>().SelectMany(QueryAttributes.OfTable).Where(a => a.Kind != QueryValueKind.Count).ToList();
        attributes.AddRange([QueryAttributes.Find(DicomTag.RequestAttributesSequence, DicomTag.RequestedProcedureID)!,
            QueryAttributes.Find(DicomTag.ConceptNameCodeSequence, DicomTag.CodeValue)!]);
        Assert.True(attributes.Count > 60);
        foreach (var attribute in attributes)
        {
            foreach (var level in new[] { QueryLevel.Study, QueryLevel.Image })
            {
                var query = new ArchiveQuery
                {
                    Root = QueryRoot.StudyRoot,
                    Level = level,
                    Relational = true,
                    MatchingKeys = [new QueryKey(attribute, value)],
                    ReturnKeys = [attribute.Sequence ?? attribute.Tag],
                };
                Assert.True((await corpus.FindAsync(query)).Count == 0, $"{attribute.Tag} {attribute.Column} at {level} matched '{value}'");
                Assert.Equal(0, await corpus.Service.CountAsync(query));
            }
        }

        Assert.Equal(5L, await corpus.Archive.ScalarAsync<long>("SELECT count(*) FROM study"));
        Assert.Equal(4L, await corpus.Archive.ScalarAsync<long>("SELECT count(*) FROM patient"));
    }

    [Fact]
    public async Task Patient_root_queries_each_level_with_the_parent_unique_keys()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var patients = await corpus.FindAsync(QueryRoot.PatientRoot, "PATIENT", false, (DicomTag.PatientName, "nguyen*"), (DicomTag.PatientID, ""),
            (DicomTag.NumberOfPatientRelatedStudies, ""), (DicomTag.NumberOfPatientRelatedInstances, ""));
        Assert.Equal(["VN001", "VN003"], Values(patients, DicomTag.PatientID));
        var a = patients.Single(p => p.GetString(DicomTag.PatientID) == "VN001");
        Assert.Equal("2", a.GetString(DicomTag.NumberOfPatientRelatedStudies));
        Assert.Equal("4", a.GetString(DicomTag.NumberOfPatientRelatedInstances));
        Assert.Equal("PATIENT", a.GetString(DicomTag.QueryRetrieveLevel));

        var studies = await corpus.FindAsync(QueryRoot.PatientRoot, "STUDY", false, (DicomTag.PatientID, "VN001"), StudyUidKey);
        Assert.Equal(corpus.Studies("A1", "A2"), Values(studies, DicomTag.StudyInstanceUID));
        Assert.All(studies, s => Assert.Equal("VN001", s.GetString(DicomTag.PatientID)));

        var series = await corpus.FindAsync(QueryRoot.PatientRoot, "SERIES", false, (DicomTag.PatientID, "VN001"), (DicomTag.StudyInstanceUID, corpus.Study("A1")), (DicomTag.Modality, ""));
        Assert.Equal(["CT", "MR"], Values(series, DicomTag.Modality));

        var images = await corpus.FindAsync(QueryRoot.PatientRoot, "IMAGE", false, (DicomTag.PatientID, "VN001"), (DicomTag.StudyInstanceUID, corpus.Study("A1")),
            (DicomTag.SeriesInstanceUID, corpus.Series("A1-CT")), (DicomTag.SOPInstanceUID, ""), (DicomTag.InstanceNumber, ""));
        Assert.Equal(["1", "2"], Values(images, DicomTag.InstanceNumber));

        Assert.Throws<QueryException>(() => ArchiveQuery.FromIdentifier(Identifier("STUDY", (DicomTag.StudyInstanceUID, corpus.Study("A1"))), QueryRoot.PatientRoot));
        Assert.Throws<QueryException>(() => ArchiveQuery.FromIdentifier(Identifier("PATIENT", (DicomTag.PatientID, "VN001")), QueryRoot.StudyRoot));
        Assert.Throws<QueryException>(() => ArchiveQuery.FromIdentifier(Identifier("WARD"), QueryRoot.StudyRoot));
    }

    [Fact]
    public async Task Study_root_series_and_image_levels_need_parent_uids_unless_relational()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var series = Assert.Single(await corpus.FindAsync(QueryRoot.StudyRoot, "SERIES", false, (DicomTag.StudyInstanceUID, corpus.Study("A1")), (DicomTag.Modality, "CT"),
            (DicomTag.SeriesNumber, ""), (DicomTag.NumberOfSeriesRelatedInstances, ""), (DicomTag.SeriesDescription, "")));
        Assert.Equal(corpus.Series("A1-CT"), series.GetString(DicomTag.SeriesInstanceUID));
        Assert.Equal(corpus.Study("A1"), series.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal("1", series.GetString(DicomTag.SeriesNumber));
        Assert.Equal("2", series.GetString(DicomTag.NumberOfSeriesRelatedInstances));
        Assert.Equal("CT series 1", series.GetString(DicomTag.SeriesDescription));

        Assert.Throws<QueryException>(() => ArchiveQuery.FromIdentifier(Identifier("SERIES", (DicomTag.Modality, "MR")), QueryRoot.StudyRoot));
        Assert.Throws<QueryException>(() => ArchiveQuery.FromIdentifier(Identifier("IMAGE", (DicomTag.StudyInstanceUID, corpus.Study("A1"))), QueryRoot.StudyRoot));

        var mr = await corpus.FindAsync(QueryRoot.StudyRoot, "SERIES", true, (DicomTag.Modality, "MR"), (DicomTag.SeriesInstanceUID, ""));
        Assert.Equal(new[] { corpus.Series("A1-MR"), corpus.Series("C1-MR") }.Order(StringComparer.Ordinal), Values(mr, DicomTag.SeriesInstanceUID));

        var images = await corpus.FindAsync(QueryRoot.StudyRoot, "IMAGE", true, (DicomTag.PatientName, "*hong"), (DicomTag.SOPClassUID, ""), (DicomTag.Rows, ""));
        var image = Assert.Single(images);
        Assert.Equal(corpus.Sop("B1-CT-1"), image.GetString(DicomTag.SOPInstanceUID));
        Assert.Equal(DicomUid.SecondaryCaptureImageStorage.Value, image.GetString(DicomTag.SOPClassUID));
        Assert.Equal("IMAGE", image.GetString(DicomTag.QueryRetrieveLevel));
    }

    [Fact]
    public async Task Relational_study_queries_match_keys_of_series_and_images_and_modalities_in_study()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var byModality = await corpus.FindAsync(QueryRoot.StudyRoot, "STUDY", true, (DicomTag.Modality, "MR"), StudyUidKey);
        Assert.Equal(corpus.Studies("A1", "C1"), Values(byModality, DicomTag.StudyInstanceUID));

        var bySop = await corpus.FindAsync(QueryRoot.StudyRoot, "STUDY", true, (DicomTag.SOPInstanceUID, corpus.Sop("A2-US-1")), StudyUidKey);
        Assert.Equal(corpus.Studies("A2"), Values(bySop, DicomTag.StudyInstanceUID));

        // Series keys and image keys must hold for the same series: A1's MR series has no instance number 2.
        var combined = await corpus.FindAsync(QueryRoot.StudyRoot, "STUDY", true, (DicomTag.Modality, "MR"), (DicomTag.InstanceNumber, "2"), StudyUidKey);
        Assert.Empty(combined);

        // Without relational negotiation a series key on a study query is ignored.
        var hierarchical = await corpus.FindAsync(QueryRoot.StudyRoot, "STUDY", false, (DicomTag.Modality, "MR"), StudyUidKey);
        Assert.Equal(5, hierarchical.Count);

        var inStudy = await corpus.FindAsync(QueryRoot.StudyRoot, "STUDY", false, (DicomTag.ModalitiesInStudy, "US\\CR"));
        Assert.Equal(corpus.Studies("A2", "D1"), Values(inStudy, DicomTag.StudyInstanceUID));
        var patients = await corpus.FindAsync(QueryRoot.PatientRoot, "PATIENT", true, (DicomTag.StudyDate, "20201231"), (DicomTag.PatientID, ""));
        Assert.Equal(["VN002"], Values(patients, DicomTag.PatientID));
    }

    [Fact]
    public async Task Sequence_matching_uses_the_request_attribute_columns_and_returns_items()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var request = new DicomDataset();
        request.AddOrUpdate(DicomTag.RequestedProcedureID, "RP1");
        request.AddOrUpdate(DicomTag.ScheduledProcedureStepID, "");
        var identifier = Identifier("SERIES", (DicomTag.SeriesInstanceUID, ""));
        identifier.AddOrUpdate(DicomTag.RequestAttributesSequence, request);
        var series = Assert.Single(await corpus.FindAsync(ArchiveQuery.FromIdentifier(identifier, QueryRoot.StudyRoot, relational: true)));
        Assert.Equal(corpus.Series("A1-CT"), series.GetString(DicomTag.SeriesInstanceUID));
        var item = Assert.Single(series.GetSequence(DicomTag.RequestAttributesSequence));
        Assert.Equal("RP1", item.GetString(DicomTag.RequestedProcedureID));
        Assert.Equal("SPS1", item.GetString(DicomTag.ScheduledProcedureStepID));

        var study = new DicomDataset();
        study.AddOrUpdate(DicomTag.ScheduledProcedureStepID, "SPS*");
        var studyIdentifier = Identifier("STUDY", StudyUidKey);
        studyIdentifier.AddOrUpdate(DicomTag.RequestAttributesSequence, study);
        var studies = await corpus.FindAsync(ArchiveQuery.FromIdentifier(studyIdentifier, QueryRoot.StudyRoot, relational: true));
        Assert.Equal(corpus.Studies("A1"), Values(studies, DicomTag.StudyInstanceUID));

        request.AddOrUpdate(DicomTag.RequestedProcedureID, "RP2");
        identifier.AddOrUpdate(DicomTag.RequestAttributesSequence, request);
        Assert.Empty(await corpus.FindAsync(ArchiveQuery.FromIdentifier(identifier, QueryRoot.StudyRoot, relational: true)));
    }

    [Fact]
    public async Task Keys_the_index_cannot_match_are_universal_and_reported()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var reference = new DicomDataset();
        reference.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, "1.2.3.4");
        var identifier = Identifier("STUDY", StudyUidKey, (DicomTag.DeviceSerialNumber, "nothing-like-this"));
        identifier.AddOrUpdate(DicomTag.ReferencedStudySequence, reference);
        var query = ArchiveQuery.FromIdentifier(identifier, QueryRoot.StudyRoot);
        Assert.Equal([DicomTag.ReferencedStudySequence, DicomTag.DeviceSerialNumber], query.UnsupportedMatchingKeys.Order().ToList());
        var results = await corpus.FindAsync(query);
        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.True(r.Contains(DicomTag.ReferencedStudySequence)));
    }

    [Fact]
    public async Task Limit_and_offset_page_through_a_stable_order_and_count_ignores_them()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var all = ArchiveQuery.FromIdentifier(Identifier("STUDY", StudyUidKey), QueryRoot.StudyRoot);
        var everything = Values(await corpus.FindAsync(all), DicomTag.StudyInstanceUID);
        var pages = new List<string>();
        for (var offset = 0; offset < 6; offset += 2)
        {
            var page = await corpus.FindAsync(all with { Limit = 2, Offset = offset });
            Assert.True(page.Count <= 2);
            pages.AddRange(page.Select(r => r.GetString(DicomTag.StudyInstanceUID)));
        }

        Assert.Equal(everything, pages.Order(StringComparer.Ordinal));
        Assert.Equal(5, pages.Distinct().Count());
        Assert.Equal(5L, await corpus.Service.CountAsync(all with { Limit = 1 }));
        Assert.Empty(await corpus.FindAsync(all with { Limit = 2, Offset = 5 }));
    }

    [Fact]
    public async Task Enumeration_stops_when_cancelled()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        using var cts = new CancellationTokenSource();
        var query = ArchiveQuery.FromIdentifier(Identifier("IMAGE", (DicomTag.SOPInstanceUID, "")), QueryRoot.StudyRoot, relational: true);
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in corpus.Service.QueryAsync(query, cts.Token))
            {
                seen++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, seen);
    }

    [Fact]
    public async Task Qido_parameters_build_the_same_query_model()
    {
        await using var corpus = await QueryCorpus.CreateAsync(services);
        var parameters = QueryParameters.Parse([("PatientName", "nguyen*"), ("00080061", "CT"), ("includefield", "StudyDescription,00181000"), ("limit", "10")]);
        var studies = await corpus.FindAsync(parameters.ToQuery(QueryLevel.Study));
        var study = Assert.Single(studies);
        Assert.Equal(corpus.Study("A1"), study.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal("CT ngực có cản quang", study.GetString(DicomTag.StudyDescription));
        Assert.Equal("Nguyễn^Văn Ánh", study.GetString(DicomTag.PatientName));
        Assert.Equal("ONLINE", study.GetString(DicomTag.InstanceAvailability));
        Assert.True(study.Contains(DicomTag.DeviceSerialNumber));

        var list = QueryParameters.Parse([("StudyInstanceUID", $"{corpus.Study("B1")},{corpus.Study("C1")}")]).ToQuery(QueryLevel.Study);
        Assert.Equal(corpus.Studies("B1", "C1"), Values(await corpus.FindAsync(list), DicomTag.StudyInstanceUID));

        var instances = QueryParameters.Parse([("Modality", "CT")]).ToQuery(QueryLevel.Image, corpus.Study("A1"));
        Assert.Equal(new[] { corpus.Sop("A1-CT-1"), corpus.Sop("A1-CT-2") }.Order(StringComparer.Ordinal), Values(await corpus.FindAsync(instances), DicomTag.SOPInstanceUID));

        var sequence = QueryParameters.Parse([("RequestAttributesSequence.RequestedProcedureID", "RP1")]).ToQuery(QueryLevel.Series);
        Assert.Equal([corpus.Series("A1-CT")], Values(await corpus.FindAsync(sequence), DicomTag.SeriesInstanceUID));

        var fuzzy = QueryParameters.Parse([("PatientName", "Nguyen^Vanh Anh"), ("fuzzymatching", "true")]).ToQuery(QueryLevel.Study);
        Assert.Equal(corpus.Studies("A1", "A2"), Values(await corpus.FindAsync(fuzzy), DicomTag.StudyInstanceUID));
        var strict = QueryParameters.Parse([("PatientName", "Nguyen^Vanh Anh")]).ToQuery(QueryLevel.Study);
        Assert.Empty(await corpus.FindAsync(strict));

        var paged = QueryParameters.Parse([("limit", "2"), ("offset", "1")]);
        Assert.Equal(2, (await corpus.FindAsync(paged.ToQuery(QueryLevel.Study))).Count);

        Assert.Throws<QueryException>(() => QueryParameters.Parse([("NoSuchKeyword", "x")]));
        Assert.Throws<QueryException>(() => QueryParameters.Parse([("limit", "-1")]));
        Assert.Throws<QueryException>(() => QueryParameters.Parse([("fuzzymatching", "maybe")]));
    }

    private static string[] Split(string names) => names.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
