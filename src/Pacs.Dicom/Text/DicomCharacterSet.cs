using System.Collections.Frozen;
using System.Text;

namespace Pacs.Dicom.Text;

/// <summary>
/// The character repertoire a dataset's Specific Character Set (0008,0005) declares (PS3.3 C.12.1.1.2,
/// PS3.5 6.1): decodes and encodes the values of SH, LO, ST, LT, UC, UT and PN. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Values are decoded whole, delimiters included, because in GBK and GB18030 a trail byte can be 0x5C
/// and in JIS X 0208 a byte can be <c>^</c> or <c>=</c>: split the decoded string, never the bytes.
/// Padding is left for the caller to trim.
/// </remarks>
public sealed class DicomCharacterSet
{
    private static readonly FrozenDictionary<string, DicomCharacterSet> SingleTerms = BuildSingleTerms();

    private readonly Encoding? nonExtensionEncoding;
    private readonly Iso2022Profile profile;

    private DicomCharacterSet(IReadOnlyList<string> terms, IReadOnlyList<string> unknownTerms, Encoding? nonExtensionEncoding, Iso2022Profile profile, bool isUnicode)
    {
        Terms = terms;
        UnknownTerms = unknownTerms;
        this.nonExtensionEncoding = nonExtensionEncoding;
        this.profile = profile;
        IsUnicode = isUnicode;
    }

    /// <summary>The default repertoire, ISO-IR 6 (what an absent or empty Specific Character Set means).</summary>
    public static DicomCharacterSet Default { get; } = new(
        [], [], null, Iso2022Profile.Default, isUnicode: false);

    /// <summary>
    /// The Defined Terms in effect, spelled as the standard spells them; unknown terms are kept as given.
    /// Empty for the default repertoire. Suitable for writing (0008,0005) back.
    /// </summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>The terms that were not recognised and were read as the default repertoire instead.</summary>
    public IReadOnlyList<string> UnknownTerms { get; }

    /// <summary>True when every Unicode character can be encoded: ISO_IR 192 (UTF-8) and GB18030.</summary>
    public bool IsUnicode { get; }

    /// <summary>
    /// The character set for the values of Specific Character Set (0008,0005) as read: an empty first
    /// value stands for ISO-IR 6. Unknown terms never throw; they are read as ISO-IR 6 and listed in
    /// <see cref="UnknownTerms"/>.
    /// </summary>
    public static DicomCharacterSet FromSpecificCharacterSet(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
        {
            return Default;
        }

        if (terms.Count == 1 && SingleTerms.TryGetValue(terms[0] ?? string.Empty, out var known))
        {
            return known;
        }

        return Create(terms);
    }

    /// <summary>As <see cref="FromSpecificCharacterSet(IReadOnlyList{string})"/>, for the backslash-separated string value.</summary>
    public static DicomCharacterSet FromSpecificCharacterSet(string specificCharacterSet) =>
        FromSpecificCharacterSet(string.IsNullOrEmpty(specificCharacterSet) ? [] : specificCharacterSet.Split('\\'));

    /// <summary>Decodes a whole element value; never throws (undecodable bytes become U+FFFD).</summary>
    public string Decode(ReadOnlySpan<byte> value, DicomTextKind kind)
    {
        if (value.IsEmpty)
        {
            return string.Empty;
        }

        // Nearly all values are plain ASCII, which every DICOM character set reads the same way.
        if (Ascii.IsValid(value) && (nonExtensionEncoding is not null || !value.Contains((byte)0x1B)))
        {
            return Encoding.ASCII.GetString(value);
        }

        return nonExtensionEncoding is not null
            ? nonExtensionEncoding.GetString(value)
            : Iso2022Decoder.Decode(value, profile, kind);
    }

    /// <summary>
    /// Encodes a whole element value (delimiters included), with escape sequences where the character
    /// set uses code extensions. Characters the character set cannot represent become '?'.
    /// </summary>
    public byte[] Encode(string value, DicomTextKind kind)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Ascii.IsValid(value))
        {
            return Encoding.ASCII.GetBytes(value);
        }

        return nonExtensionEncoding is not null
            ? nonExtensionEncoding.GetBytes(value)
            : Iso2022Encoder.Encode(value, profile, kind);
    }

    /// <summary>The Specific Character Set value, terms joined by backslashes.</summary>
    public override string ToString() => string.Join('\\', Terms);

    private static DicomCharacterSet Create(IReadOnlyList<string> rawTerms)
    {
        var unknown = new List<string>();
        var parsed = new List<(CharacterSetTerm Term, bool ExtensionForm, string? Unknown, bool Empty)>(rawTerms.Count);
        foreach (var raw in rawTerms)
        {
            if (CharacterSetTerms.TryLookup(raw, out var term, out var extensionForm))
            {
                parsed.Add((term, extensionForm, null, string.IsNullOrWhiteSpace(raw?.Trim('\0'))));
            }
            else
            {
                var trimmed = raw.Trim(' ', '\0');
                unknown.Add(trimmed);
                parsed.Add((CharacterSetTerm.Default, false, trimmed, false));
            }
        }

        // UTF-8, GB18030 and GBK cannot be combined with anything (PS3.3 C.12.1.1.2); if one is declared
        // alongside others, it is the one the writer meant.
        var nonExtension = parsed.FirstOrDefault(p => p.Term.NonExtensionEncoding is not null).Term;
        if (nonExtension is not null)
        {
            return new DicomCharacterSet(
                [nonExtension.SingleTerm],
                unknown,
                nonExtension.NonExtensionEncoding,
                Iso2022Profile.Default,
                isUnicode: nonExtension != CharacterSetTerm.Gbk);
        }

        var first = parsed[0].Term;
        var usesExtensions = parsed.Count > 1 || parsed[0].ExtensionForm || parsed.Any(p => p.Term.RequiresCodeExtensions);
        if (!usesExtensions && parsed[0].Unknown is null && first == CharacterSetTerm.Default)
        {
            return Default;
        }

        var initialG0 = first.G0 is { IsMultiByte: false } g0 ? g0 : GraphicCharacterSet.Ascii;
        var initialG1 = first.G1 is { IsMultiByte: false } g1 ? g1 : null;
        var extensions = parsed.Select(p => p.Term.Extension).OfType<GraphicCharacterSet>().Distinct().ToArray();
        var profile = new Iso2022Profile(initialG0, initialG1, extensions, usesExtensions);

        var terms = parsed.Select((p, index) =>
            p.Unknown ?? (index == 0 && p.Empty && usesExtensions ? string.Empty
                : usesExtensions ? p.Term.ExtensionTerm
                : p.Term.SingleTerm)).ToArray();
        return new DicomCharacterSet(terms, unknown, null, profile, isUnicode: false);
    }

    private static FrozenDictionary<string, DicomCharacterSet> BuildSingleTerms()
    {
        var table = new Dictionary<string, DicomCharacterSet>(StringComparer.Ordinal);
        foreach (var term in CharacterSetTerm.Graphic94And96.Where(t => !t.RequiresCodeExtensions && t != CharacterSetTerm.Default))
        {
            table[term.SingleTerm] = Create([term.SingleTerm]);
        }

        foreach (var term in new[] { CharacterSetTerm.Utf8, CharacterSetTerm.Gb18030, CharacterSetTerm.Gbk })
        {
            table[term.SingleTerm] = Create([term.SingleTerm]);
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
