using Pacs.Archive.Retrieve;
using Pacs.Archive.Storage;

namespace Pacs.Archive.Tests.Retrieve;

public sealed class RetrieveReadAheadTests
{
    [Fact]
    public void Each_instance_after_the_opened_one_is_asked_for_once_in_order_within_the_count_window()
    {
        var store = new RecordingStore();
        var instances = Instances(40, size: 500_000);
        var readAhead = new RetrieveReadAhead(store, instances);

        readAhead.Opening(0);
        Assert.Equal(Keys(instances, 1, RetrieveReadAhead.MaxInstances), store.Keys);

        for (var i = 1; i < instances.Count; i++)
        {
            readAhead.Opening(i);
            Assert.Equal(Keys(instances, 1, Math.Min(instances.Count - 1, i + RetrieveReadAhead.MaxInstances)), store.Keys);
        }

        Assert.All(store.Lengths, length => Assert.Equal(500_000, length));
    }

    [Fact]
    public void Large_instances_are_limited_by_the_byte_window_and_capped_in_length()
    {
        var store = new RecordingStore();
        var instances = Instances(10, size: 20L * 1024 * 1024);
        var readAhead = new RetrieveReadAhead(store, instances);

        readAhead.Opening(0);
        Assert.Equal(Keys(instances, 1, 2), store.Keys);

        readAhead.Opening(1);
        Assert.Equal(Keys(instances, 1, 3), store.Keys);

        var huge = Instances(3, size: 5L * 1024 * 1024 * 1024);
        var capped = new RecordingStore();
        new RetrieveReadAhead(capped, huge).Opening(0);
        Assert.Equal([RetrieveReadAhead.MaxBytes], capped.Lengths);
    }

    [Fact]
    public void Opening_out_of_order_or_twice_asks_for_nothing_twice()
    {
        var store = new RecordingStore();
        var instances = Instances(30, size: 1_000);
        var readAhead = new RetrieveReadAhead(store, instances);

        readAhead.Opening(5);
        readAhead.Opening(5);
        readAhead.Opening(2);
        readAhead.Opening(29);
        Assert.Equal(store.Keys.Distinct(), store.Keys);
        Assert.DoesNotContain(instances[5].BlobKey, store.Keys);
        Assert.Equal(Keys(instances, 6, 5 + RetrieveReadAhead.MaxInstances), store.Keys);
    }

    private static List<RetrieveInstance> Instances(int count, long size) =>
        [.. Enumerable.Range(0, count).Select(i => new RetrieveInstance("1.2", "1.2.3", "1.2.840.10008.5.1.4.1.1.2", $"1.2.3.{i}", "1.2.840.10008.1.2.1", $"1.2/1.2.3/1.2.3.{i}_1.dcm", size))];

    private static List<string> Keys(List<RetrieveInstance> instances, int first, int last) =>
        [.. instances.Skip(first).Take(last - first + 1).Select(i => i.BlobKey)];

    /// <summary>Records the read-ahead hints; nothing else is used.</summary>
    private sealed class RecordingStore : IBlobStore
    {
        public List<string> Keys { get; } = [];

        public List<long> Lengths { get; } = [];

        public bool ReadsAreSeekable => true;

        public void Prefetch(string key, long length)
        {
            Keys.Add(key);
            Lengths.Add(length);
        }

        public Task<BlobInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IStagedBlob> StageAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Stream> OpenReadAsync(string key, long offset, long length, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<BlobInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
