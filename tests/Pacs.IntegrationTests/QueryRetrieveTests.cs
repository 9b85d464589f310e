using System.Diagnostics;
using Pacs.Dicom;
using Pacs.Dicom.IO;
using Pacs.IntegrationTests.Support;

namespace Pacs.IntegrationTests;

/// <summary>
/// The archive answers DCMTK's findscu, movescu and getscu: C-FIND through the one query model (Vietnamese names
/// found without accents), C-MOVE to a DCMTK storescp named in Pacs:Dicom:KnownAes, C-GET on the same association.
/// </summary>
[Collection(ExternalServicesCollection.Name)]
public sealed class QueryRetrieveTests(QueryRetrieveTests.Archive archive) : IClassFixture<QueryRetrieveTests.Archive>
{
    private const string Destination = "RECV";
    private readonly string _root = archive.Root;
    private readonly int _destinationPort = archive.DestinationPort;
    private readonly ServerProcess _server = archive.Server;
    private readonly IReadOnlyList<string> _files = archive.Files;

    /// <summary>One server with two small CT studies, shared by the tests of this class (they only read).</summary>
    public sealed class Archive : IAsyncLifetime
    {
        public string Root { get; } = TestData.NewDirectory("pacs-qr");

        public int DestinationPort { get; } = TestData.FreePort();

        public ServerProcess Server { get; private set; } = null!;

        public IReadOnlyList<string> Files { get; private set; } = [];

