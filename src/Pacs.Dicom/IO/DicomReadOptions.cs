namespace Pacs.Dicom.IO;

/// <summary>How much to read and the limits that protect against hostile input.</summary>
public sealed record DicomReadOptions
{
    public static readonly DicomReadOptions Default = new();

    /// <summary>Stop at the top-level Pixel Data (float, double or integer) and ignore what follows: a header-only parse.</summary>
    public bool StopBeforePixelData { get; init; }

    /// <summary>
    /// Values (and encapsulated fragments) longer than this many bytes are left in the source as lazy references
    /// instead of being loaded. Needs a seekable source; null loads everything.
    /// </summary>
    public long? BulkDataThreshold { get; init; }

    /// <summary>The parser recurses per nesting level, so depth is capped here whatever <see cref="MaxDepth"/> says.</summary>
    public const int DepthCeiling = 500;

    /// <summary>Maximum sequence nesting depth (at most <see cref="DepthCeiling"/>).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Maximum number of data elements in the whole dataset, nested ones included.</summary>
    public long MaxElementCount { get; init; } = 10_000_000;

    /// <summary>Maximum number of items in one sequence (fragments included).</summary>
    public int MaxItemCount { get; init; } = 1_000_000;

    /// <summary>Maximum size of a deflated dataset once inflated.</summary>
    public long MaxInflatedLength { get; init; } = int.MaxValue;
}
