using System.Buffers.Binary;

namespace Pacs.Dicom.IO;

/// <summary>
/// The dataset parser (PS3.5 section 7): explicit or implicit VR, either byte order, defined and undefined lengths,
/// CP-246 UN sequences and encapsulated pixel data. Every defect of the input becomes a DicomException naming
/// the offset and the tag.
/// </summary>
internal sealed class DicomParser
{
    private const uint Undefined = 0xFFFFFFFF;
    private const uint ItemTag = 0xFFFEE000;
    private const uint ItemDelimiterTag = 0xFFFEE00D;
    private const uint SequenceDelimiterTag = 0xFFFEE0DD;

    private readonly ByteSource _source;
    private readonly DicomReadOptions _options;
    private readonly string _where;
    private readonly long _baseDepth;
    private long _elementCount;

    public DicomParser(ByteSource source, DicomReadOptions options, string where = "", int baseDepth = 0)
    {
        _source = source;
        _options = options;
        _where = where;
        _baseDepth = baseDepth;
    }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>Reads a top-level dataset until the end of input (or Pixel Data when stopping before it).</summary>
    public void ReadDataset(DicomDataset dataset, bool explicitVR, bool bigEndian) =>
        ReadItems(dataset, long.MaxValue, undefinedItem: false, explicitVR, bigEndian, depth: 0, topLevel: true);

    /// <summary>Reads File Meta Information elements (group 0002, explicit VR little endian) as long as they come.</summary>
    public void ReadMeta(DicomDataset meta)
    {
        while (_source.Ensure(6))
        {
            var head = _source.Peek(6);
            if (BinaryPrimitives.ReadUInt16LittleEndian(head) != 0x0002)
            {
                return;
            }

            // Some writers put the meta in implicit VR; tell by whether a VR stands where it belongs.
            var explicitVR = DicomVRInfo.TryParse(head[4], head[5], out _);
            ReadElement(meta, long.MaxValue, explicitVR, bigEndian: false, depth: 0);
        }
    }

    private void ReadItems(DicomDataset dataset, long end, bool undefinedItem, bool explicitVR, bool bigEndian, int depth, bool topLevel)
    {
        while (true)
        {
            CancellationToken.ThrowIfCancellationRequested();
            var position = _source.Position;
            if (position >= end)
            {
                if (position > end)
                {
                    throw Error(position, null, $"an element ran {position - end} bytes past the end of its item");
                }

                return;
            }

            if (!_source.Ensure(8))
            {
                if (topLevel && !undefinedItem)
                {
                    SkipTrailingPadding(position);
                    return;
                }

                throw Error(position, null, undefinedItem ? "the input ended inside an item without an item delimiter" : "the input ended inside an item");
            }

            var head = _source.Peek(8);
            var tag = ReadTag(head, bigEndian);
            if (tag.Group == 0xFFFE)
            {
                var length = ReadUInt32(head[4..], bigEndian);
                if (tag.Value == ItemDelimiterTag)
                {
                    _source.Skip(8);
                    if (undefinedItem)
                    {
                        return;
                    }

                    // A stray item delimiter outside an undefined-length item carries nothing; DCMTK skips it too.
                    continue;
                }

                throw Error(position, tag, tag.Value == SequenceDelimiterTag
                    ? "a sequence delimiter appeared inside an item"
                    : $"an item tag with length {length} appeared where a data element was expected");
            }

            if (topLevel && _options.StopBeforePixelData && tag.Group == 0x7FE0 && tag.Element is 0x0008 or 0x0009 or 0x0010)
            {
                return;
            }

            ReadElement(dataset, end, explicitVR, bigEndian, depth);
        }
    }

    private void SkipTrailingPadding(long position)
    {
        var remaining = (int)Math.Min(_source.Remaining, 8);
        if (remaining > 0 && _source.Ensure(remaining))
        {
            foreach (var b in _source.Peek(remaining))
            {
                if (b != 0)
                {
                    throw Error(position, null, $"{remaining} trailing bytes do not form a data element");
                }
            }

            _source.Skip(remaining);
        }
    }

