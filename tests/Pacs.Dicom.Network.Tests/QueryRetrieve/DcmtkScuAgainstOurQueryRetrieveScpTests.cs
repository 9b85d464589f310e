using System.Text.RegularExpressions;
using Pacs.Dicom.Network.Server;
using Pacs.Dicom.Network.Tests.Support;

namespace Pacs.Dicom.Network.Tests.QueryRetrieve;

/// <summary>DCMTK's findscu, movescu and getscu against our SCP with the sample archive as find/move/get handler.</summary>
public partial class DcmtkScuAgainstOurQueryRetrieveScpTests(QueryRetrieveData data) : IClassFixture<QueryRetrieveData>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Findscu_patient_root_study_level_finds_the_patients_studies()
    {
        await using var scp = await StartAsync(data.Archive);
        var patient = data.CtSmall.PatientId;
        var (code, output) = await ExternalProcess.RunAsync(Timeout, "findscu", "-v", "-P", "-aec", ServerFixture.AETitle,
            "-k", "QueryRetrieveLevel=STUDY", "-k", $"PatientID={patient}", "-k", "StudyInstanceUID", "-k", "PatientName", "-k", "StudyDate",
            "127.0.0.1", scp.Port.ToString());
        Assert.True(code == 0, output);
        var expected = data.Index.Where(s => s.PatientId == patient).Select(s => s.StudyInstanceUid).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Values(output, "0020,000d").Order(StringComparer.Ordinal).ToList());
        Assert.Equal(expected.Count, Regex.Count(output, @"Find Response: \d+ \(Pending\)"));
        Assert.True(output.Contains("Received Final Find Response (Success)", StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task Findscu_study_root_series_level_with_wildcard_lists_the_studys_series()
    {
        await using var scp = await StartAsync(data.Archive);
        var study = data.CtSmall.StudyInstanceUid;
        var (code, output) = await ExternalProcess.RunAsync(Timeout, "findscu", "-v", "-S", "-aec", ServerFixture.AETitle,
            "-k", "QueryRetrieveLevel=SERIES", "-k", $"StudyInstanceUID={study}", "-k", "SeriesInstanceUID", "-k", "Modality=*",
            "127.0.0.1", scp.Port.ToString());
        Assert.True(code == 0, output);
        var expected = data.CtStudy.Select(s => s.SeriesInstanceUid).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count >= 2, "the CT study should have several series");
        Assert.Equal(expected, Values(output, "0020,000e").Order(StringComparer.Ordinal).ToList());
        Assert.Equal(data.CtStudy.Select(s => s.Modality).Distinct().Order(StringComparer.Ordinal), Values(output, "0008,0060").Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Findscu_cancel_stops_a_long_find_with_status_FE00()
    {
        var slow = new SampleArchive(data.Archive.Instances) { Repeat = 200, DelayPerMatch = TimeSpan.FromMilliseconds(10) };
        await using var scp = await StartAsync(slow);
        var (code, output) = await ExternalProcess.RunAsync(Timeout, "findscu", "-v", "-S", "-aec", ServerFixture.AETitle, "--cancel", "3",
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID", "127.0.0.1", scp.Port.ToString());
        Assert.True(code == 0, output);
        Assert.True(output.Contains("Sending Cancel Request", StringComparison.Ordinal), output);
        Assert.True(output.Contains("Received Final Find Response (Cancel: MatchingTerminatedDueToCancelRequest)", StringComparison.Ordinal), output);
        Assert.True(Regex.Count(output, @"Find Response: \d+ \(Pending\)") < 200, output);
        Assert.True(slow.SawCancellation);
    }

    [Fact]
    public async Task Movescu_sends_the_study_to_a_dcmtk_storescp_and_the_datasets_arrive_intact()
    {
        var destPort = ExternalProcess.FreePort();
        var destDir = TestData.NewTempDirectory();
        try
        {
            await using var storescp = ExternalProcess.Start("storescp", "-aet", "DEST", "+xa", "-od", destDir, destPort.ToString());
            await ExternalProcess.WaitForPortAsync(destPort, TimeSpan.FromSeconds(10));
            await using var scp = await StartAsync(data.Archive, destinations: new() { ["DEST"] = destPort });
            var (code, output) = await ExternalProcess.RunAsync(Timeout, "movescu", "-v", "-S", "-aec", ServerFixture.AETitle, "-aem", "DEST",
                "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={data.CtSmall.StudyInstanceUid}", "127.0.0.1", scp.Port.ToString());
            Assert.True(code == 0, output);
            Assert.True(output.Contains("Received Final Move Response (Success)", StringComparison.Ordinal), output);
            var pairs = QueryRetrieveData.PairByUid(data.CtStudy, Directory.GetFiles(destDir));
            Assert.Equal(4, pairs.Count);
            var report = await DatasetComparer.CompareAsync(pairs);
            Assert.True(report.TrimEnd().EndsWith("COMPARED bad=0", StringComparison.Ordinal), report);
        }
        finally
        {
            Directory.Delete(destDir, recursive: true);
        }
    }

    [Fact]
    public async Task Movescu_to_an_unknown_destination_gets_A801()
    {
        await using var scp = await StartAsync(data.Archive);
        var (_, output) = await ExternalProcess.RunAsync(Timeout, "movescu", "-v", "-S", "-aec", ServerFixture.AETitle, "-aem", "NOBODY",
            "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={data.CtSmall.StudyInstanceUid}", "127.0.0.1", scp.Port.ToString());
        Assert.True(output.Contains("Received Final Move Response (Refused: MoveDestinationUnknown)", StringComparison.Ordinal), output);
        Assert.True(scp.Logger.Contains("C-MOVE to unknown destination 'NOBODY'"));
    }

    [Fact]
    public async Task Getscu_receives_the_study_on_the_same_association_and_the_datasets_arrive_intact()
    {
        // getscu proposes the common storage classes only, without Parametric Map Storage: those two maps stay out.
        var proposable = data.CtStudyCommonClasses;
        await using var scp = await StartAsync(new SampleArchive([.. data.Archive.Instances.Where(i => proposable.Any(p => p.Path == i.Path))]));
        var outDir = TestData.NewTempDirectory();
        try
        {
            var (code, output) = await ExternalProcess.RunAsync(Timeout, "getscu", "-v", "-S", "-aec", ServerFixture.AETitle, "-od", outDir,
                "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={data.CtSmall.StudyInstanceUid}", "127.0.0.1", scp.Port.ToString());
            Assert.True(code == 0, output);
            Assert.True(output.Contains("Received C-GET Response (Success)", StringComparison.Ordinal), output);
            var pairs = QueryRetrieveData.PairByUid(proposable, Directory.GetFiles(outDir));
            Assert.Equal(2, pairs.Count);
            var report = await DatasetComparer.CompareAsync(pairs);
            Assert.True(report.TrimEnd().EndsWith("COMPARED bad=0", StringComparison.Ordinal), report);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    internal static Task<ServerFixture> StartAsync(SampleArchive archive, Dictionary<string, int>? destinations = null, bool writeFiles = false, TimeSpan? pendingInterval = null) =>
        ServerFixture.StartAsync(writeFiles,
            configure: o => o with
            {
                RemoteNodes = (destinations ?? []).ToDictionary(d => d.Key, d => new DicomRemoteNode(d.Key, "127.0.0.1", d.Value)),
                RetrievePendingInterval = pendingInterval ?? TimeSpan.Zero,
            },
            handlers: h => h with { Find = archive, Move = archive, Get = archive });

    /// <summary>The values of one tag in findscu's response dumps, e.g. `(0020,000d) UI [1.2.3]`.</summary>
    private static List<string> Values(string output, string tag) =>
        [.. Regex.Matches(output[Math.Max(0, output.IndexOf("Find Response:", StringComparison.Ordinal))..], @"\(" + tag + @"\) \w\w \[([^\]]*)\]").Select(m => m.Groups[1].Value.TrimEnd('\0'))];
}
