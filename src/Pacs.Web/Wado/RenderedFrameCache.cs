using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Pacs.Web.Wado;

/// <summary>
/// Recently rendered images, keyed by their entity tag (which covers the stored version, the frame and every rendering
/// parameter, so an entry can never be stale) and bounded by <see cref="PacsWebOptions.RenderedCacheBytes"/> of encoded
/// bytes; least recently used entries go first. A viewer scrolling back through a series is then answered without a
/// read or a render. A limit of 0 turns the cache off.
/// </summary>
public sealed class RenderedFrameCache : IDisposable
{
    private readonly MemoryCache? _cache;

    public RenderedFrameCache(IOptions<PacsWebOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limit = options.Value.RenderedCacheBytes;
        if (limit > 0)
        {
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = limit, CompactionPercentage = 0.25 });
        }
    }

    public bool TryGet(string entityTag, out byte[] encoded)
    {
        if (_cache is not null && _cache.TryGetValue(entityTag, out var value) && value is byte[] bytes)
        {
            encoded = bytes;
            return true;
        }

        encoded = [];
        return false;
    }

    public void Add(string entityTag, byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        // An entry larger than the whole limit is simply not kept.
        _cache?.Set(entityTag, encoded, new MemoryCacheEntryOptions { Size = encoded.Length + 64 });
    }

    public void Dispose() => _cache?.Dispose();
}
