using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Tests.Support;

/// <summary>A misbehaving peer: writes arbitrary bytes on a raw socket and reads whole PDUs back.</summary>
public sealed class RawPeer : IDisposable
{
    private readonly TcpClient _client = new() { NoDelay = true };

    public NetworkStream Stream => _client.GetStream();

    public static async Task<RawPeer> ConnectAsync(int port)
    {
        var peer = new RawPeer();
        await peer._client.ConnectAsync(IPAddress.Loopback, port);
        return peer;
    }

    public static AAssociateRq EchoRequest(string calledAE = ServerFixture.AETitle, string callingAE = "RAWPEER") => new()
    {
        CalledAETitle = calledAE,
        CallingAETitle = callingAE,
        PresentationContexts =
        [
            new PresentationContextProposal(1, DicomUid.Verification.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.UidValue]),
            new PresentationContextProposal(3, DicomUid.CTImageStorage.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.UidValue]),
        ],
        UserInformation = new UserInformation { MaximumLength = 16384, ImplementationClassUid = "1.2.3.4" },
    };

    public Task SendAsync(byte[] bytes) => Stream.WriteAsync(bytes).AsTask();

    public Task SendAsync(DicomPdu pdu) => SendAsync(PduEncoder.Encode(pdu));

    /// <summary>The next PDU, or null if the server closed the connection; fails if nothing happens within the timeout.</summary>
    public async Task<DicomPdu?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var header = new byte[6];
        try
        {
            if (await Stream.ReadAtLeastAsync(header, 6, throwOnEndOfStream: false, cts.Token) < 6)
            {
                return null;
            }

            var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
            await Stream.ReadExactlyAsync(body, cts.Token);
            return PduDecoder.Decode((PduType)header[0], body);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>True when the server closes the connection within the timeout.</summary>
    public async Task<bool> ClosedByServerAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await Stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();
}
