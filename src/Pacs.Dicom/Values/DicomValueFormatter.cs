using System.Globalization;

namespace Pacs.Dicom;

/// <summary>Formatting of values to the text VRs (DA, TM, DS, IS), the inverse of <see cref="DicomValueParser"/>.</summary>
public static class DicomValueFormatter
{
    public static string FormatDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>TM with as many fraction digits as needed (none when whole seconds).</summary>
    public static string FormatTime(TimeOnly time)
    {
        var ticks = time.Ticks % TimeSpan.TicksPerSecond;
        if (ticks == 0)
        {
            return time.ToString("HHmmss", CultureInfo.InvariantCulture);
        }

        return time.ToString("HHmmss.ffffff", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    public static string FormatInteger(long value)
    {
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw new DicomException($"{value} is outside the range of IS.");
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>DS limited to its 16 characters, shortest round-trippable form first.</summary>
    public static string FormatDecimal(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new DicomException("DS cannot hold NaN or infinity.");
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.Length <= 16)
        {
            return text;
        }

        for (var digits = 15; digits > 0; digits--)
        {
            text = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (text.Length <= 16)
            {
                return text;
            }
        }

        throw new DicomException($"{value} cannot be written in 16 characters of DS.");
    }

    public static string FormatDecimal(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        return text.Length <= 16 ? text : FormatDecimal((double)value);
    }
}