    private void ReadElement(DicomDataset dataset, long end, bool explicitVR, bool bigEndian, int depth)
    {
        var position = _source.Position;
        if (!_source.Ensure(8))
        {
            throw Error(position, null, "the input ended inside an element header");
        }

        var head = _source.Peek(8);
        var tag = ReadTag(head, bigEndian);
        DicomVR vr;
        uint length;
        int headerLength;
        var vrKnown = true;
        if (explicitVR)
        {
            if (DicomVRInfo.TryParse(head[4], head[5], out vr))
            {
                if (DicomVRInfo.Get(vr).Has32BitLength)
                {
                    if (!_source.Ensure(12))
                    {
                        throw Error(position, tag, "the input ended inside an element header");
                    }

                    length = ReadUInt32(_source.Peek(12)[8..], bigEndian);
                    headerLength = 12;
                }
                else
                {
                    length = ReadUInt16(head[6..], bigEndian);
                    headerLength = 8;
                }
            }
            else
            {
                // Non-standard VR bytes such as "  ": take the dictionary VR and a 2-byte length, as DCMTK does.
                vrKnown = false;
                length = ReadUInt16(head[6..], bigEndian);
                headerLength = 8;
                vr = DicomVR.None;
            }
        }
        else
        {
            vrKnown = false;
            length = ReadUInt32(head[4..], bigEndian);
            headerLength = 8;
            vr = DicomVR.None;
        }

        if (!vrKnown)
        {
            vr = ImplicitVR(tag, dataset, length);
        }

        _source.Skip(headerLength);
        if (++_elementCount > _options.MaxElementCount)
        {
            throw Error(position, tag, $"the dataset has more than {_options.MaxElementCount} elements");
        }

        if (length == Undefined)
        {
            ReadUndefinedLength(dataset, tag, vr, explicitVR, bigEndian, depth, position);
            return;
        }

        var limit = Math.Min(end, _source.Length) - _source.Position;
        if (length > limit)
        {
            throw Error(position, tag, $"the value length {length} exceeds the {Math.Max(limit, 0)} bytes remaining");
        }

        if (vr == DicomVR.SQ)
        {
            dataset.AddParsed(ReadSequence(tag, length, explicitVR, bigEndian, depth, position));
            return;
        }

        dataset.AddParsed(ReadValue(tag, vr, length, bigEndian, position));
    }

    private void ReadUndefinedLength(DicomDataset dataset, DicomTag tag, DicomVR vr, bool explicitVR, bool bigEndian, int depth, long position)
    {
        if (vr == DicomVR.SQ)
        {
            dataset.AddParsed(ReadSequence(tag, Undefined, explicitVR, bigEndian, depth, position));
        }
        else if (vr == DicomVR.UN && (explicitVR || tag != DicomTag.PixelData))
        {
            // CP-246: an undefined-length UN is a sequence encoded in implicit VR little endian.
            dataset.AddParsed(ReadSequence(tag, Undefined, explicitVR: false, bigEndian: false, depth, position));
        }
        else if (vr is DicomVR.OB or DicomVR.OW || tag == DicomTag.PixelData)
        {
            dataset.AddParsed(ReadFragments(tag, bigEndian, position));
        }
        else if (!explicitVR)
        {
            dataset.AddParsed(ReadSequence(tag, Undefined, explicitVR, bigEndian, depth, position));
        }
        else
        {
            throw Error(position, tag, $"VR {DicomVRInfo.ToString(vr)} cannot have an undefined length");
        }
    }

    private DicomSequence ReadSequence(DicomTag tag, uint length, bool explicitVR, bool bigEndian, int depth, long position)
    {
        var maxDepth = Math.Min(_options.MaxDepth, DicomReadOptions.DepthCeiling);
        if (depth + _baseDepth >= maxDepth)
        {
            throw Error(position, tag, $"sequences are nested deeper than {maxDepth} levels");
        }

        var sequence = new DicomSequence(tag) { UndefinedLength = length == Undefined };
        var end = length == Undefined ? long.MaxValue : _source.Position + length;
        var count = 0;
        while (true)
        {
            CancellationToken.ThrowIfCancellationRequested();
            var itemPosition = _source.Position;
            if (length != Undefined && itemPosition >= end)
            {
                if (itemPosition > end)
                {
                    throw Error(itemPosition, tag, "an item ran past the end of its sequence");
                }

                return sequence;
            }

            if (!_source.Ensure(8))
            {
                throw Error(itemPosition, tag, length == Undefined ? "the input ended inside a sequence without a sequence delimiter" : "the input ended inside a sequence");
            }

            var head = _source.Peek(8);
            var itemTag = ReadTag(head, bigEndian);
            var itemLength = ReadUInt32(head[4..], bigEndian);
            _source.Skip(8);
            if (itemTag.Value == SequenceDelimiterTag)
            {
                return sequence;
            }

            if (itemTag.Value != ItemTag)
            {
                throw Error(itemPosition, tag, $"found {itemTag} where a sequence item was expected");
            }

            if (++count > _options.MaxItemCount)
            {
                throw Error(itemPosition, tag, $"the sequence has more than {_options.MaxItemCount} items");
            }

            var item = new DicomDataset { UndefinedItemLength = itemLength == Undefined };
            sequence.Add(item);
            long itemEnd;
            if (itemLength == Undefined)
            {
                itemEnd = long.MaxValue;
            }
            else
            {
                var limit = Math.Min(end, _source.Length) - _source.Position;
                if (itemLength > limit)
                {
                    throw Error(itemPosition, tag, $"the item length {itemLength} exceeds the {Math.Max(limit, 0)} bytes remaining");
                }

                itemEnd = _source.Position + itemLength;
            }

            ReadItems(item, itemEnd, itemLength == Undefined, explicitVR, bigEndian, depth + 1, topLevel: false);
        }
    }

