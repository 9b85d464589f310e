using System.Collections;
using Pacs.Dicom.Text;

namespace Pacs.Dicom;

/// <summary>
/// A DICOM dataset: items kept in ascending tag order. A dataset inside a sequence links to the dataset that
/// holds the sequence (<see cref="Parent"/>) so it inherits Specific Character Set unless it has its own.
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomItem>
{
    private readonly List<DicomItem> _items;
    private DicomCharacterSet? _ownCharacterSet;

    public DicomDataset()
    {
        _items = [];
    }

    public DicomDataset(params IEnumerable<DicomItem> items)
        : this()
    {
        foreach (var item in items)
        {
            AddOrUpdate(item);
        }
    }

    public int Count => _items.Count;

    /// <summary>The sequence this dataset is an item of, or null for a top-level dataset.</summary>
    public DicomSequence? ParentSequence { get; internal set; }

    /// <summary>The dataset holding the sequence this dataset is an item of.</summary>
    public DicomDataset? Parent => ParentSequence?.Owner;

    /// <summary>As an item: written with undefined length and an item delimiter (true, the default) or with an explicit length.</summary>
    public bool UndefinedItemLength { get; set; } = true;

    /// <summary>The effective character set: this dataset's own (0008,0005), else the parent's, else the default repertoire.</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            for (var ds = this; ds is not null; ds = ds.Parent)
            {
                var own = ds.OwnCharacterSet();
                if (own is not null)
                {
                    return own;
                }
            }

            return DicomCharacterSet.Default;
        }
    }

    public DicomItem? this[DicomTag tag] => TryGetItem(tag, out var item) ? item : null;

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    public bool TryGetItem(DicomTag tag, out DicomItem item)
    {
        var i = IndexOf(tag);
        if (i >= 0)
        {
            item = _items[i];
            return true;
        }

        item = null!;
        return false;
    }

    public bool TryGetElement(DicomTag tag, out DicomElement element)
    {
        if (TryGetItem(tag, out var item) && item is DicomElement e)
        {
            element = e;
            return true;
        }

        element = null!;
        return false;
    }

    /// <summary>The item with this tag; a DicomException when absent.</summary>
    public DicomItem GetItem(DicomTag tag) =>
        TryGetItem(tag, out var item) ? item : throw new DicomException($"The dataset has no element {tag} {DicomDictionary.KeywordOf(tag)}.");

    /// <summary>Adds an item; a DicomException when the tag is already present.</summary>
    public DicomDataset Add(DicomItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var i = IndexOf(item.Tag);
        if (i >= 0)
        {
            throw new DicomException($"The dataset already contains {item.Tag} {DicomDictionary.KeywordOf(item.Tag)}.");
        }

        Attach(item);
        _items.Insert(~i, item);
        return this;
    }

    /// <summary>Adds an item or replaces the one with the same tag.</summary>
    public DicomDataset AddOrUpdate(DicomItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Attach(item);
        var i = IndexOf(item.Tag);
        if (i >= 0)
        {
            Detach(_items[i]);
            _items[i] = item;
        }
        else
        {
            _items.Insert(~i, item);
        }

        return this;
    }

    public bool Remove(DicomTag tag)
    {
        var i = IndexOf(tag);
        if (i < 0)
        {
            return false;
        }

        Detach(_items[i]);
        _items.RemoveAt(i);
        return true;
    }

    /// <summary>Removes every item the predicate selects; returns how many.</summary>
    public int RemoveAll(Predicate<DicomItem> match)
    {
        var removed = 0;
        for (var i = _items.Count - 1; i >= 0; i--)
        {
            if (match(_items[i]))
            {
                Detach(_items[i]);
                _items.RemoveAt(i);
                removed++;
            }
        }

        return removed;
    }

    public void Clear()
    {
        foreach (var item in _items)
        {
            Detach(item);
        }

        _items.Clear();
    }

    /// <summary>A deep copy; sequences and their items are copied, lazily referenced values stay references.</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset { UndefinedItemLength = UndefinedItemLength };
        copy._items.Capacity = _items.Count;
        foreach (var item in _items)
        {
            var c = item.Clone();
            copy.Attach(c);
            copy._items.Add(c);
        }

        return copy;
    }

    public IEnumerator<DicomItem> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"DicomDataset [{_items.Count} items]";

    /// <summary>Adds during parsing: data normally arrives in ascending order, so this appends; a repeated tag replaces.</summary>
    internal void AddParsed(DicomItem item)
    {
        var count = _items.Count;
        if (count == 0 || _items[count - 1].Tag.Value < item.Tag.Value)
        {
            Attach(item);
            _items.Add(item);
        }
        else
        {
            AddOrUpdate(item);
        }
    }

    private int IndexOf(DicomTag tag)
    {
        var key = tag.Value;
        var lo = 0;
        var hi = _items.Count - 1;

        // Most look-ups during parsing and writing are near the end.
        if (hi >= 0 && _items[hi].Tag.Value < key)
        {
            return ~(hi + 1);
        }

        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var v = _items[mid].Tag.Value;
            if (v == key)
            {
                return mid;
            }

            if (v < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private void Attach(DicomItem item)
    {
        if (item is DicomSequence sq)
        {
            sq.Owner = this;
        }

        if (item.Tag == DicomTag.SpecificCharacterSet)
        {
            _ownCharacterSet = null;
        }
    }

    private void Detach(DicomItem item)
    {
        if (item is DicomSequence sq && ReferenceEquals(sq.Owner, this))
        {
            sq.Owner = null;
        }

        if (item.Tag == DicomTag.SpecificCharacterSet)
        {
            _ownCharacterSet = null;
        }
    }

    private DicomCharacterSet? OwnCharacterSet()
    {
        if (_ownCharacterSet is not null)
        {
            return _ownCharacterSet;
        }

        if (!TryGetElement(DicomTag.SpecificCharacterSet, out var element))
        {
            return null;
        }

        // The terms are ASCII (CS); the first value may be empty, meaning the default repertoire.
        var text = DicomValueCodec.DecodeAscii(element.Value.Span);
        var terms = text.Split('\\');
        for (var i = 0; i < terms.Length; i++)
        {
            terms[i] = terms[i].Trim(' ', '\0');
        }

        _ownCharacterSet = DicomCharacterSet.FromSpecificCharacterSet(terms);
        return _ownCharacterSet;
    }
}
