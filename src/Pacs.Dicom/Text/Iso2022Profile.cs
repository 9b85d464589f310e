namespace Pacs.Dicom.Text;

/// <summary>
/// The code-extension setup that a Specific Character Set value defines: what G0 and G1 hold at the
/// start of every value and after every delimiter, and which sets escape sequences may bring in.
/// </summary>
internal sealed class Iso2022Profile
{
    public Iso2022Profile(GraphicCharacterSet initialG0, GraphicCharacterSet? initialG1, IReadOnlyList<GraphicCharacterSet> extensions, bool allowsEscapes)
    {
        InitialG0 = initialG0;
        InitialG1 = initialG1;
        Extensions = extensions;
        AllowsEscapes = allowsEscapes;

        // Bytes 0x80–0xFF with nothing designated into G1 break the rules, but some writers omit the
        // escape before KS X 1001 or GB 2312; otherwise ISO 8859-1 is what such undeclared bytes most often are.
        UndesignatedG1 = extensions.FirstOrDefault(s => s.Kind == GraphicSetKind.MultiByteG1) ?? GraphicCharacterSet.Latin1;
    }

    /// <summary>The default repertoire: ASCII in G0, nothing in G1, no code extensions.</summary>
    public static Iso2022Profile Default { get; } = new(GraphicCharacterSet.Ascii, null, [], allowsEscapes: false);

    public GraphicCharacterSet InitialG0 { get; }

    public GraphicCharacterSet? InitialG1 { get; }

    /// <summary>Every set beyond ASCII that Specific Character Set declares, in its order (the initial G1 set included).</summary>
    public IReadOnlyList<GraphicCharacterSet> Extensions { get; }

    /// <summary>False for a single value without code extensions (e.g. <c>ISO_IR 100</c>): the encoder writes no escapes.</summary>
    public bool AllowsEscapes { get; }

    /// <summary>What the decoder reads GR bytes with when G1 holds nothing.</summary>
    public GraphicCharacterSet UndesignatedG1 { get; }

    /// <summary>
    /// Whether a character returns G0 and G1 to their initial sets after it (PS3.5 6.1.2.5.3): the value
    /// delimiter, the control characters CR, LF, FF and TAB, and for person names the component and group delimiters.
    /// </summary>
    public static bool ResetsState(int c, DicomTextKind kind) => c switch
    {
        '\\' or '\r' or '\n' or '\f' or '\t' => true,
        '^' or '=' => kind == DicomTextKind.PersonName,
        _ => false,
    };
}
