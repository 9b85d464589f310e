using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Tests.Support;

namespace Pacs.Dicom.Network.Tests.Interop;

/// <summary>DCMTK's echoscu and storescu as real peers of our SCP.</summary>
public class DcmtkScuAgainstOurScpTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Echoscu_gets_success()
    {
        await using var scp = await ServerFixture.StartAsync();
        var (code, output) = await ExternalProcess.RunAsync(Timeout, "echoscu", "-v", "-aec", ServerFixture.AETitle, "127.0.0.1", scp.Port.ToString());
        Assert.True(code == 0, output);
        Assert.Contains("Received Echo Response (Success)", output);
        Assert.True(scp.Logger.Contains("Association accepted: ECHOSCU"));
    }

    [Fact]
    public async Task Echoscu_with_wrong_called_ae_is_rejected_with_reason_7()
    {
        await using var scp = await ServerFixture.StartAsync();
        var (code, output) = await ExternalProcess.RunAsync(Timeout, "echoscu", "-v", "-aec", "WRONG", "127.0.0.1", scp.Port.ToString());
        Assert.NotEqual(0, code);
        Assert.Contains("Called AE Title Not Recognized", output);
        Assert.True(scp.Logger.Contains("Association rejected"));
    }

    [Fact]
    public async Task Calling_ae_outside_the_allow_list_is_rejected_with_reason_3()
    {
        await using var scp = await ServerFixture.StartAsync(configure: o => o with { AllowedCallingAETitles = new HashSet<string> { "FRIEND" } });
        var (code, output) = await ExternalProcess.RunAsync(Timeout, "echoscu", "-v", "-aet", "STRANGER", "-aec", ServerFixture.AETitle, "127.0.0.1", scp.Port.ToString());
        Assert.NotEqual(0, code);
        Assert.Contains("Calling AE Title Not Recognized", output);
        var ok = await ExternalProcess.RunAsync(Timeout, "echoscu", "-aet", "FRIEND", "-aec", ServerFixture.AETitle, "127.0.0.1", scp.Port.ToString());
        Assert.Equal(0, ok.ExitCode);
    }

    /// <summary>
    /// Every sample DCMTK can send, proposed with the file's own TS (-R), explicit LE first (-xe) and implicit LE
    /// only (-xi). The same storescu call goes to our SCP and to DCMTK's storescp: what we received must equal, per
    /// pydicom, what storescp received (so storescu's own conversions cancel out), and a file refused by one must be
    /// refused by the other.
    /// </summary>
    [Theory]
    [InlineData("-R")]
    [InlineData("-xe")]
    [InlineData("-xi")]
    public async Task Storescu_sends_every_sample_and_the_datasets_arrive_intact(string proposal)
    {
        await using var scp = await ServerFixture.StartAsync(writeFiles: true);
        var refPort = ExternalProcess.FreePort();
        var refDir = TestData.NewTempDirectory();
        try
        {
            await using var storescp = ExternalProcess.Start("storescp", "+xa", "+uf", "-od", refDir, refPort.ToString());
            await ExternalProcess.WaitForPortAsync(refPort, TimeSpan.FromSeconds(10));
            var pairs = new List<(string Reference, string Ours)>();
            foreach (var file in TestData.Part10Samples())
            {
                var before = scp.Store.Received.Count;
                var ours = await ExternalProcess.RunAsync(Timeout, "storescu", proposal, "-aec", ServerFixture.AETitle, "127.0.0.1", scp.Port.ToString(), file);
                var refBefore = Directory.GetFiles(refDir);
                var reference = await ExternalProcess.RunAsync(Timeout, "storescu", proposal, "127.0.0.1", refPort.ToString(), file);
                var refNew = Directory.GetFiles(refDir).Except(refBefore).ToList();
                var oursNew = scp.Store.Received.Where(r => r.Path is not null).OrderBy(r => r.Path, StringComparer.Ordinal).Skip(before).ToList();
                Assert.True(refNew.Count == oursNew.Count, $"{Path.GetFileName(file)}: storescp got {refNew.Count}, we got {oursNew.Count}\nours: {ours.Output}\nreference: {reference.Output}");
                Assert.Equal(ours.ExitCode == 0, reference.ExitCode == 0);
                if (refNew.Count == 1)
                {
                    pairs.Add((refNew[0], oursNew[0].Path!));
                }
            }

            Assert.True(pairs.Count >= 40, $"only {pairs.Count} samples were sent with {proposal}");
            var report = await DatasetComparer.CompareAsync(pairs);
            Assert.True(report.TrimEnd().EndsWith("COMPARED bad=0", StringComparison.Ordinal), report);
        }
        finally
        {
            Directory.Delete(refDir, recursive: true);
        }
    }

    [Fact]
    public async Task Our_scu_stores_to_dcmtk_storescp_and_the_files_arrive_intact()
    {
        var port = ExternalProcess.FreePort();
        var outDir = TestData.NewTempDirectory();
        try
        {
            await using var storescp = ExternalProcess.Start("storescp", "-d", "+B", "+xa", "+uf", "-od", outDir, "-aet", "STORESCP", port.ToString());
            await ExternalProcess.WaitForPortAsync(port, TimeSpan.FromSeconds(10));
            var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAETitle = "STORESCP" });
            Assert.True((await client.EchoAsync()).IsSuccess);

            // storescp names files by SOP instance UID: send one sample per (instance, transfer syntax) so none overwrites another.
            var files = TestData.Part10Samples().DistinctBy(f => SafeKey(f)).ToList();
            IReadOnlyList<DicomStoreFileResult> results;
            try
            {
                results = await client.StoreFilesAsync(files);
            }
            catch (DicomNetworkException e)
            {
                throw new DicomNetworkException(e.Message + "\nstorescp said:\n" + storescp.Output[^Math.Min(3000, storescp.Output.Length)..], e);
            }

            var stored = results.Where(r => r.Succeeded).ToList();

            // A file may fail only when DCMTK's own storescu cannot send it to the same storescp either (a file storescp
            // cannot parse makes it abort; we carry on with a new association).
            // Files are sent unparsed, as stored: one DCMTK repairs on its way (odd length, bad VR) may be refused by us
            // or by storescp, but only if dcmdump too reports it as non-conformant.
            foreach (var failure in results.Where(r => !r.Succeeded))
            {
                var (code, output) = await ExternalProcess.RunAsync(Timeout, "storescu", "-aec", "STORESCP", "127.0.0.1", port.ToString(), failure.Path);
                if (code != 0)
                {
                    continue;
                }

                var (_, dump) = await ExternalProcess.RunAsync(Timeout, "dcmdump", failure.Path);
                var (_, uids) = await ExternalProcess.RunAsync(Timeout, "dcmdump", "+P", "0002,0003", "+P", "0008,0018", failure.Path);
                var uidValues = uids.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('[', ']')).Where(p => p.Length > 1).Select(p => p[1]).Distinct().Count();
                Assert.True(dump.Contains("W: ", StringComparison.Ordinal) || dump.Contains("E: ", StringComparison.Ordinal) || uidValues > 1,
                    $"{failure.Path} failed ({failure.Status} {failure.Error}) although it is well formed and storescu sends it: {output}");
            }

            Assert.True(stored.Count >= 50, $"only {stored.Count} of {files.Count} stored");
            var byInstance = Directory.EnumerateFiles(outDir).GroupBy(SafeKey).ToDictionary(g => g.Key, g => g.First());
            var pairs = new List<(string, string)>();
            foreach (var result in stored)
            {
                var key = PeekInstanceUid(result.Path) + "|" + PeekTransferSyntax(result.Path);
                Assert.True(byInstance.TryGetValue(key, out var received), $"{result.Path} was not written by storescp");
                pairs.Add((result.Path, received));
            }

            // storescp +B writes the dataset bytes exactly as they arrived: they must be the file's, byte for byte
            // (plus the PS3.5 A.5 pad byte for an odd-length deflated stream).
            foreach (var (sentPath, receivedPath) in pairs)
            {
                var sentBytes = await DataSetBytesAsync(sentPath);
                if ((sentBytes.Length & 1) != 0)
                {
                    sentBytes = [.. sentBytes, 0];
                }

                var receivedBytes = await DataSetBytesAsync(receivedPath);
                Assert.True(sentBytes.AsSpan().SequenceEqual(receivedBytes), $"{sentPath}: dataset bytes differ from what storescp received");
            }
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    private static async Task<byte[]> DataSetBytesAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await Part10Header.ReadAsync(stream);
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest);
        return rest.ToArray();
    }

    private static string SafeKey(string path)
    {
        try
        {
            return PeekInstanceUid(path) + "|" + PeekTransferSyntax(path);
        }
        catch (DicomException)
        {
            return path;
        }
    }

    private static string PeekInstanceUid(string path)
    {
        using var stream = File.OpenRead(path);
        return Part10Header.ReadAsync(stream).GetAwaiter().GetResult().SopInstanceUid;
    }

    private static string PeekTransferSyntax(string path)
    {
        using var stream = File.OpenRead(path);
        return Part10Header.ReadAsync(stream).GetAwaiter().GetResult().TransferSyntaxUid;
    }
}
