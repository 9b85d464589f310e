using System.Text;

namespace Pacs.Dicom.Text;

/// <summary>
/// The legacy code pages the character sets are decoded with. They come straight from the
/// CodePagesEncodingProvider instance so that no process-wide provider has to be registered.
/// </summary>
internal static class CodePages
{
    /// <summary>What a byte that cannot be decoded becomes.</summary>
    public const char ReplacementChar = '\uFFFD';

    public const int Latin1 = 28591;
    public const int Latin2 = 28592;
    public const int Latin3 = 28593;
    public const int Latin4 = 28594;
    public const int Cyrillic = 28595;
    public const int Arabic = 28596;
    public const int Greek = 28597;
    public const int Hebrew = 28598;
    public const int Latin5 = 28599;
    public const int Latin9 = 28605;

    /// <summary>Windows-874 is a superset of TIS 620; only its 0xA0–0xFF half is used.</summary>
    public const int Thai = 874;

    /// <summary>
    /// Microsoft's EUC-JP (20932) maps JIS X 0208 as in the JIS standard (U+301C wave dash, as the
    /// ISO-2022-JP decoders of other toolkits do) and is the only code page that also carries
    /// JIS X 0212, as a lead byte with the high bit set followed by a GL trail byte.
    /// </summary>
    public const int EucJp = 20932;

    /// <summary>
    /// Unified Hangul Code: its 0xA1–0xFE × 0xA1–0xFE area is KS X 1001. Not EUC-KR (51949), whose
    /// table maps 0xB4D3 to U+B2D6 instead of U+B2D2.
    /// </summary>
    public const int Uhc = 949;

    /// <summary>GBK: its 0xA1–0xFE × 0xA1–0xFE area is GB 2312 as the Chinese systems write it.</summary>
    public const int Gbk = 936;

    public const int Gb18030 = 54936;

    /// <summary>Gets a code page whose decoder substitutes U+FFFD and whose encoder substitutes '?'.</summary>
    public static Encoding Get(int codePage)
    {
        var encoderFallback = new EncoderReplacementFallback("?");
        var decoderFallback = new DecoderReplacementFallback(ReplacementChar.ToString());
        if (codePage == Latin1)
        {
            return Encoding.GetEncoding(Latin1, encoderFallback, decoderFallback);
        }

        return CodePagesEncodingProvider.Instance.GetEncoding(codePage, encoderFallback, decoderFallback)
            ?? throw new InvalidOperationException($"Code page {codePage} is not available.");
    }

    /// <summary>UTF-8 that never throws: bad input decodes to U+FFFD, lone surrogates encode to '?'.</summary>
    public static Encoding Utf8 { get; } = Encoding.GetEncoding(
        "utf-8",
        new EncoderReplacementFallback("?"),
        new DecoderReplacementFallback(ReplacementChar.ToString()));
}
