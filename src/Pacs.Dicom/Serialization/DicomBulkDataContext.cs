namespace Pacs.Dicom.Serialization;

/// <summary>What a bulk data URI provider is told about the value it may replace by a reference.</summary>
public sealed class DicomBulkDataContext
{
    internal DicomBulkDataContext(DicomItem item, DicomDataset dataset, IReadOnlyList<DicomTagPathStep> path, long length)
    {
        Item = item;
        Dataset = dataset;
        Path = path;
        Length = length;
    }

    /// <summary>The element (<see cref="DicomElement"/>) or encapsulated pixel data (<see cref="DicomFragmentSequence"/>).</summary>
    public DicomItem Item { get; }

    /// <summary>The dataset (top-level or sequence item) that holds <see cref="Item"/>.</summary>
    public DicomDataset Dataset { get; }

    public DicomTag Tag => Item.Tag;

    public DicomVR VR => Item.VR;

    /// <summary>From the top-level dataset down to the element; the last step is the element itself.</summary>
    public IReadOnlyList<DicomTagPathStep> Path { get; }

    /// <summary>The value length in bytes (for encapsulated pixel data: the whole encapsulated value, items included).</summary>
    public long Length { get; }

    /// <summary>The path as text, e.g. "52009230[3].00289110[0].00280030"; usable in a URI.</summary>
    public string PathText => string.Join('.', Path);

    public override string ToString() => PathText;
}
