using System.Collections.Concurrent;
using Pacs.Archive.Index;
using Pacs.Archive.Ingest;
using Pacs.Archive.Maintenance;
using Pacs.Archive.Tests.Ingest;
using Pacs.Dicom;

namespace Pacs.Archive.Tests.Index;

/// <summary>
/// The feed that keeps location caches exact: changes of this process are published before the call returns, those of
/// another node (a second index store on the same database) arrive by PostgreSQL notification.
/// </summary>
[Collection(ArchiveServicesCollection.Name)]
public sealed class InstanceChangeFeedTests(ArchiveServicesFixture services)
{
    private static readonly DicomTransferSyntax Ts = DicomTransferSyntax.ExplicitVRLittleEndian;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Deletes_and_replacements_by_another_node_are_received_and_new_instances_are_not_announced()
    {
        var connectionString = await services.CreateSchemaAsync();
        await using var here = await ArchiveHarness.CreateAsync(services, connectionString);
        await using var other = await ArchiveHarness.CreateAsync(services, connectionString, here.Blobs);
        var received = Record(here.Index.Changes);
        here.Index.Changes.Start();
        await WaitUntilAsync(() => here.Index.Changes.IsLive);
        received.Clear();

        var study = DicomUid.Generate();
        var series = DicomUid.Generate();
        var kept = Datasets.Synthetic(study, series, DicomUid.Generate());
        var replaced = Datasets.Synthetic(study, series, DicomUid.Generate());
        var deleted = Datasets.Synthetic(study, series, DicomUid.Generate());
        foreach (var ds in new[] { kept, replaced, deleted })
        {
            Assert.Equal(IngestStatus.Stored, (await other.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(ds), Ts, "OTHER"))).Status);
        }

        var changed = replaced.Clone();
        changed.AddOrUpdate(DicomTag.SeriesDescription, "corrected");
        Assert.Equal(IngestStatus.Replaced, (await other.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(changed), Ts, "OTHER"))).Status);
        await WaitUntilAsync(() => received.Contains(replaced.GetString(DicomTag.SOPInstanceUID)));

        await new ArchiveDeletion(other.Index, other.Blobs).DeleteInstanceAsync(deleted.GetString(DicomTag.SOPInstanceUID));
        await WaitUntilAsync(() => received.Contains(deleted.GetString(DicomTag.SOPInstanceUID)));

        Assert.DoesNotContain(kept.GetString(DicomTag.SOPInstanceUID), received);
        Assert.DoesNotContain("*", received);
        Assert.True(here.Index.Changes.IsLive);
    }

    [Fact]
    public async Task A_change_made_here_is_published_before_the_call_returns()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var received = Record(archive.Index.Changes);
        var ds = Datasets.Synthetic(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate());
        var sop = ds.GetString(DicomTag.SOPInstanceUID);
        await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(ds), Ts, "A"));
        Assert.Empty(received);

        var generation = archive.Index.Changes.Generation;
        var changed = ds.Clone();
        changed.AddOrUpdate(DicomTag.SeriesDescription, "corrected");
        await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(changed), Ts, "A"));
        Assert.Equal([sop], received);
        Assert.True(archive.Index.Changes.Generation > generation);

        await new ArchiveDeletion(archive.Index, archive.Blobs).DeleteStudyAsync(ds.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal([sop, "*"], received);
    }

    [Fact]
    public async Task A_delete_of_more_than_a_hundred_instances_elsewhere_arrives_as_a_change_of_everything()
    {
        var connectionString = await services.CreateSchemaAsync();
        await using var here = await ArchiveHarness.CreateAsync(services, connectionString);
        await using var other = await ArchiveHarness.CreateAsync(services, connectionString, here.Blobs);
        var study = DicomUid.Generate();
        var series = DicomUid.Generate();
        await Parallel.ForEachAsync(Enumerable.Range(0, 101), async (_, ct) =>
            await other.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(Datasets.Synthetic(study, series, DicomUid.Generate())), Ts, "OTHER"), ct));

        var received = Record(here.Index.Changes);
        here.Index.Changes.Start();
        await WaitUntilAsync(() => here.Index.Changes.IsLive);
        received.Clear();
        Assert.Equal(101, await new ArchiveDeletion(other.Index, other.Blobs).DeleteStudyAsync(study));
        await WaitUntilAsync(() => received.Contains("*"));
        Assert.Single(received);
    }

    [Fact]
    public async Task A_lost_listening_connection_counts_as_a_change_of_everything_and_the_feed_reconnects()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var feed = archive.Index.Changes;
        feed.Start();
        await WaitUntilAsync(() => feed.IsLive);
        var received = Record(feed);
        var generation = feed.Generation;
        var pid = feed.ListenerProcessId;
        Assert.NotEqual(0, pid);

        Assert.True(await archive.ScalarAsync<bool>("SELECT pg_terminate_backend(@pid)", ("pid", pid)));
        await WaitUntilAsync(() => feed.ListenerProcessId != pid && feed.IsLive);
        Assert.True(feed.Generation >= generation + 2, "loss and recovery are each a change");
        Assert.Equal(["*", "*"], received.Take(2));
    }

    private static ConcurrentQueue<string> Record(InstanceChangeFeed feed)
    {
        var received = new ConcurrentQueue<string>();
        feed.Changed += uids =>
        {
            foreach (var uid in uids ?? ["*"])
            {
                received.Enqueue(uid);
            }
        };
        return received;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
