using System.Collections.Frozen;
using System.Text;

namespace Pacs.Dicom.Text;

/// <summary>
/// One graphic character set of ISO 2022 together with the escape sequence that designates it:
/// the unit the decoder switches between and the encoder picks from.
/// </summary>
internal sealed class GraphicCharacterSet
{
    private const byte Escape = 0x1B;

    // Single-byte sets are table-driven: a 128-entry table for the bytes 0x80–0xFF and its inverse.
    private readonly char[]? upperHalf;
    private readonly FrozenDictionary<char, byte>? upperHalfInverse;

    // Two-byte sets go through an EUC code page: the GL codes of ISO 2022 become EUC by setting bit 8.
    private readonly Encoding? euc;

    // JIS X 0212 goes through code page 20932 as a GR lead byte and a GL trail byte.
    private readonly bool isJisX0212;

    private GraphicCharacterSet(string name, GraphicSetKind kind, byte[] escapeSequence, char[]? upperHalf, Encoding? euc)
    {
        Name = name;
        Kind = kind;
        EscapeSequence = escapeSequence;
        this.upperHalf = upperHalf;
        this.euc = euc;
        isJisX0212 = name == "ISO-IR 159";
        if (upperHalf is not null)
        {
            var inverse = new Dictionary<char, byte>();
            for (var i = 0x20; i < 0x80; i++)
            {
                // Only 0xA0–0xFF are graphic characters of a G1 set; C1 controls are never encoded.
                if (upperHalf[i] != CodePages.ReplacementChar)
                {
                    inverse.TryAdd(upperHalf[i], (byte)(0x80 + i));
                }
            }

            upperHalfInverse = inverse.ToFrozenDictionary();
        }
    }

    public string Name { get; }

    public GraphicSetKind Kind { get; }

    /// <summary>The escape sequence that designates this set into its code element (G0 or G1).</summary>
    public byte[] EscapeSequence { get; }

    public bool IsG0 => Kind is GraphicSetKind.SingleByteG0 or GraphicSetKind.MultiByteG0;

    public bool IsMultiByte => Kind is GraphicSetKind.MultiByteG0 or GraphicSetKind.MultiByteG1;

    /// <summary>ISO 646 IRV (ISO-IR 6), designated by ESC ( B.</summary>
    public static GraphicCharacterSet Ascii { get; } = new("ISO-IR 6", GraphicSetKind.SingleByteG0, [Escape, 0x28, 0x42], null, null);

    /// <summary>
    /// JIS X 0201 romaji (ISO-IR 14), designated by ESC ( J. It differs from ASCII only at 0x5C (yen) and
    /// 0x7E (overline); DICOM needs 0x5C to stay the value delimiter, so it is treated as ASCII.
    /// </summary>
    public static GraphicCharacterSet JisRomaji { get; } = new("ISO-IR 14", GraphicSetKind.SingleByteG0, [Escape, 0x28, 0x4A], null, null);

    /// <summary>JIS X 0201 katakana (ISO-IR 13), designated by ESC ) I: 0xA1–0xDF are the half-width katakana.</summary>
    public static GraphicCharacterSet JisKatakana { get; } = new(
        "ISO-IR 13", GraphicSetKind.SingleByteG1, [Escape, 0x29, 0x49], KatakanaTable(), null);

    public static GraphicCharacterSet Latin1 { get; } = Upper96("ISO-IR 100", (byte)'A', CodePages.Latin1);

    public static GraphicCharacterSet Latin2 { get; } = Upper96("ISO-IR 101", (byte)'B', CodePages.Latin2);

    public static GraphicCharacterSet Latin3 { get; } = Upper96("ISO-IR 109", (byte)'C', CodePages.Latin3);

    public static GraphicCharacterSet Latin4 { get; } = Upper96("ISO-IR 110", (byte)'D', CodePages.Latin4);

    public static GraphicCharacterSet Cyrillic { get; } = Upper96("ISO-IR 144", (byte)'L', CodePages.Cyrillic);

    public static GraphicCharacterSet Arabic { get; } = Upper96("ISO-IR 127", (byte)'G', CodePages.Arabic);

    public static GraphicCharacterSet Greek { get; } = Upper96("ISO-IR 126", (byte)'F', CodePages.Greek);

    public static GraphicCharacterSet Hebrew { get; } = Upper96("ISO-IR 138", (byte)'H', CodePages.Hebrew);

    public static GraphicCharacterSet Latin5 { get; } = Upper96("ISO-IR 148", (byte)'M', CodePages.Latin5);

    public static GraphicCharacterSet Latin9 { get; } = Upper96("ISO-IR 203", (byte)'b', CodePages.Latin9);

    public static GraphicCharacterSet Thai { get; } = Upper96("ISO-IR 166", (byte)'T', CodePages.Thai);

    /// <summary>JIS X 0208 (ISO-IR 87), designated by ESC $ B.</summary>
    public static GraphicCharacterSet JisX0208 { get; } = new(
        "ISO-IR 87", GraphicSetKind.MultiByteG0, [Escape, 0x24, 0x42], null, CodePages.Get(CodePages.EucJp));

