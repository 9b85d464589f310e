using System.Globalization;

namespace Pacs.Dicom;

/// <summary>Typed access to values: text through the effective character set, binary numbers, parsed DA/TM/DT/PN/AS/IS/DS.</summary>
public sealed partial class DicomDataset
{
    /// <summary>The whole value as text (backslashes included), trailing padding removed; a DicomException when absent.</summary>
    public string GetString(DicomTag tag) =>
        TryGetString(tag, out var value) ? value : throw Missing(tag);

    public bool TryGetString(DicomTag tag, out string value)
    {
        if (!TryGetElement(tag, out var element))
        {
            value = string.Empty;
            return false;
        }

        value = ElementText(element);
        return true;
    }

    public string? GetStringOrDefault(DicomTag tag, string? defaultValue = null) =>
        TryGetString(tag, out var value) ? value : defaultValue;

    /// <summary>The values of a multi-valued text element (split on backslash), each trimmed of non-significant spaces.</summary>
    public string[] GetStrings(DicomTag tag)
    {
        var element = GetElementOrThrow(tag);
        return SplitValues(element);
    }

    /// <summary>The value multiplicity actually present (0 for an empty value).</summary>
    public int GetValueCount(DicomTag tag)
    {
        if (!TryGetItem(tag, out var item))
        {
            return 0;
        }

        return item switch
        {
            DicomSequence sq => sq.Count,
            DicomFragmentSequence fs => fs.Fragments.Count,
            DicomElement e => ValueCount(e),
            _ => 0,
        };
    }

    /// <summary>
    /// Value <paramref name="index"/> converted to T: ushort, short, uint, int, ulong, long, float, double, decimal, byte
    /// (from binary VRs or IS/DS text), string, DicomTag (AT), DateOnly (DA), TimeOnly (TM), DicomDateTime (DT),
    /// DicomPersonName (PN), DicomAge (AS). A DicomException when absent, out of range or not convertible.
    /// </summary>
    public T GetValue<T>(DicomTag tag, int index = 0)
    {
        var element = GetElementOrThrow(tag);
        if (TryConvert(element, index, out T value))
        {
            return value;
        }

        throw new DicomException($"Value {index} of {tag} {DicomDictionary.KeywordOf(tag)} ({DicomVRInfo.ToString(element.VR)}) cannot be read as {typeof(T).Name}.");
    }

    public bool TryGetValue<T>(DicomTag tag, int index, out T value)
    {
        value = default!;
        return TryGetElement(tag, out var element) && TryConvert(element, index, out value);
    }

    public T GetValueOrDefault<T>(DicomTag tag, int index, T defaultValue) =>
        TryGetValue(tag, index, out T value) ? value : defaultValue;

    /// <summary>Every value converted to T; a DicomException when one is not convertible.</summary>
    public T[] GetValues<T>(DicomTag tag)
    {
        var element = GetElementOrThrow(tag);
        var count = ValueCount(element);
        var result = new T[count];
        for (var i = 0; i < count; i++)
        {
            if (!TryConvert(element, i, out result[i]))
            {
                throw new DicomException($"Value {i} of {tag} {DicomDictionary.KeywordOf(tag)} cannot be read as {typeof(T).Name}.");
            }
        }

        return result;
    }

    public DateOnly GetDate(DicomTag tag) => GetValue<DateOnly>(tag);

    public TimeOnly GetTime(DicomTag tag) => GetValue<TimeOnly>(tag);

    public DicomDateTime GetDateTime(DicomTag tag) => GetValue<DicomDateTime>(tag);

    public DicomPersonName GetPersonName(DicomTag tag, int index = 0) => GetValue<DicomPersonName>(tag, index);

    public DicomAge GetAge(DicomTag tag) => GetValue<DicomAge>(tag);

    /// <summary>A DA value or query range ("20200101-20201231", "-2020", "2020-").</summary>
    public DicomDateRange GetDateRange(DicomTag tag) =>
        DicomDateRange.TryParse(GetString(tag), out var range) ? range : throw new DicomException($"{tag} does not hold a date or date range.");

    public DicomSequence GetSequence(DicomTag tag) =>
        TryGetSequence(tag, out var sq) ? sq : throw new DicomException($"The dataset has no sequence {tag} {DicomDictionary.KeywordOf(tag)}.");

