using System.Globalization;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Server;
using Pacs.Dicom.Network.Tests.Support;

namespace Pacs.Dicom.Network.Tests.QueryRetrieve;

/// <summary>Our C-FIND/C-MOVE/C-GET SCU against our SCP (sample archive handler) and against DCMTK's dcmqrscp.</summary>
public class OurScuQueryRetrieveTests(QueryRetrieveData data) : IClassFixture<QueryRetrieveData>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Find_series_of_a_study_against_our_scp()
    {
        await using var scp = await DcmtkScuAgainstOurQueryRetrieveScpTests.StartAsync(data.Archive);
        var results = new List<DicomDataset>();
        await foreach (var match in Client(scp.Port).FindAsync(DicomUid.StudyRootQueryRetrieveInformationModelFind.Value, SeriesKeys(data.CtSmall.StudyInstanceUid)))
        {
            results.Add(match);
        }

        var expected = data.CtStudy.Select(s => s.SeriesInstanceUid).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expected, results.Select(r => r.GetString(DicomTag.SeriesInstanceUID)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Find_with_a_bad_level_ends_with_the_handlers_A900()
    {
        await using var scp = await DcmtkScuAgainstOurQueryRetrieveScpTests.StartAsync(data.Archive);
        var keys = new DicomDataset();
        keys.Add(DicomTag.QueryRetrieveLevel, "BOGUS");
        var e = await Assert.ThrowsAsync<DicomServiceException>(async () =>
        {
            await foreach (var _ in Client(scp.Port).FindAsync(DicomUid.StudyRootQueryRetrieveInformationModelFind.Value, keys))
            {
            }
        });
        Assert.Equal(0xA900, e.Status.Code);
    }

    [Fact]
    public async Task Cancel_during_a_long_find_ends_with_FE00()
    {
        var slow = new SampleArchive(data.Archive.Instances) { Repeat = 500, DelayPerMatch = TimeSpan.FromMilliseconds(5) };
        await using var scp = await DcmtkScuAgainstOurQueryRetrieveScpTests.StartAsync(slow);
        var client = Client(scp.Port);
        await using var association = await client.ConnectAsync([(DicomUid.PatientRootQueryRetrieveInformationModelFind.Value, [DicomTransferSyntax.ExplicitVRLittleEndian.UidValue])]);
        var keys = new DicomDataset();
        keys.Add(DicomTag.QueryRetrieveLevel, "PATIENT");
        keys.Add(DicomTag.PatientID, string.Empty);
        var find = association.FindAsync(DicomUid.PatientRootQueryRetrieveInformationModelFind.Value, keys);
        var received = 0;
        using var bound = new CancellationTokenSource(Timeout);
        await foreach (var _ in find.WithCancellation(bound.Token))
        {
            if (++received == 3)
            {
                await find.CancelAsync();
            }
        }

        Assert.Equal(DicomStatus.Cancel, find.FinalStatus);
        Assert.InRange(received, 3, 100);
        Assert.True(slow.SawCancellation);
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task Move_to_an_unknown_destination_is_A801_and_to_storescp_delivers_the_study()
    {
        var destPort = ExternalProcess.FreePort();
        var destDir = TestData.NewTempDirectory();
        try
        {
            await using var storescp = ExternalProcess.Start("storescp", "-aet", "DEST", "+xa", "-od", destDir, destPort.ToString(CultureInfo.InvariantCulture));
            await ExternalProcess.WaitForPortAsync(destPort, TimeSpan.FromSeconds(10));
            await using var scp = await DcmtkScuAgainstOurQueryRetrieveScpTests.StartAsync(data.Archive, new() { ["DEST"] = destPort });
            var client = Client(scp.Port);
            var unknown = await client.MoveAsync("NOBODY", StudyKeys(data.CtSmall.StudyInstanceUid));
            Assert.Equal(0xA801, unknown.Status.Code);

            var progress = new List<DicomRetrieveProgress>();
            var result = await client.MoveAsync("DEST", StudyKeys(data.CtSmall.StudyInstanceUid), progress: new SyncProgress<DicomRetrieveProgress>(progress.Add));
            Assert.Equal(DicomStatus.Success, result.Status);
            Assert.Equal((4, 0, 0), (result.Completed, result.Failed, result.Warning));
            Assert.Equal([3, 2, 1], progress.Select(p => p.Remaining ?? -1));
            var pairs = QueryRetrieveData.PairByUid(data.CtStudy, Directory.GetFiles(destDir));
            var report = await DatasetComparer.CompareAsync(pairs);
            Assert.True(report.TrimEnd().EndsWith("COMPARED bad=0", StringComparison.Ordinal), report);
        }
        finally
        {
            Directory.Delete(destDir, recursive: true);
        }
    }

    [Fact]
    public async Task Get_receives_the_study_on_the_same_association()
    {
        await using var scp = await DcmtkScuAgainstOurQueryRetrieveScpTests.StartAsync(data.Archive);
        var dir = TestData.NewTempDirectory();
        try
        {
            var store = new RecordingStoreHandler(dir);
            var result = await Client(scp.Port).GetAsync(StudyKeys(data.CtSmall.StudyInstanceUid), store);
            Assert.Equal(DicomStatus.Success, result.Status);
            Assert.Equal(4, result.Completed);
            await AssertReceivedEqualOriginalsAsync(store, data.CtStudy);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Pending_responses_of_a_get_come_at_most_once_per_interval_and_the_final_one_has_the_counts()
    {
        // Every sub-operation: a Pending response after each but the last.
        await using (var eager = await DcmtkScuAgainstOurQueryRetrieveScpTests.StartAsync(data.Archive))
        {
            var progress = new List<DicomRetrieveProgress>();
            var result = await Client(eager.Port).GetAsync(StudyKeys(data.CtSmall.StudyInstanceUid), new RecordingStoreHandler(), progress: new SyncProgress<DicomRetrieveProgress>(progress.Add));
            Assert.Equal((DicomStatus.Success, 4), (result.Status, result.Completed));
            Assert.Equal([3, 2, 1], progress.Select(p => p.Remaining ?? -1));
        }

        // An interval longer than the whole retrieve: no Pending response, the same final counts and instances.
        await using var sparse = await DcmtkScuAgainstOurQueryRetrieveScpTests.StartAsync(data.Archive, pendingInterval: TimeSpan.FromHours(1));
        var quiet = new List<DicomRetrieveProgress>();
        var store = new RecordingStoreHandler();
        var final = await Client(sparse.Port).GetAsync(StudyKeys(data.CtSmall.StudyInstanceUid), store, progress: new SyncProgress<DicomRetrieveProgress>(quiet.Add));
        Assert.Equal((DicomStatus.Success, 4, 0, 0), (final.Status, final.Completed, final.Failed, final.Warning));
        Assert.Empty(quiet);
        Assert.Equal(4, store.Received.Count);
    }

    [Fact]
    public async Task Get_without_a_context_for_some_classes_reports_B000_with_the_failed_uids()
    {
        await using var scp = await DcmtkScuAgainstOurQueryRetrieveScpTests.StartAsync(data.Archive);
        var store = new RecordingStoreHandler();
        IReadOnlyList<string> native = [DicomTransferSyntax.ExplicitVRLittleEndian.UidValue];
        var result = await Client(scp.Port).GetAsync(StudyKeys(data.CtSmall.StudyInstanceUid), store,
            storageContexts: [(DicomUid.CTImageStorage.Value, native)]);
        Assert.Equal(0xB000, result.Status.Code);
        Assert.Equal((1, 3), (result.Completed, result.Failed));
        Assert.Equal(data.CtStudy.Where(s => s.Modality != "CT").Select(s => s.SopInstanceUid).Order(StringComparer.Ordinal),
            result.FailedSopInstanceUids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Find_move_and_get_against_dcmqrscp()
    {
        var root = TestData.NewTempDirectory();
        var qrPort = ExternalProcess.FreePort();
        await using var scp = await ServerFixture.StartAsync(writeFiles: true);
        try
        {
            var db = Directory.CreateDirectory(Path.Combine(root, "db")).FullName;
            var config = Path.Combine(root, "dcmqrscp.cfg");
            await File.WriteAllTextAsync(config, $"""
                NetworkTCPPort = {qrPort}
                MaxPDUSize = 16384
                MaxAssociations = 16
                HostTable BEGIN
                ours = (PACS, 127.0.0.1, {scp.Port})
                HostTable END
                VendorTable BEGIN
                VendorTable END
                AETable BEGIN
                DCMQRSCP {db} RW (100, 1024mb) ANY
                AETable END
                """);
            await using var qr = ExternalProcess.Start("dcmqrscp", "-c", config, "-dhl", qrPort.ToString(CultureInfo.InvariantCulture));
            await ExternalProcess.WaitForPortAsync(qrPort, TimeSpan.FromSeconds(10));
            var load = await ExternalProcess.RunAsync(Timeout, "storescu", ["-aec", "DCMQRSCP", "127.0.0.1", qrPort.ToString(CultureInfo.InvariantCulture), .. data.CtStudyCommonClasses.Select(s => s.Path)]);
            Assert.True(load.ExitCode == 0, load.Output + qr.Output);

            var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = qrPort, CalledAETitle = "DCMQRSCP", CallingAETitle = "PACS_SCU" });
            var studies = new List<DicomDataset>();
            var keys = StudyKeys(string.Empty);
            keys.Add(DicomTag.PatientID, string.Empty);
            await foreach (var match in client.FindAsync(DicomUid.StudyRootQueryRetrieveInformationModelFind.Value, keys))
            {
                studies.Add(match);
            }

            Assert.Equal([data.CtSmall.StudyInstanceUid], studies.Select(s => s.GetString(DicomTag.StudyInstanceUID)));
            Assert.Equal(data.CtSmall.PatientId, studies[0].GetString(DicomTag.PatientID));

            var series = new List<DicomDataset>();
            await foreach (var match in client.FindAsync(DicomUid.StudyRootQueryRetrieveInformationModelFind.Value, SeriesKeys(data.CtSmall.StudyInstanceUid)))
            {
                series.Add(match);
            }

            Assert.Equal(data.CtStudyCommonClasses.Select(s => s.SeriesInstanceUid).Distinct().Order(StringComparer.Ordinal),
                series.Select(s => s.GetString(DicomTag.SeriesInstanceUID)).Order(StringComparer.Ordinal));

            var moved = await client.MoveAsync("PACS", StudyKeys(data.CtSmall.StudyInstanceUid));
            Assert.True(moved.Status == DicomStatus.Success, $"{moved}\n{qr.Output}");
            Assert.Equal(2, moved.Completed);
            await AssertReceivedEqualOriginalsAsync(scp.Store, data.CtStudyCommonClasses);

            var getDir = Directory.CreateDirectory(Path.Combine(root, "get")).FullName;
            var got = new RecordingStoreHandler(getDir);
            var result = await client.GetAsync(StudyKeys(data.CtSmall.StudyInstanceUid), got);
            Assert.True(result.Status == DicomStatus.Success, $"{result}\n{qr.Output}");
            Assert.Equal(2, result.Completed);
            await AssertReceivedEqualOriginalsAsync(got, data.CtStudyCommonClasses);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task AssertReceivedEqualOriginalsAsync(RecordingStoreHandler store, IReadOnlyList<IndexedSample> originals)
    {
        var received = store.Received.ToDictionary(r => r.Request.SopInstanceUid, r => r.Path!);
        Assert.Equal(originals.Select(o => o.SopInstanceUid).Order(StringComparer.Ordinal), received.Keys.Order(StringComparer.Ordinal));
        var report = await DatasetComparer.CompareAsync(originals.Select(o => (o.Path, received[o.SopInstanceUid])));
        Assert.True(report.TrimEnd().EndsWith("COMPARED bad=0", StringComparison.Ordinal), report);
    }

    private static DicomClient Client(int port) =>
        new(new DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAETitle = ServerFixture.AETitle, ResponseTimeout = Timeout });

    private static DicomDataset StudyKeys(string studyInstanceUid)
    {
        var keys = new DicomDataset();
        keys.Add(DicomTag.QueryRetrieveLevel, "STUDY");
        keys.Add(DicomTag.StudyInstanceUID, studyInstanceUid);
        return keys;
    }

    private static DicomDataset SeriesKeys(string studyInstanceUid)
    {
        var keys = new DicomDataset();
        keys.Add(DicomTag.QueryRetrieveLevel, "SERIES");
        keys.Add(DicomTag.StudyInstanceUID, studyInstanceUid);
        keys.Add(DicomTag.SeriesInstanceUID, string.Empty);
        keys.Add(DicomTag.Modality, string.Empty);
        return keys;
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, so order and completion would race the assertions).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
