using System.Diagnostics.Metrics;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pacs.Archive.Index;
using Pacs.Web.Diagnostics;

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
    private readonly Counter<long> _lookups;
    private readonly Lock _lock = new();
    private InstanceChangeFeed? _feed;

    public InstanceLocationCache(IOptions<PacsWebOptions> options, IMeterFactory meters, ILogger<InstanceLocationCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _logger = logger;
        var meter = meters.Create(PacsWebMetrics.MeterName);
        _lookups = meter.CreateCounter<long>("pacs.wado.location.lookups", "{lookup}",
            "Instance location lookups of WADO reads: answered from memory (hit), read from the index (miss), or read from the index because the change feed was down (bypassed).");
        meter.CreateObservableGauge("pacs.wado.location.cached", () => Count, "{instance}", "Instance locations held in memory.");
        meter.CreateObservableGauge("pacs.index.change_feed.live", () => _feed?.IsLive == true ? 1 : 0, null,
            "1 while this node receives the index's instance change notifications (the location cache is in use), else 0.");
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
        if (_cache is null)
        {
            return false;
        }

        if (!Follow(feed).IsLive)
        {
            _lookups.Add(1, new KeyValuePair<string, object?>("result", "bypassed"));
            return false;
        }

        var hit = _cache.TryGetValue(sopInstanceUid, out location) && location is not null;
        _lookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
        return hit;
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
