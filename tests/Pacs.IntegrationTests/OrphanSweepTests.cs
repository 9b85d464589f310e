using Pacs.IntegrationTests.Support;

namespace Pacs.IntegrationTests;

/// <summary>
/// A power cut can keep a blob whose reservation row was never flushed. The server deletes such orphans by itself at its
/// first sweep after an unclean stop, and leaves every stored instance alone.
/// </summary>
[Collection(ExternalServicesCollection.Name)]
public sealed class OrphanSweepTests
{
    private const string OrphanKey = "1.2.826.0.1.3680043.10.77/1.2.826.0.1.3680043.10.78/1.2.826.0.1.3680043.10.79.1";

    [Fact]
    public async Task After_an_unclean_stop_the_server_deletes_blobs_no_row_refers_to_and_nothing_else()
    {
        var data = TestData.NewDirectory("pacs-it-ct");
        try
        {
            var files = TestData.GenerateCt(data, studies: 1, series: 1, instances: 6, seed: 31);
            var settings = new Dictionary<string, string>
            {
                ["Pacs:Ingest:SweepIntervalMinutes"] = "0.01",
                ["Pacs:Ingest:StaleReservationMinutes"] = "0.05",
                ["Pacs:Ingest:OrphanSweepHours"] = "0",
            };
            await using var server = new ServerProcess(TestData.NewDirectory("pacs-it"), settings);
            await server.StartAsync();
            var statuses = await ScuSender.SendAsync(server.DicomPort, files, associations: 2);
            Assert.All(files, f => Assert.True(statuses.TryGetValue(f, out var s) && ScuSender.IsSuccess(s), f));

            // The blob a lost reservation row leaves, an hour old.
            var orphan = Path.Combine(server.DataDirectory, "blobs", OrphanKey.Replace('/', Path.DirectorySeparatorChar));
            await server.OpenFileSystemBlobs().PutAsync(OrphanKey, new MemoryStream(new byte[1024]));
            File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow.AddHours(-1));

            // After a clean stop nothing is suspected: with the periodic orphan sweep off, several sweeps leave it.
            await server.StopAsync();
            await server.StartAsync();
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.True(File.Exists(orphan), "the orphan sweep ran although the server had stopped cleanly");

            // Killed, then started again: the first sweep deletes it.
            await server.KillAsync();
            await server.StartAsync();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (File.Exists(orphan) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            Assert.False(File.Exists(orphan), "the orphan blob is still there 30 s after the restart");
            Assert.Contains("Orphan sweep: deleted 1 blobs", server.Output, StringComparison.Ordinal);
            await using var index = await server.OpenIndexAsync();
            Assert.Equal(files.Count, await StoredCheck.ScalarAsync(index, "SELECT count(*) FROM instance"));
            await StoredCheck.AssertStoredByteEqualAsync(index, server.OpenFileSystemBlobs(), files);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
