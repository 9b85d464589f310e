using System.Globalization;

namespace Pacs.Dicom.Serialization;

/// <summary>Turns text element values into the separate values both DICOM JSON and XML list.</summary>
internal static class DicomTextValues
{
    /// <summary>
    /// The values of a text element, decoded with the dataset's effective character set, split on backslash for
    /// multi-valued VRs, with non-significant spaces trimmed; an empty value is null. No values for an empty element.
    /// </summary>
    public static string?[] Split(DicomDataset dataset, DicomElement element)
    {
        var vr = element.VR;
        var bytes = element.Value.Span;
        if (bytes.IsEmpty)
        {
            return [];
        }

        var text = DicomValueCodec.TrimValue(DicomValueCodec.DecodeText(dataset.CharacterSet, vr, bytes), vr);
        if (text.Length == 0)
        {
            return [];
        }

        if (!DicomVRInfo.Get(vr).IsMultiValuedString)
        {
            return [text];
        }

        var parts = text.Split('\\');
        var values = new string?[parts.Length];
        var any = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var v = DicomValueCodec.TrimSingle(parts[i], vr);
            values[i] = v.Length == 0 ? null : v;
            any |= v.Length != 0;
        }

        // A value of only padding spaces is as empty as a zero-length one.
        return any ? values : [];
    }

    /// <summary>
    /// The JSON number for an IS or DS value, or false when the text is no number JSON can carry (NaN, "1A", an IS
    /// outside the IS range): then it is written as a JSON string, as DCMTK's dcm2json does and F.2.3 allows.
    /// The digits are kept as written (only a leading '+', leading zeros and a bare '.' are normalised) so that a
    /// decimal string loses no precision and "1.50" stays "1.50".
    /// </summary>
    public static bool TryToJsonNumber(string text, bool integer, out string json)
    {
        json = string.Empty;
        var s = text.AsSpan().Trim(' ');
        var i = 0;
        var negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            negative = s[i] == '-';
            i++;
        }

        var intStart = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        var intDigits = s[intStart..i];
        var fraction = ReadOnlySpan<char>.Empty;
        var exponent = ReadOnlySpan<char>.Empty;
        if (!integer && i < s.Length && s[i] == '.')
        {
            var fracStart = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            fraction = s[fracStart..i];
        }

        if (intDigits.IsEmpty && fraction.IsEmpty)
        {
            return false;
        }

        if (!integer && i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            var expStart = i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                i++;
            }

            var digitsStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == digitsStart)
            {
                return false;
            }

            exponent = s[expStart..i];
        }

        if (i != s.Length)
        {
            return false;
        }

        var trimmedInt = intDigits.TrimStart('0');
        if (integer)
        {
            // IS is limited to -2^31 .. 2^31-1 (PS3.5 6.2); DCMTK writes values outside it as strings.
            if (!long.TryParse(intDigits, NumberStyles.None, CultureInfo.InvariantCulture, out var magnitude) ||
                (negative ? magnitude > 2147483648L : magnitude > int.MaxValue))
            {
                return false;
            }
        }

        var number = string.Concat(
            negative ? "-" : string.Empty,
            trimmedInt.IsEmpty ? "0" : trimmedInt,
            fraction.IsEmpty ? string.Empty : "." + fraction.ToString(),
            exponent);
        json = number;
        return true;
    }

    /// <summary>VRs whose value PS3.18 F.2.2 allows to be replaced by a BulkDataURI.</summary>
    public static bool IsBulkDataEligible(DicomVR vr) => vr is
        DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.UN or
        DicomVR.DS or DicomVR.FL or DicomVR.FD or DicomVR.IS or DicomVR.LT or DicomVR.SL or DicomVR.SS or
        DicomVR.ST or DicomVR.SV or DicomVR.UC or DicomVR.UL or DicomVR.US or DicomVR.UT or DicomVR.UV;

    /// <summary>VRs written as one base64 value (F.2.7) rather than a Value array.</summary>
    public static bool IsInlineBinaryVR(DicomVR vr) => vr is
        DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.UN or DicomVR.None;

    /// <summary>The VR to name in the output: an element whose VR was not recognised is written as UN.</summary>
    public static string VRName(DicomVR vr) => vr == DicomVR.None || !DicomVRInfo.IsKnown(vr) ? "UN" : DicomVRInfo.ToString(vr);
}
