using Pacs.Archive.Ingest;
using Pacs.Archive.Query;
using Pacs.Archive.Tests.Ingest;
using Pacs.Dicom;

namespace Pacs.Archive.Tests.Query;

/// <summary>
/// A small archive of synthetic studies ingested through the real pipeline: Vietnamese names in ISO_IR 192, an accession
/// number holding LIKE metacharacters, several series and modalities, request attributes in a sequence.
/// </summary>
internal sealed class QueryCorpus : IAsyncDisposable
{
    private QueryCorpus(ArchiveHarness archive, Dictionary<string, DicomDataset> instances)
    {
        Archive = archive;
        Instances = instances;
        Service = new QueryService(archive.Index, new QueryServiceOptions { RetrieveAeTitle = "PACS" });
    }

    public ArchiveHarness Archive { get; }

    public QueryService Service { get; }

    /// <summary>Every ingested dataset by a short name: A1-CT-1, A1-CT-2, A1-MR-1, A2-US-1, B1-CT-1, C1-MR-1, D1-CR-1.</summary>
    public Dictionary<string, DicomDataset> Instances { get; }

    public string Study(string name) => Instances.First(i => i.Key.StartsWith(name + "-", StringComparison.Ordinal)).Value.GetString(DicomTag.StudyInstanceUID);

    public string Series(string name) => Instances.First(i => i.Key.StartsWith(name + "-", StringComparison.Ordinal)).Value.GetString(DicomTag.SeriesInstanceUID);

    public string Sop(string name) => Instances[name].GetString(DicomTag.SOPInstanceUID);

    public static async Task<QueryCorpus> CreateAsync(ArchiveServicesFixture services)
    {
        var archive = await ArchiveHarness.CreateAsync(services);
        var instances = new Dictionary<string, DicomDataset>();
        var patients = new Dictionary<string, (string Name, string Id, string Birth, string Sex)>
        {
            ["A"] = ("Nguyễn^Văn Ánh", "VN001", "19800512", "M"),
            ["B"] = ("Lê^Thị Hồng", "VN002", "19750203", "F"),
            ["C"] = ("O'Brien^Seán", "IE001", "19600101", "M"),
            ["D"] = ("NGUYEN^THANH", "VN003", "19900909", "F"),
        };
        var studies = new (string Name, string Patient, string Date, string Time, string Accession, string Description)[]
        {
            ("A1", "A", "20200115", "101530", "ACC-001", "CT ngực có cản quang"),
            ("A2", "A", "20210620", "083000", "ACC_50%", "Siêu âm bụng"),
            ("B1", "B", "20201231", "235959", "ACC-002", "CT sọ não"),
            ("C1", "C", "20190101", "120000", "ACCX001", "MR knee"),
            ("D1", "D", "20220301", "070000", "ACC-003", "Chest PA"),
        };
        var series = new (string Study, string Modality, int Number, int Instances)[]
        {
            ("A1", "CT", 1, 2), ("A1", "MR", 2, 1), ("A2", "US", 1, 1), ("B1", "CT", 1, 1), ("C1", "MR", 1, 1), ("D1", "CR", 1, 1),
        };

        foreach (var study in studies)
        {
            var studyUid = DicomUid.Generate();
            var patient = patients[study.Patient];
            foreach (var s in series.Where(s => s.Study == study.Name))
            {
                var seriesUid = DicomUid.Generate();
                for (var n = 1; n <= s.Instances; n++)
                {
                    var ds = Datasets.Synthetic(studyUid, seriesUid, DicomUid.Generate(), patient.Name, patient.Id, s.Modality);
                    ds.AddOrUpdate(DicomTag.PatientBirthDate, patient.Birth);
                    ds.AddOrUpdate(DicomTag.PatientSex, patient.Sex);
                    ds.AddOrUpdate(DicomTag.StudyDate, study.Date);
                    ds.AddOrUpdate(DicomTag.StudyTime, study.Time);
                    ds.AddOrUpdate(DicomTag.AccessionNumber, study.Accession);
                    ds.AddOrUpdate(DicomTag.StudyDescription, study.Description);
                    ds.AddOrUpdate(DicomTag.StudyID, study.Name);
                    ds.AddOrUpdate(DicomTag.ReferringPhysicianName, "Trần^Thị Bích");
                    ds.AddOrUpdate(DicomTag.PatientWeight, "70.5");
                    ds.AddOrUpdate(DicomTag.SeriesNumber, s.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    ds.AddOrUpdate(DicomTag.SeriesDescription, $"{s.Modality} series {s.Number}");
                    ds.AddOrUpdate(DicomTag.InstanceNumber, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    ds.AddOrUpdate(DicomTag.DeviceSerialNumber, $"SN-{study.Name}-{s.Modality}");
                    if (study.Name == "A1" && s.Modality == "CT")
                    {
                        var request = new DicomDataset();
                        request.AddOrUpdate(DicomTag.RequestedProcedureID, "RP1");
                        request.AddOrUpdate(DicomTag.ScheduledProcedureStepID, "SPS1");
                        ds.AddOrUpdate(DicomTag.RequestAttributesSequence, request);
                    }

                    var result = await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(ds), DicomTransferSyntax.ExplicitVRLittleEndian, "MOD"));
                    Assert.True(result.IsSuccess, result.ErrorComment);
                    instances[$"{study.Name}-{s.Modality}-{n}"] = ds;
                }
            }
        }

        return new QueryCorpus(archive, instances);
    }

    /// <summary>A C-FIND identifier: level plus keys (empty string = return key only).</summary>
    public static DicomDataset Identifier(string level, params (DicomTag Tag, string Value)[] keys)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 192");
        ds.AddOrUpdate(DicomTag.QueryRetrieveLevel, level);
        foreach (var (tag, value) in keys)
        {
            if (value.Length == 0)
            {
                var vr = DicomDictionary.DefaultVR(tag);
                ds.AddOrUpdate(vr == DicomVR.SQ ? new DicomSequence(tag) : new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty));
            }
            else
            {
                ds.AddOrUpdate(tag, value);
            }
        }

        return ds;
    }

    public async Task<List<DicomDataset>> FindAsync(ArchiveQuery query)
    {
        var results = new List<DicomDataset>();
        await foreach (var r in Service.QueryAsync(query))
        {
            results.Add(r);
        }

        return results;
    }

    public Task<List<DicomDataset>> FindAsync(QueryRoot root, string level, bool relational, params (DicomTag Tag, string Value)[] keys) =>
        FindAsync(ArchiveQuery.FromIdentifier(Identifier(level, keys), root, relational));

    /// <summary>The values of one attribute across results, sorted.</summary>
    public static List<string> Values(IEnumerable<DicomDataset> results, DicomTag tag) =>
        results.Select(r => r.GetString(tag)).Order(StringComparer.Ordinal).ToList();

    public ValueTask DisposeAsync() => Archive.DisposeAsync();

    public List<string> Studies(params string[] names) => names.Select(Study).Order(StringComparer.Ordinal).ToList();
}