    public bool TryGetSequence(DicomTag tag, out DicomSequence sequence)
    {
        if (TryGetItem(tag, out var item) && item is DicomSequence sq)
        {
            sequence = sq;
            return true;
        }

        sequence = null!;
        return false;
    }

    private DicomElement GetElementOrThrow(DicomTag tag)
    {
        if (!TryGetItem(tag, out var item))
        {
            throw Missing(tag);
        }

        return item as DicomElement ?? throw new DicomException($"{tag} {DicomDictionary.KeywordOf(tag)} is a {item.GetType().Name}, not an element with a value.");
    }

    private static DicomException Missing(DicomTag tag) => new($"The dataset has no element {tag} {DicomDictionary.KeywordOf(tag)}.");

    /// <summary>
    /// The VR to interpret a value with: UN values of tags the dictionary knows (written by converters that lost the VR)
    /// are read as the dictionary's VR, since UN bytes are little endian like those of implicit VR.
    /// </summary>
    private static DicomVR EffectiveVR(DicomElement element)
    {
        if (element.VR != DicomVR.UN || element.Tag.IsPrivate)
        {
            return element.VR;
        }

        var vr = DicomDictionary.Lookup(element.Tag)?.DefaultVR ?? DicomVR.UN;
        return vr is DicomVR.None or DicomVR.SQ ? DicomVR.UN : vr;
    }

    private string ElementText(DicomElement element)
    {
        var vr = EffectiveVR(element);
        var info = DicomVRInfo.Get(vr);
        if (!info.IsString && vr != DicomVR.UN)
        {
            var values = SplitValues(element);
            return string.Join('\\', values);
        }

        var charset = info.IsCharacterSetDependent ? CharacterSet : null;
        return DicomValueCodec.TrimValue(DicomValueCodec.DecodeText(charset, vr, element.Value.Span), vr);
    }

    private string[] SplitValues(DicomElement element)
    {
        var vr = EffectiveVR(element);
        var info = DicomVRInfo.Get(vr);
        if (info.IsString || vr == DicomVR.UN)
        {
            var charset = info.IsCharacterSetDependent ? CharacterSet : null;
            var text = DicomValueCodec.TrimValue(DicomValueCodec.DecodeText(charset, vr, element.Value.Span), vr);
            if (text.Length == 0)
            {
                return [];
            }

            if (!info.IsMultiValuedString)
            {
                return [text];
            }

            var parts = text.Split('\\');
            for (var i = 0; i < parts.Length; i++)
            {
                parts[i] = DicomValueCodec.TrimSingle(parts[i], vr);
            }

            return parts;
        }

        var count = ValueCount(element);
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = BinaryValueText(element, vr, i);
        }

