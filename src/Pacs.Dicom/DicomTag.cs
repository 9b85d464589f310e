using System.Globalization;

namespace Pacs.Dicom;

/// <summary>A data element tag (group, element), PS3.5 section 7.1.</summary>
public readonly partial struct DicomTag : IEquatable<DicomTag>, IComparable<DicomTag>
{
    public DicomTag(ushort group, ushort element)
    {
        Group = group;
        Element = element;
    }

    public ushort Group { get; }

    public ushort Element { get; }

    /// <summary>The tag as one number, group in the high 16 bits; orders like the standard's ascending tag order.</summary>
    public uint Value => ((uint)Group << 16) | Element;

    public static DicomTag FromValue(uint value) => new((ushort)(value >> 16), (ushort)value);

    /// <summary>Odd groups are private (PS3.5 7.8); groups 0001, 0003, 0005, 0007 and FFFF are not permitted but treated alike.</summary>
    public bool IsPrivate => (Group & 1) == 1;

    /// <summary>A Private Creator Data Element (gggg,0010-00FF) reserving a block of a private group.</summary>
    public bool IsPrivateCreator => IsPrivate && Element >= 0x0010 && Element <= 0x00FF;

    public bool IsGroupLength => Element == 0x0000;

    /// <summary>For a private data element (gggg,xxee) the creator element (gggg,00xx) that reserves its block.</summary>
    public DicomTag PrivateCreatorTag => new(Group, (ushort)(Element >> 8));

    public bool IsItemOrDelimiter => Group == 0xFFFE;

    public override string ToString() => string.Create(11, this, static (span, tag) =>
    {
        span[0] = '(';
        tag.Group.TryFormat(span[1..], out _, "X4", CultureInfo.InvariantCulture);
        span[5] = ',';
        tag.Element.TryFormat(span[6..], out _, "X4", CultureInfo.InvariantCulture);
        span[10] = ')';
    });

    /// <summary>The tag as eight hex digits, the form DICOM JSON and QIDO-RS use (e.g. "00100010").</summary>
    public string ToHex() => Value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>Parses "00100010", "(0010,0010)", "0010,0010" or a dictionary keyword.</summary>
    public static bool TryParse(string? text, out DicomTag tag)
    {
        tag = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.AsSpan().Trim();
        if (s.Length > 2 && s[0] == '(' && s[^1] == ')')
        {
            s = s[1..^1];
        }

        if (s.Length == 9 && s[4] == ',')
        {
            if (ushort.TryParse(s[..4], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var g)
                && ushort.TryParse(s[5..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var e))
            {
                tag = new DicomTag(g, e);
                return true;
            }

            return false;
        }

        if (s.Length == 8 && uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
        {
            tag = FromValue(v);
            return true;
        }

        var entry = DicomDictionary.LookupKeyword(s.ToString());
        if (entry is not null)
        {
            tag = entry.Tag;
            return true;
        }

        return false;
    }

    public static DicomTag Parse(string text) =>
        TryParse(text, out var tag) ? tag : throw new DicomException($"'{text}' is neither a tag nor a known keyword.");

    public bool Equals(DicomTag other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is DicomTag other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public static bool operator ==(DicomTag left, DicomTag right) => left.Value == right.Value;

    public static bool operator !=(DicomTag left, DicomTag right) => left.Value != right.Value;

    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;

    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;

    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;

    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;
}
