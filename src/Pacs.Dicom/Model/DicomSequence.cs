using System.Collections;

namespace Pacs.Dicom;

/// <summary>A sequence of items (VR SQ); each item is a dataset whose parent is the dataset holding the sequence.</summary>
public sealed class DicomSequence : DicomItem, IReadOnlyList<DicomDataset>
{
    private readonly List<DicomDataset> _items = [];
    private DicomDataset? _owner;

    public DicomSequence(DicomTag tag, params IEnumerable<DicomDataset> items)
        : base(tag)
    {
        foreach (var item in items)
        {
            Add(item);
        }
    }

    public override DicomVR VR => DicomVR.SQ;

    /// <summary>Written with undefined length and a sequence delimiter (true, the default) or with an explicit length.</summary>
    public bool UndefinedLength { get; set; } = true;

    /// <summary>The dataset this sequence belongs to, set when it is added to one.</summary>
    public DicomDataset? Owner
    {
        get => _owner;
        internal set => _owner = value;
    }

    public IReadOnlyList<DicomDataset> Items => _items;

    public int Count => _items.Count;

    public DicomDataset this[int index] => _items[index];

    public void Add(DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.ParentSequence = this;
        _items.Add(item);
    }

    public void Insert(int index, DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.ParentSequence = this;
        _items.Insert(index, item);
    }

    public void RemoveAt(int index)
    {
        _items[index].ParentSequence = null;
        _items.RemoveAt(index);
    }

    public void Clear()
    {
        foreach (var item in _items)
        {
            item.ParentSequence = null;
        }

        _items.Clear();
    }

    public override DicomItem Clone()
    {
        var copy = new DicomSequence(Tag) { UndefinedLength = UndefinedLength };
        foreach (var item in _items)
        {
            copy.Add(item.Clone());
        }

        return copy;
    }

    public IEnumerator<DicomDataset> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{Tag} SQ [{_items.Count} items]";
}
