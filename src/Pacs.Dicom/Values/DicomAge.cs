using System.Globalization;

namespace Pacs.Dicom;

/// <summary>The unit of an AS value.</summary>
public enum DicomAgeUnit
{
    Days = 'D',
    Weeks = 'W',
    Months = 'M',
    Years = 'Y',
}

/// <summary>An Age String (AS): "nnnD", "nnnW", "nnnM" or "nnnY".</summary>
public readonly record struct DicomAge(int Value, DicomAgeUnit Unit)
{
    public static bool TryParse(ReadOnlySpan<char> text, out DicomAge age)
    {
        age = default;
        text = DicomValueParser.Trim(text);
        if (text.Length != 4)
        {
            return false;
        }

        var unit = text[3] switch
        {
            'D' or 'd' => DicomAgeUnit.Days,
            'W' or 'w' => DicomAgeUnit.Weeks,
            'M' or 'm' => DicomAgeUnit.Months,
            'Y' or 'y' => DicomAgeUnit.Years,
            _ => (DicomAgeUnit)0,
        };
        if (unit == 0 || !int.TryParse(text[..3], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        age = new DicomAge(value, unit);
        return true;
    }

    public static DicomAge Parse(string text) =>
        TryParse(text, out var a) ? a : throw new DicomException($"'{text}' is not a valid AS value.");

    public override string ToString()
    {
        if (Value is < 0 or > 999)
        {
            throw new DicomException($"An age of {Value} does not fit the three digits of AS.");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Value:000}{(char)Unit}");
    }
}
