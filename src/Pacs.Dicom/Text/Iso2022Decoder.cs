using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace Pacs.Dicom.Text;

/// <summary>
/// Decodes a value written with ISO 2022 code extensions (PS3.5 6.1.2.5): escape sequences designate
/// sets into G0 and G1, and the state returns to the initial sets at each delimiter. Bad bytes become U+FFFD.
/// </summary>
internal static class Iso2022Decoder
{
    private const byte Escape = 0x1B;

    // Keyed by the bytes after ESC. Besides the DICOM sequences, the ISO-2022-JP spellings of JIS X 0208
    // (ESC $ @ for the 1978 edition, ESC $ ( B) are accepted, since Japanese mail software writes them.
    private static readonly FrozenDictionary<string, GraphicCharacterSet> Designations = BuildDesignations();

    public static string Decode(ReadOnlySpan<byte> value, Iso2022Profile profile, DicomTextKind kind)
    {
        // Every byte yields at most one character: escapes yield none, a two-byte code yields one.
        var buffer = ArrayPool<char>.Shared.Rent(value.Length);
        try
        {
            var count = Decode(value, profile, kind, buffer);
            return new string(buffer, 0, count);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static int Decode(ReadOnlySpan<byte> value, Iso2022Profile profile, DicomTextKind kind, Span<char> output)
    {
        var g0 = profile.InitialG0;
        var g1 = profile.InitialG1;
        var n = 0;
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b == Escape)
            {
                i += ReadEscape(value[i..], ref g0, ref g1, out var known);
                if (!known)
                {
                    output[n++] = CodePages.ReplacementChar;
                }
            }
            else if (b < 0x80)
            {
                if (g0.Kind == GraphicSetKind.MultiByteG0 && IsGL(b))
                {
                    if (i + 1 < value.Length && IsGL(value[i + 1]))
                    {
                        output[n++] = g0.DecodePair(b, value[i + 1]);
                        i += 2;
                    }
                    else
                    {
                        output[n++] = CodePages.ReplacementChar;
                        i++;
                    }

                    continue;
                }

                output[n++] = (char)b;
                i++;
                if (Iso2022Profile.ResetsState(b, kind))
                {
                    g0 = profile.InitialG0;
                    g1 = profile.InitialG1;
                }
            }
            else
            {
                var upper = g1 ?? profile.UndesignatedG1;
                if (upper.Kind != GraphicSetKind.MultiByteG1)
                {
                    output[n++] = upper.DecodeUpper(b);
                    i++;
                }
                else if (IsGR(b) && i + 1 < value.Length && IsGR(value[i + 1]))
                {
                    output[n++] = upper.DecodePair((byte)(b & 0x7F), (byte)(value[i + 1] & 0x7F));
                    i += 2;
                }
                else
                {
                    output[n++] = CodePages.ReplacementChar;
                    i++;
                }
            }
        }

        return n;
    }

    /// <summary>
    /// Reads ESC, intermediate bytes (0x20–0x2F) and a final byte (0x30–0x7E), applying the designation
    /// if it is one we know. Returns how many bytes were consumed; a malformed escape consumes only the ESC.
    /// </summary>
    private static int ReadEscape(ReadOnlySpan<byte> bytes, ref GraphicCharacterSet g0, ref GraphicCharacterSet? g1, out bool known)
    {
        known = false;
        var end = 1;
        while (end < bytes.Length && bytes[end] is >= 0x20 and <= 0x2F)
        {
            end++;
        }

        if (end == 1 || end >= bytes.Length || bytes[end] is < 0x30 or > 0x7E)
        {
            return 1;
        }

        var key = Encoding.ASCII.GetString(bytes[1..(end + 1)]);
        if (Designations.TryGetValue(key, out var set))
        {
            known = true;
            if (set.IsG0)
            {
                g0 = set;
            }
            else
            {
                g1 = set;
            }
        }

        return end + 1;
    }

    private static bool IsGL(byte b) => b is >= 0x21 and <= 0x7E;

    private static bool IsGR(byte b) => b is >= 0xA1 and <= 0xFE;

    private static FrozenDictionary<string, GraphicCharacterSet> BuildDesignations()
    {
        var all = CharacterSetTerm.Graphic94And96
            .SelectMany(t => new[] { t.G0, t.G1 })
            .OfType<GraphicCharacterSet>()
            .Distinct();
        var table = all.ToDictionary(s => Encoding.ASCII.GetString(s.EscapeSequence.AsSpan(1)), StringComparer.Ordinal);
        table["$@"] = GraphicCharacterSet.JisX0208;
        table["$(B"] = GraphicCharacterSet.JisX0208;
        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
