using System.Buffers.Binary;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Pdu;
using Pacs.Dicom.Network.Tests.Support;

namespace Pacs.Dicom.Network.Tests.Interop;

/// <summary>Misbehaving peers get the PS3.8 answer, are logged, and the server keeps serving a well-behaved client.</summary>
public class BadPeerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Unknown_pdu_type_is_aborted_with_unrecognized_pdu()
    {
        await using var scp = await ServerFixture.StartAsync();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync([0x0A, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00]);
        var abort = Assert.IsType<AAbort>(await peer.ReceiveAsync(Wait));
        Assert.Equal(AbortReason.UnrecognizedPdu, abort.Reason);
        Assert.True(await peer.ClosedByServerAsync(Wait));
        Assert.True(scp.Logger.Contains("invalid PDU"));
        await AssertStillServesAsync(scp);
    }

    [Fact]
    public async Task Client_that_sends_nothing_is_closed_when_artim_expires()
    {
        await using var scp = await ServerFixture.StartAsync();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        var started = DateTime.UtcNow;
        Assert.True(await peer.ClosedByServerAsync(Wait));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1.5), "closed before the 2 s ARTIM timeout");
        Assert.True(scp.Logger.Contains("(ARTIM)"));
        await AssertStillServesAsync(scp);
    }

    [Fact]
    public async Task Truncated_pdu_is_logged_and_the_server_carries_on()
    {
        await using var scp = await ServerFixture.StartAsync();
        using (var peer = await RawPeer.ConnectAsync(scp.Port))
        {
            var rq = PduEncoder.Encode(RawPeer.EchoRequest());
            await peer.SendAsync(rq[..(rq.Length / 2)]);
        }

        await WaitUntilAsync(() => scp.Logger.Contains("connection ended"));
        await AssertStillServesAsync(scp);
    }

    [Fact]
    public async Task Malformed_associate_request_is_aborted_with_invalid_parameter()
    {
        await using var scp = await ServerFixture.StartAsync();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        var rq = PduEncoder.Encode(RawPeer.EchoRequest());

        // Make the presentation context item claim more bytes than the PDU holds.
        var pc = Array.IndexOf(rq, (byte)0x20, 74);
        BinaryPrimitives.WriteUInt16BigEndian(rq.AsSpan(pc + 2), 0xFFF0);
        await peer.SendAsync(rq);
        var abort = Assert.IsType<AAbort>(await peer.ReceiveAsync(Wait));
        Assert.Equal(AbortReason.InvalidPduParameterValue, abort.Reason);
        await AssertStillServesAsync(scp);
    }

    [Fact]
    public async Task PData_longer_than_the_negotiated_maximum_is_aborted()
    {
        await using var scp = await ServerFixture.StartAsync(configure: o => o with { MaxPduLength = 16384 });
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(RawPeer.EchoRequest());
        var ac = Assert.IsType<AAssociateAc>(await peer.ReceiveAsync(Wait));
        Assert.Equal(16384u, ac.UserInformation.MaximumLength);

        await peer.SendAsync([0x04, 0x00, 0x00, 0x01, 0x00, 0x00]); // P-DATA-TF claiming 65536 bytes
        var abort = Assert.IsType<AAbort>(await peer.ReceiveAsync(Wait));
        Assert.Equal(AbortSource.ServiceProvider, abort.Source);
        Assert.Equal(AbortReason.InvalidPduParameterValue, abort.Reason);
        Assert.True(scp.Logger.Contains("protocol error"));
        await AssertStillServesAsync(scp);
    }

    [Fact]
    public async Task Abort_in_the_middle_of_a_store_reaches_no_handler_result_and_is_logged()
    {
        await using var scp = await ServerFixture.StartAsync();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(RawPeer.EchoRequest());
        Assert.IsType<AAssociateAc>(await peer.ReceiveAsync(Wait));
        var command = DicomCommand.CStore(1, DicomUid.CTImageStorage.Value, "1.2.3.4").Encode();
        await peer.SendAsync(new PDataTf([
            new PresentationDataValue(3, true, true, command),
            new PresentationDataValue(3, false, false, new byte[1000]),
        ]));
        await peer.SendAsync(new AAbort(AbortSource.ServiceUser, AbortReason.NotSpecified));
        Assert.True(await peer.ClosedByServerAsync(Wait));
        await WaitUntilAsync(() => scp.Logger.Contains("A-ABORT received"));
        await WaitUntilAsync(() => scp.Logger.Contains("abandoned"));
        Assert.Empty(scp.Store.Received);
        await AssertStillServesAsync(scp);
    }

    [Fact]
    public async Task Dataset_fragment_without_a_command_is_aborted_as_unexpected()
    {
        await using var scp = await ServerFixture.StartAsync();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(RawPeer.EchoRequest());
        Assert.IsType<AAssociateAc>(await peer.ReceiveAsync(Wait));
        await peer.SendAsync(new PDataTf([new PresentationDataValue(3, false, true, new byte[10])]));
        var abort = Assert.IsType<AAbort>(await peer.ReceiveAsync(Wait));
        Assert.Equal(AbortReason.UnexpectedPduParameter, abort.Reason);
    }

    [Fact]
    public async Task Flood_beyond_the_association_limit_is_rejected_while_an_established_client_keeps_working()
    {
        await using var scp = await ServerFixture.StartAsync(configure: o => o with { MaxAssociations = 4 });
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = scp.Port, CalledAETitle = ServerFixture.AETitle });
        await using var steady = await client.ConnectAsync([(DicomUid.Verification.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.UidValue])]);

        var flood = Enumerable.Range(0, 53).Select(async _ =>
        {
            var peer = await RawPeer.ConnectAsync(scp.Port);
            await peer.SendAsync(RawPeer.EchoRequest());
            return (peer, await peer.ReceiveAsync(TimeSpan.FromSeconds(30)));
        }).ToList();

        // The established association keeps getting answers while the flood is handled.
        var echoes = 0;
        while (!flood.All(f => f.IsCompleted))
        {
            Assert.True((await steady.EchoAsync()).IsSuccess);
            echoes++;
        }

        var answers = await Task.WhenAll(flood);
        try
        {
            Assert.True(echoes > 0);
            Assert.Equal(3, answers.Count(a => a.Item2 is AAssociateAc));
            var rejects = answers.Select(a => a.Item2).OfType<AAssociateRj>().ToList();
            Assert.Equal(50, rejects.Count);
            Assert.All(rejects, r =>
            {
                Assert.Equal(RejectResult.Transient, r.Result);
                Assert.Equal(RejectSource.ServiceProviderPresentation, r.Source);
                Assert.Equal(RejectReasons.LocalLimitExceeded, r.Reason);
            });
            Assert.True(scp.Logger.Contains("Association rejected"));
            Assert.True((await steady.EchoAsync()).IsSuccess);
        }
        finally
        {
            foreach (var (peer, _) in answers)
            {
                peer.Dispose();
            }
        }
    }

    private static async Task AssertStillServesAsync(ServerFixture scp)
    {
        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = scp.Port, CalledAETitle = ServerFixture.AETitle });
        Assert.True((await client.EchoAsync()).IsSuccess);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