        return result;
    }

    private static string BinaryValueText(DicomElement element, DicomVR vr, int index)
    {
        var span = element.Value.Span;
        if (vr == DicomVR.AT && DicomValueCodec.TryReadTag(span, index, out var t))
        {
            return t.ToHex();
        }

        if (DicomValueCodec.TryReadFloat(vr, span, index, out var d))
        {
            return d.ToString("R", CultureInfo.InvariantCulture);
        }

        if (DicomValueCodec.TryReadInteger(vr, span, index, out var l, out var u))
        {
            return vr is DicomVR.UV or DicomVR.OV ? u.ToString(CultureInfo.InvariantCulture) : l.ToString(CultureInfo.InvariantCulture);
        }

        return string.Empty;
    }

    private int ValueCount(DicomElement element)
    {
        var vr = EffectiveVR(element);
        var info = DicomVRInfo.Get(vr);
        if (info.IsString || vr == DicomVR.UN)
        {
            return SplitValues(element).Length;
        }

        return vr == DicomVR.SQ ? 0 : (int)Math.Min(int.MaxValue, element.Length / Math.Max(1, info.UnitSize));
    }

    private bool TryConvert<T>(DicomElement element, int index, out T value)
    {
        value = default!;
        if (index < 0)
        {
            return false;
        }

        var t = typeof(T);
        var vr = EffectiveVR(element);
        var info = DicomVRInfo.Get(vr);
        if (!info.IsString && vr != DicomVR.UN && vr != DicomVR.SQ)
        {
            var span = element.Value.Span;
            if (t == typeof(DicomTag))
            {
                if (vr == DicomVR.AT && DicomValueCodec.TryReadTag(span, index, out var tag))
                {
                    value = (T)(object)tag;
                    return true;
                }

                return false;
            }

            if (t == typeof(string))
            {
                if (index >= ValueCount(element))
                {
                    return false;
                }

                value = (T)(object)BinaryValueText(element, vr, index);
                return true;
            }

            if (DicomValueCodec.TryReadFloat(vr, span, index, out var d))
            {
                return FromDouble(d, out value);
            }

            if (DicomValueCodec.TryReadInteger(vr, span, index, out var l, out var u))
            {
                return vr is DicomVR.UV or DicomVR.OV ? FromUnsigned(u, out value) : FromLong(l, out value);
            }

            return false;
        }

        var values = SplitValues(element);
        if (index >= values.Length)
        {
            return false;
        }

        var s = values[index];
        if (t == typeof(string))
        {
            value = (T)(object)s;
            return true;
        }

        if (t == typeof(DateOnly))
        {
            if (DicomValueParser.TryParseDate(s, out var date))
            {
                value = (T)(object)date;
                return true;
            }

            return false;
        }

        if (t == typeof(TimeOnly))
        {
            if (DicomValueParser.TryParseTime(s, out var time))
            {
                value = (T)(object)time;
                return true;
            }

            return false;
        }

        if (t == typeof(DicomDateTime))
        {
            if (DicomValueParser.TryParseDateTime(s, out var dt))
            {
                value = (T)(object)dt;
                return true;
            }

            return false;
        }

        if (t == typeof(DicomPersonName))
        {
            value = (T)(object)DicomPersonName.Parse(s);
            return true;
        }

        if (t == typeof(DicomAge))
        {
            if (DicomAge.TryParse(s, out var age))
            {
                value = (T)(object)age;
                return true;
            }

            return false;
        }

        if (t == typeof(DicomTag))
        {
            if (DicomTag.TryParse(s, out var tag))
            {
                value = (T)(object)tag;
                return true;
            }

            return false;
        }

        if (t == typeof(decimal))
        {
            if (DicomValueParser.TryParseDecimal(s, out var m))
            {
                value = (T)(object)m;
                return true;
            }

            return false;
        }

        if (DicomValueParser.TryParseInteger(s, out var integer))
        {
            return FromLong(integer, out value);
        }

        if (DicomValueParser.TryParseDouble(s, out var real))
        {
            return FromDouble(real, out value);
        }

        return false;
    }

    private static bool FromLong<T>(long l, out T value)
    {
        value = default!;
        var t = typeof(T);
        object? boxed = t switch
        {
            _ when t == typeof(long) => l,
            _ when t == typeof(int) && l is >= int.MinValue and <= int.MaxValue => (int)l,
            _ when t == typeof(uint) && l is >= 0 and <= uint.MaxValue => (uint)l,
            _ when t == typeof(short) && l is >= short.MinValue and <= short.MaxValue => (short)l,
            _ when t == typeof(ushort) && l is >= 0 and <= ushort.MaxValue => (ushort)l,
            _ when t == typeof(byte) && l is >= 0 and <= byte.MaxValue => (byte)l,
            _ when t == typeof(ulong) && l >= 0 => (ulong)l,
            _ when t == typeof(double) => (double)l,
            _ when t == typeof(float) => (float)l,
            _ when t == typeof(decimal) => (decimal)l,
            _ => null,
        };
        if (boxed is null)
        {
            return false;
        }

        value = (T)boxed;
        return true;
    }

    private static bool FromUnsigned<T>(ulong u, out T value)
    {
        if (typeof(T) == typeof(ulong))
        {
            value = (T)(object)u;
            return true;
        }

        if (u <= long.MaxValue)
        {
            return FromLong((long)u, out value);
        }

        value = default!;
        return false;
    }

    private static bool FromDouble<T>(double d, out T value)
    {
        value = default!;
        var t = typeof(T);
        if (t == typeof(double))
        {
            value = (T)(object)d;
            return true;
        }

        if (t == typeof(float))
        {
            value = (T)(object)(float)d;
            return true;
        }

        if (t == typeof(decimal))
        {
            if (double.IsFinite(d) && Math.Abs(d) < 7.9e28)
            {
                value = (T)(object)(decimal)d;
                return true;
            }

            return false;
        }

        // An integer type from a real value only when the value is integral (e.g. DS "512" or "5.0").
        if (double.IsFinite(d) && Math.Floor(d) == d && d >= long.MinValue && d <= long.MaxValue)
        {
            return FromLong((long)d, out value);
        }

        return false;
    }
}