    private DicomFragmentSequence ReadFragments(DicomTag tag, bool bigEndian, long position)
    {
        var fragments = new DicomFragmentSequence(tag, DicomVR.OB);
        var first = true;
        var count = 0;
        while (true)
        {
            CancellationToken.ThrowIfCancellationRequested();
            var itemPosition = _source.Position;
            if (!_source.Ensure(8))
            {
                throw Error(itemPosition, tag, "encapsulated pixel data ended without a sequence delimiter");
            }

            var head = _source.Peek(8);
            var itemTag = ReadTag(head, bigEndian);
            var itemLength = ReadUInt32(head[4..], bigEndian);
            _source.Skip(8);
            if (itemTag.Value == SequenceDelimiterTag)
            {
                return fragments;
            }

            if (itemTag.Value != ItemTag)
            {
                throw Error(itemPosition, tag, $"found {itemTag} where a pixel data fragment was expected");
            }

            if (itemLength == Undefined || itemLength > _source.Remaining)
            {
                throw Error(itemPosition, tag, $"the fragment length {(itemLength == Undefined ? "(undefined)" : itemLength.ToString(System.Globalization.CultureInfo.InvariantCulture))} exceeds the {_source.Remaining} bytes remaining");
            }

            if (++count > _options.MaxItemCount)
            {
                throw Error(itemPosition, tag, $"the encapsulated pixel data has more than {_options.MaxItemCount} fragments");
            }

            if (first)
            {
                fragments.BasicOffsetTableBytes = _source.ReadValue((int)itemLength, bigEndian ? 4 : 1);
                first = false;
            }
            else if (IsLazy(itemLength))
            {
                fragments.Fragments.Add(new DicomFragment(new DicomBulkDataReference(_source.BulkSource!, _source.Position, itemLength)));
                _source.Skip(itemLength);
            }
            else
            {
                fragments.Fragments.Add(new DicomFragment(_source.ReadValue(checked((int)itemLength), 1)));
            }
        }
    }

    private DicomElement ReadValue(DicomTag tag, DicomVR vr, uint length, bool bigEndian, long position)
    {
        var swap = bigEndian ? ByteSwap.UnitFor(vr) : 1;
        if (IsLazy(length))
        {
            var reference = new DicomBulkDataReference(_source.BulkSource!, _source.Position, length, swap);
            _source.Skip(length);
            return new DicomElement(tag, vr, reference);
        }

        if (length > Array.MaxLength)
        {
            throw Error(position, tag, $"the value of {length} bytes is too large to load; read with a BulkDataThreshold");
        }

        return new DicomElement(tag, vr, _source.ReadValue((int)length, swap));
    }

    private bool IsLazy(long length) =>
        _options.BulkDataThreshold is { } threshold && length > threshold && _source.BulkSource is not null;

    /// <summary>The VR implicit VR data carries: the dictionary's, disambiguated where PS3.5 allows several.</summary>
    private static DicomVR ImplicitVR(DicomTag tag, DicomDataset dataset, uint length)
    {
        if (tag.IsPrivateCreator)
        {
            return DicomVR.LO;
        }

        if (tag.IsGroupLength)
        {
            return DicomVR.UL;
        }

        var entry = DicomDictionary.Lookup(tag);
        if (entry is null)
        {
            return DicomVR.UN;
        }

        var vrs = entry.ValueRepresentations;
        if (vrs.Count == 1)
        {
            return vrs[0] == DicomVR.None ? DicomVR.UN : vrs[0];
        }

        var hasOW = false;
        var hasSS = false;
        var hasUS = false;
        foreach (var v in vrs)
        {
            hasOW |= v == DicomVR.OW;
            hasSS |= v == DicomVR.SS;
            hasUS |= v == DicomVR.US;
        }

        if (hasUS || hasSS)
        {
            if (hasOW && length != Undefined && length > 0xFFFE)
            {
                return DicomVR.OW;
            }

            return hasSS && IsSignedPixelData(dataset) ? DicomVR.SS : (hasUS ? DicomVR.US : DicomVR.SS);
        }

        // OB or OW: implicit VR data is OW (PS3.5 A.1 / 8.2).
        return hasOW ? DicomVR.OW : vrs[0];
    }

    private static bool IsSignedPixelData(DicomDataset dataset)
    {
        for (var ds = dataset; ds is not null; ds = ds.Parent)
        {
            if (ds.TryGetElement(DicomTag.PixelRepresentation, out var e) && e.Length >= 2)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(e.Value.Span) == 1;
            }
        }

        return false;
    }

    private static DicomTag ReadTag(ReadOnlySpan<byte> b, bool bigEndian) => bigEndian
        ? new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(b), BinaryPrimitives.ReadUInt16BigEndian(b[2..]))
        : new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(b), BinaryPrimitives.ReadUInt16LittleEndian(b[2..]));

    private static uint ReadUInt32(ReadOnlySpan<byte> b, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private static uint ReadUInt16(ReadOnlySpan<byte> b, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private DicomException Error(long position, DicomTag? tag, string message)
    {
        var what = tag is { } t ? $" (element {t} {DicomDictionary.KeywordOf(t)})" : string.Empty;
        return new DicomException($"Invalid DICOM data at offset {position}{_where}{what}: {message}.");
    }
}
