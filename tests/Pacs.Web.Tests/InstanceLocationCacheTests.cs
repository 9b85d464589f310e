using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pacs.Archive.Index;
using Pacs.Archive.Storage;
using Pacs.Web.Wado;

namespace Pacs.Web.Tests;

/// <summary>
/// Locations cached by the server stay exact: an instance deleted by another node (here, an index store of the test on
/// the server's database) is gone for this server as soon as the notification arrives, and the cache's own rules hold.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class InstanceLocationCacheTests(ServerFixture server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task An_instance_deleted_by_another_node_is_not_found_here_once_notified()
    {
        var sample = Samples.TryLoad("pyd_MR_small_implicit.dcm")!;
        var (stored, body) = await server.StowAsync(null, sample.Bytes);
        Assert.True(stored.StatusCode == HttpStatusCode.OK, body.ToString());
        var rendered = sample.InstancePath + "/rendered";

        // The first read starts the node's change feed; once it is live, a location read again comes from memory.
        using (var first = await server.Http.GetAsync(rendered))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await WaitUntilAsync(async () => (await server.Http.GetStringAsync("/metrics")).Contains("pacs_index_change_feed_live 1", StringComparison.Ordinal));
        var hitsBefore = Hits(await server.Http.GetStringAsync("/metrics"));
        for (var i = 0; i < 2; i++)
        {
            using var response = await server.Http.GetAsync(rendered);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.True(Hits(metrics) > hitsBefore, metrics);

        await using (var otherNode = await IndexStore.OpenAsync(new IndexStoreOptions { ConnectionString = server.ConnectionString }))
        {
            var keys = await otherNode.DeleteInstanceAsync(sample.File.Dataset.GetString(Pacs.Dicom.DicomTag.SOPInstanceUID));
            var blobs = new FileSystemBlobStore(Path.Combine(server.DataDirectory, "blobs"));
            Assert.True(await blobs.DeleteAsync(Assert.Single(keys)));
        }

        await WaitUntilAsync(async () =>
        {
            using var response = await server.Http.GetAsync(rendered);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{(int)response.StatusCode}");
            return response.StatusCode == HttpStatusCode.NotFound;
        });

        using var metadata = await server.Http.GetAsync(sample.InstancePath + "/metadata");
        Assert.Equal(HttpStatusCode.NotFound, metadata.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Patience}");
            await Task.Delay(20);
        }
    }

    private static double Hits(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith("pacs_wado_location_lookups_total{result=\"hit\"} ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0).Single();

    [Fact]
    public async Task Entries_are_served_only_while_the_feed_is_live_and_never_kept_across_a_change()
    {
        await using var index = await IndexStore.OpenAsync(new IndexStoreOptions { ConnectionString = server.ConnectionString });
        var feed = index.Changes;
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var cache = new InstanceLocationCache(Options.Create(new PacsWebOptions()), services.GetRequiredService<IMeterFactory>(), NullLogger<InstanceLocationCache>.Instance);
        var a = new InstanceLocation("1.2.1", "1.2.1.1", "1.2.1.1.1", "1.2.840.10008.5.1.4.1.1.7", 1, "k/a_1.dcm", 10, "1.2.840.10008.1.2.1");
        var b = a with { SopInstanceUid = "1.2.1.1.2", BlobKey = "k/b_1.dcm" };

        // Not live yet: nothing is kept or served (the first call starts the feed).
        Assert.False(cache.TryGet(feed, a.SopInstanceUid, out _));
        cache.Add(feed, a, InstanceLocationCache.BeginRead(feed));
        var deadline = DateTime.UtcNow + Patience;
        while (!feed.IsLive)
        {
            Assert.True(DateTime.UtcNow < deadline);
            await Task.Delay(20);
        }

        Assert.False(cache.TryGet(feed, a.SopInstanceUid, out _));

        cache.Add(feed, a, InstanceLocationCache.BeginRead(feed));
        Assert.True(cache.TryGet(feed, a.SopInstanceUid, out var hit));
        Assert.Same(a, hit);

        // A change published while b was read from the index: b is not kept.
        var generation = InstanceLocationCache.BeginRead(feed);
        feed.Publish(["1.9.9"]);
        cache.Add(feed, b, generation);
        Assert.False(cache.TryGet(feed, b.SopInstanceUid, out _));
        Assert.True(cache.TryGet(feed, a.SopInstanceUid, out _));

        feed.Publish([a.SopInstanceUid]);
        Assert.False(cache.TryGet(feed, a.SopInstanceUid, out _));

        cache.Add(feed, a, InstanceLocationCache.BeginRead(feed));
        cache.Add(feed, b, InstanceLocationCache.BeginRead(feed));
        Assert.Equal(2, cache.Count);
        feed.Publish(null);
        Assert.Equal(0, cache.Count);
    }
}
