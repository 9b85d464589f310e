using System.Globalization;

namespace Pacs.Dicom;

/// <summary>
/// Parsing of the text VRs of PS3.5 6.2 (DA, TM, DT, IS, DS). Leading and trailing spaces (and NUL padding)
/// are tolerated everywhere because they are non-significant for these VRs.
/// </summary>
public static class DicomValueParser
{
    /// <summary>DA "YYYYMMDD"; the ACR-NEMA form "YYYY.MM.DD" is accepted too (PS3.5 6.2 note).</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        date = default;
        text = Trim(text);
        int y, m, d;
        if (text.Length == 8 && AllDigits(text))
        {
            y = Digits(text[..4]);
            m = Digits(text[4..6]);
            d = Digits(text[6..8]);
        }
        else if (text.Length == 10 && text[4] == '.' && text[7] == '.' && AllDigits(text[..4]) && AllDigits(text[5..7]) && AllDigits(text[8..]))
        {
            y = Digits(text[..4]);
            m = Digits(text[5..7]);
            d = Digits(text[8..]);
        }
        else
        {
            return false;
        }

        if (y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }

        date = new DateOnly(y, m, d);
        return true;
    }

    public static DateOnly ParseDate(string text) =>
        TryParseDate(text, out var d) ? d : throw new DicomException($"'{text}' is not a valid DA value.");

    /// <summary>
    /// TM "HH", "HHMM", "HHMMSS" or "HHMMSS.F" to "HHMMSS.FFFFFF"; the ACR-NEMA form with colons is accepted.
    /// A leap second (60) is kept as 59.999999 because TimeOnly cannot hold it.
    /// </summary>
    public static bool TryParseTime(ReadOnlySpan<char> text, out TimeOnly time) => TryParseTime(text, out time, out _);

    /// <summary>As <see cref="TryParseTime(ReadOnlySpan{char}, out TimeOnly)"/>, also returning how many components were present.</summary>
    public static bool TryParseTime(ReadOnlySpan<char> text, out TimeOnly time, out DicomTimePrecision precision)
    {
        time = default;
        precision = DicomTimePrecision.None;
        text = Trim(text);
        Span<char> compact = stackalloc char[16];
        var n = 0;
        foreach (var c in text)
        {
            if (c == ':')
            {
                continue;
            }

            if (n == compact.Length)
            {
                return false;
            }

            compact[n++] = c;
        }

        var t = compact[..n];
        if (t.Length < 2 || !AllDigits(t[..2]))
        {
            return false;
        }

        var hour = Digits(t[..2]);
        int minute = 0, second = 0;
        long fractionTicks = 0;
        precision = DicomTimePrecision.Hours;
        var rest = t[2..];
        if (rest.Length >= 2 && AllDigits(rest[..2]))
        {
            minute = Digits(rest[..2]);
            precision = DicomTimePrecision.Minutes;
            rest = rest[2..];
            if (rest.Length >= 2 && AllDigits(rest[..2]))
            {
                second = Digits(rest[..2]);
                precision = DicomTimePrecision.Seconds;
                rest = rest[2..];
                if (rest.Length > 0 && rest[0] == '.')
                {
                    var frac = rest[1..];
                    if (frac.Length is < 1 or > 6 || !AllDigits(frac))
                    {
                        return false;
                    }

                    var micro = Digits(frac);
                    for (var i = frac.Length; i < 6; i++)
                    {
                        micro *= 10;
                    }

                    fractionTicks = micro * 10L;
                    precision = DicomTimePrecision.Fraction;
                    rest = default;
                }
            }
        }

        if (rest.Length != 0 || hour > 23 || minute > 59 || second > 60)
        {
            precision = DicomTimePrecision.None;
            return false;
        }

        if (second == 60)
        {
            second = 59;
            fractionTicks = TimeSpan.TicksPerSecond - 10;
        }

        time = new TimeOnly(new TimeSpan(0, hour, minute, second).Ticks + fractionTicks);
        return true;
    }

    public static TimeOnly ParseTime(string text) =>
        TryParseTime(text, out var t) ? t : throw new DicomException($"'{text}' is not a valid TM value.");

    /// <summary>DT "YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&amp;ZZXX]" with missing components at their minimum.</summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> text, out DicomDateTime value)
    {
        value = default;
        text = Trim(text);
        TimeSpan? offset = null;
        var signAt = text.IndexOfAny('+', '-');
        if (signAt >= 0)
        {
            var z = text[(signAt + 1)..];
            if (z.Length != 4 || !AllDigits(z))
            {
                return false;
            }

            var hours = Digits(z[..2]);
            var minutes = Digits(z[2..]);
            if (hours > 14 || minutes > 59)
            {
                return false;
            }

            var span = new TimeSpan(hours, minutes, 0);
            offset = text[signAt] == '-' ? -span : span;
            text = text[..signAt];
        }

        if (text.Length < 4 || !AllDigits(text[..4]))
        {
            return false;
        }

        var year = Digits(text[..4]);
        int month = 1, day = 1;
        var precision = DicomDateTimePrecision.Year;
        var rest = text[4..];
        if (rest.Length >= 2)
        {
            if (!AllDigits(rest[..2]))
            {
                return false;
            }

            month = Digits(rest[..2]);
            precision = DicomDateTimePrecision.Month;
            rest = rest[2..];
            if (rest.Length >= 2)
            {
                if (!AllDigits(rest[..2]))
                {
                    return false;
                }

                day = Digits(rest[..2]);
                precision = DicomDateTimePrecision.Day;
                rest = rest[2..];
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var time = TimeOnly.MinValue;
        if (rest.Length > 0)
        {
            if (precision != DicomDateTimePrecision.Day || rest.Contains(':') || !TryParseTime(rest, out time, out var tp))
            {
                return false;
            }

            precision = tp switch
            {
                DicomTimePrecision.Hours => DicomDateTimePrecision.Hours,
                DicomTimePrecision.Minutes => DicomDateTimePrecision.Minutes,
                DicomTimePrecision.Seconds => DicomDateTimePrecision.Seconds,
                _ => DicomDateTimePrecision.Fraction,
            };
        }

        value = new DicomDateTime(new DateOnly(year, month, day).ToDateTime(time), offset, precision);
        return true;
    }

    public static DicomDateTime ParseDateTime(string text) =>
        TryParseDateTime(text, out var v) ? v : throw new DicomException($"'{text}' is not a valid DT value.");

    /// <summary>IS: an optionally signed integer; values outside ±(2^31-1) are accepted (some writers exceed the VR's range).</summary>
    public static bool TryParseInteger(ReadOnlySpan<char> text, out long value)
    {
        text = Trim(text);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>DS: a fixed or floating point decimal number ("1.5", "-2e3", ".5").</summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0;
        text = Trim(text);
        return IsDecimalString(text)
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>DS as a double; "NaN" and "Infinity" are rejected because DS cannot carry them.</summary>
    public static bool TryParseDouble(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        text = Trim(text);
        return IsDecimalString(text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsDecimalString(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        var digits = false;
        foreach (var c in text)
        {
            if (c is >= '0' and <= '9')
            {
                digits = true;
            }
            else if (c is not ('+' or '-' or '.' or 'e' or 'E'))
            {
                return false;
            }
        }

        return digits;
    }

    internal static ReadOnlySpan<char> Trim(ReadOnlySpan<char> text) => text.Trim(" \0");

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static int Digits(ReadOnlySpan<char> s)
    {
        var v = 0;
        foreach (var c in s)
        {
            v = (v * 10) + (c - '0');
        }

        return v;
    }
}

/// <summary>How many components a TM value had.</summary>
public enum DicomTimePrecision
{
    None,
    Hours,
    Minutes,
    Seconds,
    Fraction,
}

/// <summary>How many components a DT value had.</summary>
public enum DicomDateTimePrecision
{
    Year,
    Month,
    Day,
    Hours,
    Minutes,
    Seconds,
    Fraction,
}
