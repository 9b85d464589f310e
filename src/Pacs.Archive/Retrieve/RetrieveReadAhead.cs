using Pacs.Archive.Storage;

namespace Pacs.Archive.Retrieve;

/// <summary>
/// Keeps the blobs of the next instances of a retrieve on their way from the disk while the current one is sent: C-MOVE,
/// C-GET and WADO-RS send instances one after another, and a series stored moments ago is not in the page cache (blobs
/// are written with direct I/O). At most <see cref="MaxInstances"/> instances and <see cref="MaxBytes"/> bytes ahead.
/// </summary>
public sealed class RetrieveReadAhead
{
    public const int MaxInstances = 16;
    public const long MaxBytes = 32L * 1024 * 1024;

    private readonly IBlobStore _blobs;
    private readonly IReadOnlyList<RetrieveInstance> _instances;
    private readonly Queue<(int Index, long Length)> _pending = new();
    private readonly Lock _lock = new();
    private int _next;
    private long _ahead;

    public RetrieveReadAhead(IBlobStore blobs, IReadOnlyList<RetrieveInstance> instances)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(instances);
        _blobs = blobs;
        _instances = instances;
    }

    /// <summary>Called as instance <paramref name="index"/> of the list is opened: asks for the ones after it.</summary>
    public void Opening(int index)
    {
        lock (_lock)
        {
            while (_pending.Count > 0 && _pending.Peek().Index <= index)
            {
                _ahead -= _pending.Dequeue().Length;
            }

            // The opened instance itself is read right away; a hint for it would come too late to help.
            _next = Math.Max(_next, index + 1);
            while (_next < _instances.Count && _next - index <= MaxInstances && _ahead < MaxBytes)
            {
                var length = Math.Min(_instances[_next].Size, MaxBytes);
                _blobs.Prefetch(_instances[_next].BlobKey, length);
                _pending.Enqueue((_next, length));
                _ahead += length;
                _next++;
            }
        }
    }
}