        public async Task InitializeAsync()
        {
            // gen_ct.py names its first patient Nguyễn^Văn Ánh (ISO_IR 192); two studies of one series of 4 instances.
            Files = TestData.GenerateCt(Path.Combine(Root, "ct"), studies: 2, series: 1, instances: 4, seed: 71);
            Server = new ServerProcess(Path.Combine(Root, "server"), new Dictionary<string, string>
            {
                ["Pacs:Dicom:KnownAes:0:AeTitle"] = Destination,
                ["Pacs:Dicom:KnownAes:0:Host"] = "127.0.0.1",
                ["Pacs:Dicom:KnownAes:0:Port"] = DestinationPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            Directory.CreateDirectory(Server.DataDirectory);
            await Server.StartAsync();
            var sent = Storescu.Send(Server.DicomPort, Files);
            Assert.All(Files, f => Assert.True(sent.TryGetValue(f, out var ok) && ok, $"{f} was not acknowledged"));
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Directory.Delete(Root, recursive: true);
        }
    }

    [Theory]
    [InlineData("nguyen*")]
    [InlineData("NGUYEN^VAN*")]
    [InlineData("*anh")]
    public void Study_level_find_matches_Vietnamese_names_without_accents(string pattern)
    {
        var results = Find("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", $"PatientName={pattern}", "-k", "StudyInstanceUID", "-k", "NumberOfStudyRelatedInstances", "-k", "ModalitiesInStudy");
        var study = Assert.Single(results);
        Assert.Equal("Nguyễn^Văn Ánh", study.GetString(DicomTag.PatientName));
        Assert.Equal(4, study.GetValue<int>(DicomTag.NumberOfStudyRelatedInstances));
        Assert.Equal("CT", study.GetString(DicomTag.ModalitiesInStudy));
        Assert.Equal(StudyUidOf(_files[0]), study.GetString(DicomTag.StudyInstanceUID));
    }

    [Fact]
    public void Every_level_of_both_roots_returns_what_was_stored()
    {
        var first = DicomFile.Open(_files[0], new DicomReadOptions { StopBeforePixelData = true }).Dataset;
        var patientId = first.GetString(DicomTag.PatientID);
        var studyUid = first.GetString(DicomTag.StudyInstanceUID);
        var seriesUid = first.GetString(DicomTag.SeriesInstanceUID);

        var patients = Find("-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", $"PatientID={patientId}", "-k", "PatientName", "-k", "NumberOfPatientRelatedStudies");
        Assert.Equal(first.GetString(DicomTag.PatientName), Assert.Single(patients).GetString(DicomTag.PatientName));

        var allStudies = Find("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID", "-k", "StudyDate");
        Assert.Equal(2, allStudies.Count);

        var series = Find("-S", "-k", "QueryRetrieveLevel=SERIES", "-k", $"StudyInstanceUID={studyUid}", "-k", "SeriesInstanceUID", "-k", "Modality", "-k", "NumberOfSeriesRelatedInstances");
        var one = Assert.Single(series);
        Assert.Equal(seriesUid, one.GetString(DicomTag.SeriesInstanceUID));
        Assert.Equal("CT", one.GetString(DicomTag.Modality));
        Assert.Equal(4, one.GetValue<int>(DicomTag.NumberOfSeriesRelatedInstances));

        var images = Find("-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", $"StudyInstanceUID={studyUid}", "-k", $"SeriesInstanceUID={seriesUid}", "-k", "SOPInstanceUID", "-k", "InstanceNumber");
        var expected = _files.Select(f => DicomFile.Open(f, new DicomReadOptions { StopBeforePixelData = true }).Dataset)
            .Where(d => d.GetString(DicomTag.SeriesInstanceUID) == seriesUid)
            .Select(d => d.GetString(DicomTag.SOPInstanceUID)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, images.Select(i => i.GetString(DicomTag.SOPInstanceUID)).Order(StringComparer.Ordinal));

        var byDate = Find("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyDate={first.GetString(DicomTag.StudyDate)}-", "-k", "StudyInstanceUID");
        Assert.Contains(byDate, s => s.GetString(DicomTag.StudyInstanceUID) == studyUid);
        Assert.Empty(Find("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID='; DROP TABLE study; --", "-k", "StudyInstanceUID"));
    }

    [Fact]
    public void Move_sends_the_study_to_a_known_AE_and_unknown_destinations_are_refused()
    {
        var studyUid = StudyUidOf(_files[0]);
        var received = Path.Combine(_root, "moved");
        Directory.CreateDirectory(received);
        using (var storescp = Process.Start(new ProcessStartInfo("storescp", ["--aetitle", Destination, "--output-directory", received, _destinationPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            try
            {
                Thread.Sleep(500);
                var (code, stdout, stderr) = TestData.Run("movescu", ["-v", "-S", "-aec", ServerProcess.AeTitle, "-aem", Destination, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={studyUid}", "127.0.0.1", _server.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], check: false);
                Assert.True(code == 0, stdout + stderr);
            }
            finally
            {
                storescp.Kill();
                storescp.WaitForExit();
            }
        }

        AssertSameDatasets(_files.Where(f => StudyUidOf(f) == studyUid), Directory.GetFiles(received));

        var (_, unknownOut, unknownErr) = TestData.Run("movescu", ["-v", "-S", "-aec", ServerProcess.AeTitle, "-aem", "NOWHERE", "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={studyUid}", "127.0.0.1", _server.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], check: false);
        Assert.Contains("MoveDestinationUnknown", unknownOut + unknownErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_returns_the_study_on_the_same_association()
    {
        var studyUid = StudyUidOf(_files[^1]);
        var received = Path.Combine(_root, "got");
        Directory.CreateDirectory(received);
        var (code, stdout, stderr) = TestData.Run("getscu", ["-v", "-S", "-aec", ServerProcess.AeTitle, "-od", received, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={studyUid}", "127.0.0.1", _server.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], check: false);
        Assert.True(code == 0, stdout + stderr);
        AssertSameDatasets(_files.Where(f => StudyUidOf(f) == studyUid), Directory.GetFiles(received));
    }

    private List<DicomDataset> Find(params string[] keys)
    {
        var outDir = Path.Combine(_root, "find-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(outDir);
        TestData.Run("findscu", ["-aec", ServerProcess.AeTitle, "-X", "-od", outDir, .. keys, "127.0.0.1", _server.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return [.. Directory.GetFiles(outDir).Order(StringComparer.Ordinal).Select(f => DicomFile.Open(f).Dataset)];
    }

    private static string StudyUidOf(string file) =>
        DicomFile.Open(file, new DicomReadOptions { StopBeforePixelData = true }).Dataset.GetString(DicomTag.StudyInstanceUID);

    /// <summary>Received files hold the same datasets as the originals (element by element, pixel data included).</summary>
    private static void AssertSameDatasets(IEnumerable<string> originals, IEnumerable<string> received)
    {
        var bySop = received.Select(f => DicomFile.Open(f).Dataset).ToDictionary(d => d.GetString(DicomTag.SOPInstanceUID), StringComparer.Ordinal);
        var expected = originals.ToList();
        Assert.Equal(expected.Count, bySop.Count);
        foreach (var file in expected)
        {
            var original = DicomFile.Open(file).Dataset;
            Assert.True(bySop.TryGetValue(original.GetString(DicomTag.SOPInstanceUID), out var copy));
            Assert.Equal(original.Select(i => i.Tag), copy!.Select(i => i.Tag));
            foreach (var item in original)
            {
                if (item is DicomElement element && copy.TryGetElement(item.Tag, out var other))
                {
                    Assert.True(element.Value.Span.SequenceEqual(other.Value.Span), $"{file}: {item.Tag} differs");
                }
            }
        }
    }
}
