using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Tests.Support;

namespace Pacs.Dicom.Network.Tests.Interop;

/// <summary>Our SCU and SCP together: fragmentation at small PDU sizes and many concurrent associations.</summary>
public class OurScuAgainstOurScpTests
{
    [Fact]
    public async Task Sixteen_concurrent_associations_of_100_instances_arrive_intact()
    {
        await using var scp = await ServerFixture.StartAsync();
        var samples = await SmallSamplesAsync(10);
        var expected = new Dictionary<string, string>();
        foreach (var s in samples)
        {
            expected[s.Path] = s.Hash;
        }

        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = scp.Port, CalledAETitle = ServerFixture.AETitle });
        var sent = new System.Collections.Concurrent.ConcurrentBag<string>();
        var workers = Enumerable.Range(0, 16).Select(async worker =>
        {
            var files = Enumerable.Range(0, 100).Select(i => samples[(worker + i) % samples.Count].Path).ToList();
            var results = await client.StoreFilesAsync(files);
            Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Path}: {r.Status} {r.Error}"));
            foreach (var r in results)
            {
                sent.Add(expected[r.Path]);
            }
        });
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(5));

        Assert.Equal(1600, scp.Store.Received.Count);
        Assert.Equal(sent.OrderBy(h => h, StringComparer.Ordinal), scp.Store.Received.Select(r => r.Sha256).OrderBy(h => h, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(4096u, 8192u)]
    [InlineData(65536u, 4096u)]
    public async Task Datasets_fragmented_at_small_pdu_sizes_reassemble_byte_for_byte(uint serverMaxPdu, uint clientMaxPdu)
    {
        await using var scp = await ServerFixture.StartAsync(configure: o => o with { MaxPduLength = serverMaxPdu });
        var samples = await SmallSamplesAsync(3, minimumSize: 3 * 65536);
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = scp.Port, CalledAETitle = ServerFixture.AETitle, MaxPduLength = clientMaxPdu });
        var results = await client.StoreFilesAsync(samples.Select(s => s.Path));
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        Assert.Equal(samples.Select(s => s.Hash).Order(StringComparer.Ordinal), scp.Store.Received.Select(r => r.Sha256).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Idle_association_is_aborted_after_the_idle_limit()
    {
        await using var scp = await ServerFixture.StartAsync(configure: o => o with { Timeouts = o.Timeouts with { Idle = TimeSpan.FromSeconds(1) } });
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = scp.Port, CalledAETitle = ServerFixture.AETitle });
        await using var association = await client.ConnectAsync([(DicomUid.Verification.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.UidValue])]);
        await association.Association.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Pacs.Dicom.Network.Association.AssociationState.Idle, association.Association.State);
        Assert.True(scp.Logger.Contains("idle for"));
    }

    /// <summary>Uncompressed, well-formed samples with an even dataset length, smallest first.</summary>
    private static async Task<List<(string Path, string Hash)>> SmallSamplesAsync(int count, long minimumSize = 0)
    {
        var result = new List<(string, string)>();
        foreach (var path in TestData.Part10Samples().OrderBy(p => new FileInfo(p).Length))
        {
            var length = new FileInfo(path).Length;
            if (length < minimumSize || length > 2_000_000)
            {
                continue;
            }

            try
            {
                await using var stream = File.OpenRead(path);
                var header = await Part10Header.ReadAsync(stream);
                var ts = DicomTransferSyntax.Lookup(header.TransferSyntaxUid);
                if (ts is null || ts.IsEncapsulated || ts.IsDeflated || ((length - header.DataSetOffset) & 1) != 0
                    || Server.PresentationContextNegotiator.StorageSopClasses.All(c => c != header.SopClassUid))
                {
                    continue;
                }
            }
            catch (DicomException)
            {
                continue;
            }

            result.Add((path, await RecordingStoreHandler.DataSetHashAsync(path)));
            if (result.Count == count)
            {
                break;
            }
        }

        Assert.Equal(count, result.Count);
        return result;
    }
}
