using System.Text;

namespace Pacs.Dicom.Text;

/// <summary>
/// What one Defined Term of Specific Character Set (0008,0005) stands for (PS3.3 C.12.1.1.2): either
/// the graphic sets it designates into G0 and G1, or a character set without code extensions.
/// </summary>
internal sealed class CharacterSetTerm
{
    private CharacterSetTerm(int isoIrNumber, string name, GraphicCharacterSet? g0, GraphicCharacterSet? g1, Encoding? unicode)
    {
        IsoIrNumber = isoIrNumber;
        Name = name;
        G0 = g0;
        G1 = g1;
        NonExtensionEncoding = unicode;
    }

    /// <summary>The ISO-IR registration number; 0 for GB18030 and GBK.</summary>
    public int IsoIrNumber { get; }

    /// <summary>GB18030 or GBK, for which there is no ISO-IR number.</summary>
    public string Name { get; }

    /// <summary>The set this term puts into G0 (ASCII for most single-byte terms).</summary>
    public GraphicCharacterSet? G0 { get; }

    /// <summary>The set this term puts into G1, if any.</summary>
    public GraphicCharacterSet? G1 { get; }

    /// <summary>For ISO_IR 192, GB18030 and GBK, which do not use ISO 2022: the whole-value encoding.</summary>
    public Encoding? NonExtensionEncoding { get; }

    /// <summary>The set this term adds beyond ASCII, which is what an escape sequence has to designate.</summary>
    public GraphicCharacterSet? Extension => G1 ?? (G0 == GraphicCharacterSet.Ascii ? null : G0);

    /// <summary>The Defined Term in the form without code extensions (<c>ISO_IR 100</c>).</summary>
    public string SingleTerm => IsoIrNumber == 0 ? Name : $"ISO_IR {IsoIrNumber}";

    /// <summary>The Defined Term in the form with code extensions (<c>ISO 2022 IR 100</c>).</summary>
    public string ExtensionTerm => IsoIrNumber is 0 or 192 ? SingleTerm : $"ISO 2022 IR {IsoIrNumber}";

    /// <summary>True for ISO-IR 87, 159, 149 and 58, which only exist with code extensions.</summary>
    public bool RequiresCodeExtensions => G0?.IsMultiByte == true || G1?.IsMultiByte == true;

    public static CharacterSetTerm Default { get; } = Graphic(6, GraphicCharacterSet.Ascii, null);

    public static CharacterSetTerm Utf8 { get; } = new(192, "ISO_IR 192", null, null, CodePages.Utf8);

    public static CharacterSetTerm Gb18030 { get; } = new(0, "GB18030", null, null, CodePages.Get(CodePages.Gb18030));

    public static CharacterSetTerm Gbk { get; } = new(0, "GBK", null, null, CodePages.Get(CodePages.Gbk));

    public static IReadOnlyList<CharacterSetTerm> Graphic94And96 { get; } =
    [
        Default,
        Graphic(100, GraphicCharacterSet.Ascii, GraphicCharacterSet.Latin1),
        Graphic(101, GraphicCharacterSet.Ascii, GraphicCharacterSet.Latin2),
        Graphic(109, GraphicCharacterSet.Ascii, GraphicCharacterSet.Latin3),
        Graphic(110, GraphicCharacterSet.Ascii, GraphicCharacterSet.Latin4),
        Graphic(144, GraphicCharacterSet.Ascii, GraphicCharacterSet.Cyrillic),
        Graphic(127, GraphicCharacterSet.Ascii, GraphicCharacterSet.Arabic),
        Graphic(126, GraphicCharacterSet.Ascii, GraphicCharacterSet.Greek),
        Graphic(138, GraphicCharacterSet.Ascii, GraphicCharacterSet.Hebrew),
        Graphic(148, GraphicCharacterSet.Ascii, GraphicCharacterSet.Latin5),
        Graphic(203, GraphicCharacterSet.Ascii, GraphicCharacterSet.Latin9),
        Graphic(13, GraphicCharacterSet.JisRomaji, GraphicCharacterSet.JisKatakana),
        Graphic(166, GraphicCharacterSet.Ascii, GraphicCharacterSet.Thai),
        Graphic(87, GraphicCharacterSet.JisX0208, null),
        Graphic(159, GraphicCharacterSet.JisX0212, null),
        Graphic(149, null, GraphicCharacterSet.KsX1001),
        Graphic(58, null, GraphicCharacterSet.Gb2312),
    ];

    public override string ToString() => SingleTerm;

    private static CharacterSetTerm Graphic(int number, GraphicCharacterSet? g0, GraphicCharacterSet? g1) =>
        new(number, $"ISO-IR {number}", g0, g1, null);
}
