namespace Pacs.Dicom;

/// <summary>
/// A date or date range as used in query matching (PS3.4 C.2.2.2.5): "20200101", "20200101-20201231",
/// "-20201231", "20200101-". Partial dates widen to the whole year or month ("2020-" starts 2020-01-01,
/// "-2020" ends 2020-12-31). A null bound is open.
/// </summary>
public readonly record struct DicomDateRange(DateOnly? From, DateOnly? To)
{
    public bool Contains(DateOnly date) => (From is null || date >= From) && (To is null || date <= To);

    public static bool TryParse(ReadOnlySpan<char> text, out DicomDateRange range)
    {
        range = default;
        text = DicomValueParser.Trim(text);
        var dash = text.IndexOf('-');
        if (dash < 0)
        {
            if (!TryBound(text, upper: false, out var start) || !TryBound(text, upper: true, out var end) || start is null)
            {
                return false;
            }

            range = new DicomDateRange(start, end);
            return true;
        }

        if (text.Length == 1 || text[(dash + 1)..].Contains('-'))
        {
            return false;
        }

        if (!TryBound(text[..dash], upper: false, out var from) || !TryBound(text[(dash + 1)..], upper: true, out var to))
        {
            return false;
        }

        if (from is not null && to is not null && from > to)
        {
            return false;
        }

        range = new DicomDateRange(from, to);
        return true;
    }

    public static DicomDateRange Parse(string text) =>
        TryParse(text, out var r) ? r : throw new DicomException($"'{text}' is not a valid date range.");

    public override string ToString()
    {
        var from = From?.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        var to = To?.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        return From == To && From is not null ? from : $"{from}-{to}";
    }

    private static bool TryBound(ReadOnlySpan<char> text, bool upper, out DateOnly? bound)
    {
        bound = null;
        text = text.Trim(' ');
        if (text.IsEmpty)
        {
            return true;
        }

        if (text.Length == 8)
        {
            if (!DicomValueParser.TryParseDate(text, out var d))
            {
                return false;
            }

            bound = d;
            return true;
        }

        if ((text.Length == 4 || text.Length == 6) && DicomValueParser.TryParseDateTime(text, out var partial))
        {
            var start = DateOnly.FromDateTime(partial.DateTime);
            bound = !upper ? start : text.Length == 4 ? start.AddYears(1).AddDays(-1) : start.AddMonths(1).AddDays(-1);
            return true;
        }

        return false;
    }
}
