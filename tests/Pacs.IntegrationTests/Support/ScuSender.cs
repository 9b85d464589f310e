using System.Collections.Concurrent;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Dimse;

namespace Pacs.IntegrationTests.Support;

/// <summary>Our SCU sending CT files on several associations at once, recording the status of each file.</summary>
public static class ScuSender
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    private const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary>
    /// Sends files[i::associations] on association i; a lost association ends that sender (the server was killed).
    /// Returns file → status for every file that got an answer.
    /// </summary>
    public static async Task<ConcurrentDictionary<string, ushort>> SendAsync(int port, IReadOnlyList<string> files, int associations, ConcurrentDictionary<string, ushort>? into = null)
    {
        var statuses = into ?? new ConcurrentDictionary<string, ushort>(StringComparer.Ordinal);
        var senders = Enumerable.Range(0, associations).Select(a => Task.Run(async () =>
        {
            var mine = files.Where((_, i) => i % associations == a).ToList();
            try
            {
                var client = new DicomClient(new DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAETitle = ServerProcess.AeTitle, CallingAETitle = $"SCU{a}" });
                var association = await client.ConnectAsync([(CtImageStorage, [ExplicitVRLittleEndian])]);
                await using (association)
                {
                    foreach (var file in mine)
                    {
                        var status = await association.StoreFileAsync(file);
                        statuses[file] = status.Code;
                    }

                    await association.ReleaseAsync();
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or Pacs.Dicom.Network.DicomNetworkException or OperationCanceledException or ObjectDisposedException)
            {
                // The server went away mid-association: what was answered is recorded, the rest is not acknowledged.
            }
        })).ToList();
        await Task.WhenAll(senders);
        return statuses;
    }

    public static bool IsSuccess(ushort status) => status == 0x0000;
}
