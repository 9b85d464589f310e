using System.Buffers.Binary;
using System.Security.Cryptography;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Pdu;
using Pacs.Dicom.Network.Server;
using Pacs.Dicom.Network.Tests.Support;

namespace Pacs.Dicom.Network.Tests.Interop;

/// <summary>
/// A C-STORE dataset is read by its handler straight off the connection, fragment by fragment: whatever way the peer
/// cuts the message into PDVs and PDUs, the handler gets exactly the dataset's bytes, and a handler that stops early
/// leaves the association in step.
/// </summary>
public class DataSetFragmentTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Fragments_across_PDUs_with_an_empty_one_and_the_next_command_in_the_same_PDU_arrive_whole()
    {
        await using var scp = await ServerFixture.StartAsync();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(RawPeer.EchoRequest());
        Assert.IsType<AAssociateAc>(await peer.ReceiveAsync(Wait));

        var first = RandomNumberGenerator.GetBytes(6000);
        var second = RandomNumberGenerator.GetBytes(500);
        var command1 = DicomCommand.CStore(1, DicomUid.CTImageStorage.Value, "1.2.3.4.1").Encode();
        var command2 = DicomCommand.CStore(2, DicomUid.CTImageStorage.Value, "1.2.3.4.2").Encode();
        await peer.SendAsync(new PDataTf([new PresentationDataValue(3, true, true, command1)]));
        await peer.SendAsync(new PDataTf([
            new PresentationDataValue(3, false, false, first.AsMemory(0, 3000)),
            new PresentationDataValue(3, false, false, ReadOnlyMemory<byte>.Empty),
            new PresentationDataValue(3, false, false, first.AsMemory(3000, 2000)),
        ]));
        await peer.SendAsync(new PDataTf([
            new PresentationDataValue(3, false, true, first.AsMemory(5000)),
            new PresentationDataValue(3, true, true, command2),
        ]));
        await peer.SendAsync(new PDataTf([new PresentationDataValue(3, false, true, second)]));

        Assert.Equal(DicomStatus.Success.Code, (await ReceiveResponseAsync(peer)).Status.Code);
        Assert.Equal(DicomStatus.Success.Code, (await ReceiveResponseAsync(peer)).Status.Code);
        var received = scp.Store.Received.ToDictionary(r => r.Request.SopInstanceUid);
        Assert.Equal((Convert.ToHexString(SHA256.HashData(first)), 6000L), (received["1.2.3.4.1"].Sha256, received["1.2.3.4.1"].Length));
        Assert.Equal((Convert.ToHexString(SHA256.HashData(second)), 500L), (received["1.2.3.4.2"].Sha256, received["1.2.3.4.2"].Length));
    }

    [Fact]
    public async Task Handler_that_disposes_the_dataset_half_read_leaves_the_rest_dropped_and_the_association_in_step()
    {
        var handler = new HalfReadingHandler();
        await using var scp = await ServerFixture.StartAsync(handlers: h => h with { Store = handler });
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = scp.Port, CalledAETitle = ServerFixture.AETitle });
        await using var association = await client.ConnectAsync([
            (DicomUid.Verification.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.UidValue]),
            (DicomUid.CTImageStorage.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.UidValue]),
        ]);

        for (var i = 1; i <= 3; i++)
        {
            using var dataSet = new MemoryStream(RandomNumberGenerator.GetBytes(300_000));
            var status = await association.StoreAsync(DicomUid.CTImageStorage.Value, $"1.2.3.5.{i}", DicomTransferSyntax.ImplicitVRLittleEndian, dataSet);
            Assert.Equal(DicomStatus.Success.Code, status.Code);
        }

        Assert.True((await association.EchoAsync()).IsSuccess);
        Assert.Equal([100, 100, 100], handler.BytesRead);
    }

    /// <summary>The server takes 65,536-byte PDUs, so fragments carry 65,530 bytes: lengths around one and two of them.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(65_528)]
    [InlineData(65_530)]
    [InlineData(65_532)]
    [InlineData(131_060)]
    [InlineData(131_062)]
    public async Task Datasets_around_fragment_boundaries_arrive_whole(int length)
    {
        await using var scp = await ServerFixture.StartAsync();
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = scp.Port, CalledAETitle = ServerFixture.AETitle });
        await using var association = await client.ConnectAsync([(DicomUid.CTImageStorage.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.UidValue])]);
        var bytes = RandomNumberGenerator.GetBytes(length);
        using var dataSet = new MemoryStream(bytes);
        var status = await association.StoreAsync(DicomUid.CTImageStorage.Value, "1.2.3.7", DicomTransferSyntax.ImplicitVRLittleEndian, dataSet);

        Assert.Equal(DicomStatus.Success.Code, status.Code);
        var received = Assert.Single(scp.Store.Received);
        Assert.Equal((Convert.ToHexString(SHA256.HashData(bytes)), (long)length), (received.Sha256, received.Length));
    }

    [Fact]
    public async Task Peer_that_stops_sending_inside_a_fragment_is_aborted_and_nothing_is_stored()
    {
        await using var scp = await ServerFixture.StartAsync(configure: o => o with { Timeouts = o.Timeouts with { Idle = TimeSpan.FromSeconds(1) } });
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(RawPeer.EchoRequest());
        Assert.IsType<AAssociateAc>(await peer.ReceiveAsync(Wait));
        await peer.SendAsync(new PDataTf([new PresentationDataValue(3, true, true, DicomCommand.CStore(1, DicomUid.CTImageStorage.Value, "1.2.3.6").Encode())]));

        // A P-DATA-TF announcing a 1,000-byte fragment, of which only 10 bytes ever come.
        var partial = new byte[6 + 6 + 10];
        partial[0] = (byte)PduType.DataTransfer;
        BinaryPrimitives.WriteUInt32BigEndian(partial.AsSpan(2), 6 + 1000);
        BinaryPrimitives.WriteUInt32BigEndian(partial.AsSpan(6), 2 + 1000);
        partial[10] = 3;
        await peer.SendAsync(partial);

        var abort = Assert.IsType<AAbort>(await peer.ReceiveAsync(Wait));
        Assert.Equal(AbortSource.ServiceProvider, abort.Source);
        Assert.True(scp.Logger.Contains("inside a PDU"));
        Assert.Empty(scp.Store.Received);
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = scp.Port, CalledAETitle = ServerFixture.AETitle });
        Assert.True((await client.EchoAsync()).IsSuccess);
    }

    private static async Task<DicomCommand> ReceiveResponseAsync(RawPeer peer)
    {
        var data = Assert.IsType<PDataTf>(await peer.ReceiveAsync(Wait));
        var pdv = Assert.Single(data.Values);
        Assert.True(pdv.IsCommand && pdv.IsLastFragment);
        return DicomCommand.Decode(pdv.Data.Span);
    }

    /// <summary>Reads the first 100 bytes, disposes of the dataset and answers success.</summary>
    private sealed class HalfReadingHandler : IDicomStoreHandler
    {
        public List<int> BytesRead { get; } = [];

        public async ValueTask<DicomStatus> OnStoreAsync(DicomStoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            var buffer = new byte[100];
            await dataSet.ReadExactlyAsync(buffer, cancellationToken);
            await dataSet.DisposeAsync();
            lock (BytesRead)
            {
                BytesRead.Add(buffer.Length);
            }

            return DicomStatus.Success;
        }
    }
}
