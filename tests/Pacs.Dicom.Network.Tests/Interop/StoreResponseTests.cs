using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Tests.Interop;

/// <summary>
/// The requestor's side of C-STORE (what a C-MOVE sends its sub-operations with): the caller goes on from a C-STORE-RSP
/// on the association's read loop, so a response that carries a dataset, which that same loop has to feed, must neither
/// stall the caller nor put the association out of step.
/// </summary>
public class StoreResponseTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_store_response_carrying_a_dataset_is_drained_and_the_next_stores_go_on()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var peer = RunDestinationAsync(listener);

        var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAETitle = "DEST" });
        await using (var association = await client.ConnectAsync([(DicomUid.CTImageStorage.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.UidValue])]))
        {
            for (var i = 1; i <= 3; i++)
            {
                using var dataSet = new MemoryStream(RandomNumberGenerator.GetBytes(40_000));
                var status = await association.StoreAsync(DicomUid.CTImageStorage.Value, $"1.2.3.6.{i}", DicomTransferSyntax.ImplicitVRLittleEndian, dataSet)
                    .WaitAsync(Wait);
                Assert.Equal(DicomStatus.Success.Code, status.Code);
            }

            await association.ReleaseAsync().WaitAsync(Wait);
        }

        // Every request reached the peer whole, in order, and the release was answered.
        Assert.Equal(["1.2.3.6.1", "1.2.3.6.2", "1.2.3.6.3"], await peer.WaitAsync(Wait));
    }

    /// <summary>
    /// A move destination that answers every C-STORE with Success and, for the first one, a 70,000-byte dataset in five
    /// PDUs (a peer may send one; the requestor reads it off and drops it). Returns the SOP Instance UIDs it received.
    /// </summary>
    private static async Task<List<string>> RunDestinationAsync(TcpListener listener)
    {
        using var socket = await listener.AcceptTcpClientAsync();
        var stream = socket.GetStream();
        var rq = Assert.IsType<AAssociateRq>(await ReadPduAsync(stream));
        var context = rq.PresentationContexts.Single();
        await stream.WriteAsync(PduEncoder.Encode(new AAssociateAc
        {
            CalledAETitle = rq.CalledAETitle,
            CallingAETitle = rq.CallingAETitle,
            PresentationContexts = [new PresentationContextAnswer(context.Id, PresentationContextResult.Acceptance, DicomTransferSyntax.ImplicitVRLittleEndian.UidValue)],
            UserInformation = new UserInformation { MaximumLength = 16384, ImplementationClassUid = "1.2.3.4" },
        }));

        var received = new List<string>();
        using var command = new MemoryStream();
        var dataSetLength = 0;
        while (await ReadPduAsync(stream) is { } pdu)
        {
            if (pdu is AReleaseRq)
            {
                await stream.WriteAsync(PduEncoder.Encode(new AReleaseRp()));
                return received;
            }

            foreach (var pdv in Assert.IsType<PDataTf>(pdu).Values)
            {
                if (pdv.IsCommand)
                {
                    command.Write(pdv.Data.Span);
                    continue;
                }

                dataSetLength += pdv.Data.Length;
                if (!pdv.IsLastFragment)
                {
                    continue;
                }

                var request = DicomCommand.Decode(command.ToArray());
                Assert.Equal(40_000, dataSetLength);
                received.Add(request.AffectedSOPInstanceUID!);
                command.SetLength(0);
                dataSetLength = 0;

                var withDataSet = received.Count == 1;
                var response = DicomCommand.Response(request, DicomStatus.Success, hasDataSet: withDataSet).Encode();
                await stream.WriteAsync(PduEncoder.Encode(new PDataTf([new PresentationDataValue(context.Id, true, true, response)])));
                if (withDataSet)
                {
                    var stray = RandomNumberGenerator.GetBytes(70_000);
                    for (var offset = 0; offset < stray.Length; offset += 16_000)
                    {
                        var fragment = stray.AsMemory(offset, Math.Min(16_000, stray.Length - offset));
                        await stream.WriteAsync(PduEncoder.Encode(new PDataTf([new PresentationDataValue(context.Id, false, offset + 16_000 >= stray.Length, fragment)])));
                    }
                }
            }
        }

        throw new InvalidOperationException("The requestor closed the connection without releasing the association.");
    }

    private static async Task<DicomPdu?> ReadPduAsync(NetworkStream stream)
    {
        var header = new byte[6];
        if (await stream.ReadAtLeastAsync(header, 6, throwOnEndOfStream: false) < 6)
        {
            return null;
        }

        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
        await stream.ReadExactlyAsync(body);
        return PduDecoder.Decode((PduType)header[0], body);
    }
}
