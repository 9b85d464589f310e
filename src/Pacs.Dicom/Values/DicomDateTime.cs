using System.Globalization;

namespace Pacs.Dicom;

/// <summary>A DT value: the date and time (missing components at their minimum), its UTC offset if given, and its precision.</summary>
public readonly record struct DicomDateTime(DateTime DateTime, TimeSpan? Offset, DicomDateTimePrecision Precision)
{
    /// <summary>The value as an instant; without an offset in the value, <paramref name="defaultOffset"/> applies (e.g. Timezone Offset From UTC).</summary>
    public DateTimeOffset ToDateTimeOffset(TimeSpan defaultOffset = default) =>
        new(DateTime.SpecifyKind(DateTime, DateTimeKind.Unspecified), Offset ?? defaultOffset);

    public static DicomDateTime Parse(string text) => DicomValueParser.ParseDateTime(text);

    /// <summary>Formats back to DT text at the value's precision, with the offset when present.</summary>
    public override string ToString()
    {
        var format = Precision switch
        {
            DicomDateTimePrecision.Year => "yyyy",
            DicomDateTimePrecision.Month => "yyyyMM",
            DicomDateTimePrecision.Day => "yyyyMMdd",
            DicomDateTimePrecision.Hours => "yyyyMMddHH",
            DicomDateTimePrecision.Minutes => "yyyyMMddHHmm",
            DicomDateTimePrecision.Seconds => "yyyyMMddHHmmss",
            _ => "yyyyMMddHHmmss.ffffff",
        };
        var text = DateTime.ToString(format, CultureInfo.InvariantCulture);
        if (Offset is { } o)
        {
            var sign = o < TimeSpan.Zero ? '-' : '+';
            var a = o.Duration();
            text += string.Create(CultureInfo.InvariantCulture, $"{sign}{a.Hours:00}{a.Minutes:00}");
        }

        return text;
    }
}
