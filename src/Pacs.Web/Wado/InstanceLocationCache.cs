using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pacs.Archive.Index;

namespace Pacs.Web.Wado;

/// <summary>
/// Locations of recently read instances by SOP Instance UID, so that a viewer reading frames or rendered images of a
/// series it has read before costs no index query (about a third of a cached rendered image's time). Exact, not merely
/// recent: entries go when the index's <see cref="InstanceChangeFeed"/> reports their instance replaced or deleted,
/// here or on another node, and nothing is served while the feed is not live. A location read from the index is kept
/// only if no change was published while it was being read, so a read racing a delete cannot put a stale entry back.
/// </summary>
public sealed class InstanceLocationCache : IDisposable
{
    private readonly MemoryCache? _cache;
    private readonly ILogger<InstanceLocationCache> _logger;
    private readonly Lock _lock = new();
    private InstanceChangeFeed? _feed;

    public InstanceLocationCache(IOptions<PacsWebOptions> options, ILogger<InstanceLocationCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        var entries = options.Value.InstanceLocationCacheEntries;
        if (entries > 0)
        {
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = entries, CompactionPercentage = 0.25 });
        }
    }

    /// <summary>The cached location, when the cache is on, following <paramref name="feed"/> and has one.</summary>
    public bool TryGet(InstanceChangeFeed feed, string sopInstanceUid, out InstanceLocation? location)
    {
        location = null;
        return _cache is not null && Follow(feed).IsLive && _cache.TryGetValue(sopInstanceUid, out location) && location is not null;
    }

    /// <summary>The feed's generation to pass to <see cref="Add"/>, read before the index query.</summary>
    public static long BeginRead(InstanceChangeFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return feed.Generation;
    }

    /// <summary>Keeps a location read from the index, unless a change was published since <paramref name="generation"/>.</summary>
    public void Add(InstanceChangeFeed feed, InstanceLocation location, long generation)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (_cache is null || !Follow(feed).IsLive || feed.Generation != generation)
        {
            return;
        }

        _cache.Set(location.SopInstanceUid, location, new MemoryCacheEntryOptions { Size = 1 });

        // A change published between the check above and the insert: its removal may have run before the insert.
        if (feed.Generation != generation)
        {
            _cache.Remove(location.SopInstanceUid);
        }
    }

    public int Count => _cache is null ? 0 : (int)_cache.Count;

    private InstanceChangeFeed Follow(InstanceChangeFeed feed)
    {
        if (ReferenceEquals(_feed, feed))
        {
            return feed;
        }

        lock (_lock)
        {
            if (!ReferenceEquals(_feed, feed))
            {
                if (_feed is not null)
                {
                    _feed.Changed -= OnChanged;
                }

                _cache?.Clear();
                feed.Changed += OnChanged;
                feed.Start(_logger);
                _feed = feed;
            }
        }

        return feed;
    }

    private void OnChanged(IReadOnlyList<string>? sopInstanceUids)
    {
        if (sopInstanceUids is null)
        {
            _cache?.Clear();
            return;
        }

        foreach (var uid in sopInstanceUids)
        {
            _cache?.Remove(uid);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_feed is not null)
            {
                _feed.Changed -= OnChanged;
            }
        }

        _cache?.Dispose();
    }
}
