using System.Globalization;

namespace Pacs.Dicom;

/// <summary>Adding values by tag: the VR comes from the dictionary unless given, values are converted to it.</summary>
public sealed partial class DicomDataset
{
    /// <summary>Adds values with the dictionary VR; a DicomException when the tag exists or its VR is unknown.</summary>
    public DicomDataset Add<T>(DicomTag tag, params T[] values) => Add(Build(tag, DictionaryVR(tag), values));

    public DicomDataset Add<T>(DicomTag tag, DicomVR vr, params T[] values) => Add(Build(tag, vr, values));

    public DicomDataset AddOrUpdate<T>(DicomTag tag, params T[] values) => AddOrUpdate(Build(tag, DictionaryVR(tag), values));

    public DicomDataset AddOrUpdate<T>(DicomTag tag, DicomVR vr, params T[] values) => AddOrUpdate(Build(tag, vr, values));

    /// <summary>Adds or replaces a sequence holding <paramref name="items"/>.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params DicomDataset[] items) => AddOrUpdate(new DicomSequence(tag, items));

    /// <summary>Adds or replaces an element with raw value bytes (little endian for binary VRs).</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value) => AddOrUpdate(new DicomElement(tag, vr, value));

    /// <summary>
    /// A byte array is the raw value, whatever the VR: without this overload the call would bind to the generic
    /// <c>params T[]</c> form and store every byte as a separate number.
    /// </summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, byte[] value) => AddOrUpdate(new DicomElement(tag, vr, value));

    /// <inheritdoc cref="AddOrUpdate(DicomTag, DicomVR, byte[])"/>
    public DicomDataset Add(DicomTag tag, DicomVR vr, byte[] value) => Add(new DicomElement(tag, vr, value));

    private static DicomVR DictionaryVR(DicomTag tag)
    {
        var entry = DicomDictionary.Lookup(tag);
        if (entry is null || entry.DefaultVR == DicomVR.None)
        {
            throw new DicomException($"The VR of {tag} is unknown; pass it explicitly.");
        }

        return entry.DefaultVR;
    }

    private DicomItem Build<T>(DicomTag tag, DicomVR vr, T[] values)
    {
        values ??= [];
        if (vr == DicomVR.SQ || typeof(T) == typeof(DicomDataset))
        {
            var sq = new DicomSequence(tag);
            foreach (var v in values)
            {
                sq.Add(v as DicomDataset ?? throw new DicomException($"A sequence needs DicomDataset items, not {typeof(T).Name}."));
            }

            return sq;
        }

        var info = DicomVRInfo.Get(vr);
        if (typeof(T) == typeof(byte) && vr is DicomVR.OB or DicomVR.UN)
        {
            return new DicomElement(tag, vr, PadBinary((byte[])(object)values));
        }

        if (info.IsString)
        {
            var texts = new string[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                texts[i] = FormatForText(values[i], vr);
            }

            var joined = info.IsMultiValuedString ? string.Join('\\', texts) : string.Concat(texts);

            // The character set must be that of the dataset the element ends up in; here that is this one.
            var charset = CharacterSetFor(tag, joined);
            return new DicomElement(tag, vr, DicomValueCodec.EncodeText(charset, vr, joined));
        }

        if (vr == DicomVR.AT)
        {
            var bytes = new byte[values.Length * 4];
            for (var i = 0; i < values.Length; i++)
            {
                var t = values[i] switch
                {
                    DicomTag dt => dt,
                    string s when DicomTag.TryParse(s, out var parsed) => parsed,
                    uint u => DicomTag.FromValue(u),
                    _ => throw new DicomException($"Cannot store {values[i]} as AT."),
                };
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), t.Group);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((i * 4) + 2), t.Element);
            }

            return new DicomElement(tag, vr, bytes);
        }

        if (info.UnitSize > 0)
        {
            var doubles = new double[values.Length];
            var longs = new long[values.Length];
            ulong[]? ulongs = null;
            for (var i = 0; i < values.Length; i++)
            {
                switch (values[i])
                {
                    case ulong u:
                        ulongs ??= new ulong[values.Length];
                        ulongs[i] = u;
                        longs[i] = unchecked((long)u);
                        doubles[i] = u;
                        break;
                    case float or double or decimal:
                        doubles[i] = Convert.ToDouble(values[i], CultureInfo.InvariantCulture);
                        longs[i] = (long)doubles[i];
                        break;
                    case string s when DicomValueParser.TryParseDouble(s, out var parsed):
                        doubles[i] = parsed;
                        longs[i] = (long)parsed;
                        break;
                    case IConvertible c and not string:
                        longs[i] = c.ToInt64(CultureInfo.InvariantCulture);
                        doubles[i] = longs[i];
                        break;
                    default:
                        throw new DicomException($"Cannot store {values[i]} as {DicomVRInfo.ToString(vr)}.");
                }
            }

            try
            {
                return new DicomElement(tag, vr, PadBinary(DicomValueCodec.EncodeNumbers(vr, doubles, longs, ulongs)));
            }
            catch (OverflowException ex)
            {
                throw new DicomException($"A value does not fit VR {DicomVRInfo.ToString(vr)} of {tag}.", ex);
            }
        }

        throw new DicomException($"Cannot build a {DicomVRInfo.ToString(vr)} element from {typeof(T).Name} values.");
    }

    private Text.DicomCharacterSet CharacterSetFor(DicomTag tag, string value)
    {
        if (tag != DicomTag.SpecificCharacterSet)
        {
            return CharacterSet;
        }

        _ = value;
        return Text.DicomCharacterSet.Default;
    }

    private static byte[] PadBinary(byte[] bytes)
    {
        if ((bytes.Length & 1) == 0)
        {
            return bytes;
        }

        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        return padded;
    }

    private static string FormatForText<T>(T value, DicomVR vr) => value switch
    {
        null => string.Empty,
        string s => s,
        DateOnly d when vr == DicomVR.DT => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
        DateOnly d => DicomValueFormatter.FormatDate(d),
        TimeOnly t => DicomValueFormatter.FormatTime(t),
        DateTime dt when vr == DicomVR.DA => DicomValueFormatter.FormatDate(DateOnly.FromDateTime(dt)),
        DateTime dt when vr == DicomVR.TM => DicomValueFormatter.FormatTime(TimeOnly.FromDateTime(dt)),
        DateTime dt => new DicomDateTime(dt, null, DicomDateTimePrecision.Fraction).ToString(),
        DateTimeOffset dto => new DicomDateTime(dto.DateTime, dto.Offset, DicomDateTimePrecision.Fraction).ToString(),
        DicomDateTime ddt => ddt.ToString(),
        DicomPersonName pn => pn.ToString(),
        DicomAge age => age.ToString(),
        DicomTag tag => tag.ToHex(),
        double d when vr == DicomVR.DS => DicomValueFormatter.FormatDecimal(d),
        float f when vr == DicomVR.DS => DicomValueFormatter.FormatDecimal(f),
        decimal m when vr == DicomVR.DS => DicomValueFormatter.FormatDecimal(m),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