    /// <summary>JIS X 0212 (ISO-IR 159), designated by ESC $ ( D.</summary>
    public static GraphicCharacterSet JisX0212 { get; } = new(
        "ISO-IR 159", GraphicSetKind.MultiByteG0, [Escape, 0x24, 0x28, 0x44], null, CodePages.Get(CodePages.EucJp));

    /// <summary>KS X 1001 (ISO-IR 149), designated by ESC $ ) C.</summary>
    public static GraphicCharacterSet KsX1001 { get; } = new(
        "ISO-IR 149", GraphicSetKind.MultiByteG1, [Escape, 0x24, 0x29, 0x43], null, CodePages.Get(CodePages.Uhc));

    /// <summary>GB 2312 (ISO-IR 58), designated by ESC $ ) A.</summary>
    public static GraphicCharacterSet Gb2312 { get; } = new(
        "ISO-IR 58", GraphicSetKind.MultiByteG1, [Escape, 0x24, 0x29, 0x41], null, CodePages.Get(CodePages.Gbk));

    /// <summary>Decodes one byte 0x80–0xFF of a single-byte G1 set.</summary>
    public char DecodeUpper(byte b) => upperHalf![b - 0x80];

    /// <summary>
    /// Decodes one two-byte code given as its 7-bit row and cell (0x21–0x7E each); anything that is not
    /// exactly one character of the set becomes U+FFFD.
    /// </summary>
    public char DecodePair(byte row, byte cell)
    {
        Span<byte> code = [(byte)(row | 0x80), isJisX0212 ? (byte)(cell & 0x7F) : (byte)(cell | 0x80)];
        Span<char> chars = stackalloc char[4];
        var count = euc!.GetChars(code, chars);
        if (count == 1 && chars[0] != CodePages.ReplacementChar)
        {
            return chars[0];
        }

        // Two JIS X 0212 characters that Microsoft's EUC-JP lacks (JIS0212.TXT maps them).
        return (row, cell) switch
        {
            (0x22, 0x37) when isJisX0212 => '~',
            (0x22, 0x71) when isJisX0212 => '\u2116',
            _ => CodePages.ReplacementChar,
        };
    }

    /// <summary>
    /// Encodes one character of this set: one GR byte for single-byte sets; for two-byte sets the 7-bit
    /// row and cell (the caller adds bit 8 for G1). Returns the number of bytes, 0 if not in the set.
    /// </summary>
    public int TryEncode(char c, Span<byte> destination)
    {
        if (upperHalfInverse is not null)
        {
            if (upperHalfInverse.TryGetValue(c, out var b))
            {
                destination[0] = b;
                return 1;
            }

            return 0;
        }

        if (euc is null || char.IsSurrogate(c) || c < 0x80)
        {
            return 0;
        }

        if (isJisX0212 && c == '\u2116')
        {
            destination[0] = 0x22;
            destination[1] = 0x71;
            return 2;
        }

        Span<byte> code = stackalloc byte[8];
        var written = euc.GetBytes([c], code);
        if (written != 2 || code[0] < 0xA1 || code[0] > 0xFE)
        {
            return 0;
        }

        var cellOk = isJisX0212 ? code[1] is >= 0x21 and <= 0x7E : code[1] is >= 0xA1 and <= 0xFE;
        if (!cellOk)
        {
            return 0;
        }

        var row = (byte)(code[0] & 0x7F);
        var cell = (byte)(code[1] & 0x7F);

        // Code pages may map a character to a "best fit" look-alike; only exact round trips count.
        if (DecodePair(row, cell) != c)
        {
            return 0;
        }

        destination[0] = row;
        destination[1] = cell;
        return 2;
    }

    public override string ToString() => Name;

    private static GraphicCharacterSet Upper96(string name, byte final, int codePage) =>
        new(name, GraphicSetKind.SingleByteG1, [Escape, 0x2D, final], UpperHalfTable(codePage), null);

    private static char[] UpperHalfTable(int codePage)
    {
        var encoding = CodePages.Get(codePage);
        var table = new char[128];
        Span<byte> one = stackalloc byte[1];
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < 128; i++)
        {
            // 0x80–0x9F are the C1 controls in every ISO 8859 part and in TIS 620 (ISO 8859-11), even
            // where the code page used to read the upper half (Windows-874) puts punctuation there.
            if (i < 0x20)
            {
                table[i] = (char)(0x80 + i);
                continue;
            }

            one[0] = (byte)(0x80 + i);
            var count = encoding.GetChars(one, chars);
            table[i] = count == 1 ? chars[0] : CodePages.ReplacementChar;
        }

        return table;
    }

    private static char[] KatakanaTable()
    {
        var table = new char[128];
        for (var i = 0; i < 128; i++)
        {
            var b = 0x80 + i;
            table[i] = b switch
            {
                < 0xA0 => (char)b,
                >= 0xA1 and <= 0xDF => (char)(0xFF61 + (b - 0xA1)),
                _ => CodePages.ReplacementChar,
            };
        }

        return table;
    }
}
