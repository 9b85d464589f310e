using Pacs.Archive.Maintenance;
using Pacs.IntegrationTests.Support;

namespace Pacs.IntegrationTests;

/// <summary>No acknowledged instance is ever lost: SIGKILL during ingest, storage outages, concurrent stores.</summary>
[Collection(ExternalServicesCollection.Name)]
public sealed class DurabilityTests(ExternalServices services)
{
    [Fact]
    public async Task Every_acknowledged_instance_survives_sigkill_during_a_four_association_ingest()
    {
        var data = TestData.NewDirectory("pacs-it-ct");
        try
        {
            var files = TestData.GenerateCt(data, studies: 1, series: 2, instances: 60, seed: 11);
            await using var server = new ServerProcess(TestData.NewDirectory("pacs-it"));
            var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, ushort>(StringComparer.Ordinal);

            // Kill at several points: after a few acknowledgements, mid-way, and late.
            foreach (var killAfter in new[] { 5, 40, 80 })
            {
                await server.StartAsync();
                var pending = files.Where(f => !statuses.TryGetValue(f, out var s) || !ScuSender.IsSuccess(s)).ToList();
                var sending = ScuSender.SendAsync(server.DicomPort, pending, associations: 4, statuses);
                while (!sending.IsCompleted && statuses.Values.Count(ScuSender.IsSuccess) < killAfter)
                {
                    await Task.Delay(5);
                }

                await server.KillAsync();
                await sending;
            }

            var acknowledged = statuses.Where(s => ScuSender.IsSuccess(s.Value)).Select(s => s.Key).ToList();
            Assert.True(acknowledged.Count >= 80, $"only {acknowledged.Count} acknowledged before the last kill");

            // Meanwhile another node sharing the index has a store in flight (the killed server's cluster is still up).
            Pacs.Archive.Index.Reservation otherNodes;
            await using (var otherNode = await Pacs.Archive.Index.IndexStore.OpenAsync(new Pacs.Archive.Index.IndexStoreOptions { ConnectionString = server.ConnectionString, NodeName = "other-node" }))
            {
                otherNodes = await otherNode.ReserveAsync("1.2.826.0.1.3680043.10.1", "1.2.826.0.1.3680043.10.2", "1.2.826.0.1.3680043.10.3", "1.2.840.10008.1.2.1", "OTHER");
            }

            // Restarted: the start-up sweep removes what the kills left reserved, and only that; every acknowledged file
            // is there, equal.
            await server.StartAsync();
            await using (var index = await server.OpenIndexAsync())
            {
                Assert.Equal(1, await StoredCheck.ScalarAsync(index, "SELECT count(*) FROM instance_version WHERE state = 'creating'"));
                Assert.Equal(otherNodes.Version, await StoredCheck.ScalarAsync(index, "SELECT version_pk FROM instance_version WHERE state = 'creating'"));
                await StoredCheck.AssertStoredByteEqualAsync(index, server.OpenFileSystemBlobs(), acknowledged);

                // The other node, restarted in its turn, drops its own.
                Assert.Equal(1, (await new ArchiveSweeper(index, server.OpenFileSystemBlobs()).SweepStaleReservationsAsync(TimeSpan.Zero, "other-node")).StaleReservations);
            }

            // The rest goes in now; then the orphan sweep leaves index and blobs in exact agreement.
            var rest = files.Except(acknowledged).ToList();
            var final = await ScuSender.SendAsync(server.DicomPort, rest, associations: 4);
            Assert.All(rest, f => Assert.True(final.TryGetValue(f, out var s) && ScuSender.IsSuccess(s), f));
            await server.StopAsync();

            await using (var index = await server.OpenIndexAsyncAfterStop())
            {
                var blobs = server.OpenFileSystemBlobs();
                await new ArchiveSweeper(index, blobs).SweepOrphanBlobsAsync(TimeSpan.Zero);
                var report = await new ArchiveVerifier(index, blobs).VerifyAsync(new ArchiveVerifyOptions { MinimumAge = TimeSpan.Zero });
                Assert.True(report.IsClean, string.Join('\n', report.Problems));
                Assert.Equal(files.Count, report.VersionsChecked);
                Assert.Equal(files.Count, report.BlobsListed);
                Assert.Equal(files.Count, await StoredCheck.ScalarAsync(index, "SELECT count(*) FROM instance"));
                await StoredCheck.AssertStoredByteEqualAsync(index, blobs, files);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Eight_concurrent_associations_into_one_study_give_exact_counts_and_no_deadlock()
    {
        var data = TestData.NewDirectory("pacs-it-ct");
        try
        {
            var files = TestData.GenerateCt(data, studies: 1, series: 2, instances: 40, seed: 12);
            await using var server = new ServerProcess(TestData.NewDirectory("pacs-it"));
            await server.StartAsync();
            var statuses = await ScuSender.SendAsync(server.DicomPort, files, associations: 8);
            Assert.All(files, f => Assert.True(statuses.TryGetValue(f, out var s) && ScuSender.IsSuccess(s), f));

            await using var index = await server.OpenIndexAsync();
            Assert.Equal(80, await StoredCheck.ScalarAsync(index, "SELECT count(*) FROM instance"));
            Assert.Equal(80, await StoredCheck.ScalarAsync(index, "SELECT number_of_study_related_instances FROM study"));
            Assert.Equal(2, await StoredCheck.ScalarAsync(index, "SELECT number_of_study_related_series FROM study"));
            Assert.Equal(80, await StoredCheck.ScalarAsync(index, "SELECT sum(number_of_series_related_instances) FROM series"));
            Assert.Equal(40, await StoredCheck.ScalarAsync(index, "SELECT min(number_of_series_related_instances) FROM series"));
            Assert.Equal(80, await StoredCheck.ScalarAsync(index, "SELECT number_of_patient_related_instances FROM patient"));
            Assert.Equal(await StoredCheck.ScalarAsync(index, "SELECT sum(size) FROM instance"), await StoredCheck.ScalarAsync(index, "SELECT study_size FROM study"));
            Assert.DoesNotContain("deadlock", server.Output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("40P01", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public Task S3_outage_gives_failures_not_successes_and_stores_resume_without_a_restart() =>
        OutageGivesFailuresThenStoresResumeAsync("s3down", seed: 13, services.StopS3, services.StartS3);

    [Fact]
    public Task PostgreSQL_outage_gives_failures_not_successes_and_stores_resume_without_a_restart() =>
        OutageGivesFailuresThenStoresResumeAsync("pgdown", seed: 17, services.StopPostgres, services.StartPostgres);

    /// <summary>
    /// A service the server depends on goes away during a 2-association ingest: every instance sent meanwhile fails with
    /// 0xA700, every acknowledged one is stored byte-equal, and once the service is back the same server (whose
    /// connections to it died) stores the rest.
    /// </summary>
    private async Task OutageGivesFailuresThenStoresResumeAsync(string name, int seed, Action stop, Action start)
    {
        var data = TestData.NewDirectory("pacs-it-ct");
        var settings = await services.NewServerSettingsAsync(name);
        try
        {
            var files = TestData.GenerateCt(data, studies: 1, series: 1, instances: 60, seed: seed);
            await using var server = new ServerProcess(TestData.NewDirectory("pacs-it"), settings);
            await server.StartAsync();

            var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, ushort>(StringComparer.Ordinal);
            var sending = ScuSender.SendAsync(server.DicomPort, files, associations: 2, statuses);
            while (!sending.IsCompleted && statuses.Count < 10)
            {
                await Task.Delay(5);
            }

            stop();
            await sending;
            start();

            var failed = statuses.Where(s => !ScuSender.IsSuccess(s.Value)).ToList();
            Assert.NotEmpty(failed);
            Assert.All(failed, f => Assert.Equal(0xA700, f.Value));
            var acknowledged = statuses.Where(s => ScuSender.IsSuccess(s.Value)).Select(s => s.Key).ToList();
            using var blobs = ExternalServices.OpenBlobs(settings);
            await using (var index = await server.OpenIndexAsync())
            {
                await StoredCheck.AssertStoredByteEqualAsync(index, blobs, acknowledged);
            }

            var rest = files.Except(acknowledged).ToList();
            var again = await ScuSender.SendAsync(server.DicomPort, rest, associations: 2);
            Assert.All(rest, f => Assert.True(again.TryGetValue(f, out var s) && ScuSender.IsSuccess(s), f));
            await using (var index = await server.OpenIndexAsync())
            {
                Assert.Equal(files.Count, await StoredCheck.ScalarAsync(index, "SELECT count(*) FROM instance"));
                await StoredCheck.AssertStoredByteEqualAsync(index, blobs, files);
            }
        }
        finally
        {
            start();
            Directory.Delete(data, recursive: true);
        }
    }
}
