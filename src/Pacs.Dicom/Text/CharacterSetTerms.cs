using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Pacs.Dicom.Text;

/// <summary>
/// Looks up Defined Terms of (0008,0005), forgiving the spellings found in real files: case, padding,
/// <c>ISO-IR 100</c>, <c>ISO IR 100</c>, and either of the ISO_IR / ISO 2022 IR forms in either place.
/// </summary>
internal static class CharacterSetTerms
{
    private static readonly FrozenDictionary<int, CharacterSetTerm> ByNumber =
        CharacterSetTerm.Graphic94And96.Append(CharacterSetTerm.Utf8).ToFrozenDictionary(t => t.IsoIrNumber);

    private static readonly FrozenDictionary<string, CharacterSetTerm> ByName = new Dictionary<string, CharacterSetTerm>
    {
        ["GB18030"] = CharacterSetTerm.Gb18030,
        ["GBK"] = CharacterSetTerm.Gbk,
        ["UTF8"] = CharacterSetTerm.Utf8,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Finds the term; <paramref name="extensionForm"/> tells whether it was spelled as
    /// <c>ISO 2022 IR n</c>. Empty terms are the default repertoire.
    /// </summary>
    public static bool TryLookup(string? term, out CharacterSetTerm result, out bool extensionForm)
    {
        result = CharacterSetTerm.Default;
        extensionForm = false;
        var key = Compact(term);
        if (key.Length == 0)
        {
            return true;
        }

        if (ByName.TryGetValue(key, out var named))
        {
            result = named;
            return true;
        }

        ReadOnlySpan<char> number;
        if (key.StartsWith("ISO2022IR", StringComparison.Ordinal))
        {
            extensionForm = true;
            number = key.AsSpan(9);
        }
        else if (key.StartsWith("ISOIR", StringComparison.Ordinal))
        {
            number = key.AsSpan(5);
        }
        else
        {
            return false;
        }

        if (int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && ByNumber.TryGetValue(n, out var found))
        {
            result = found;
            return true;
        }

        return false;
    }

    /// <summary>Upper case, without spaces, underscores, hyphens or NUL padding: <c>ISO_IR 100</c> → <c>ISOIR100</c>.</summary>
    private static string Compact(string? term)
    {
        if (string.IsNullOrEmpty(term))
        {
            return string.Empty;
        }

        var key = new StringBuilder(term.Length);
        foreach (var c in term)
        {
            if (c is not (' ' or '_' or '-' or '\0'))
            {
                key.Append(char.ToUpperInvariant(c));
            }
        }

        return key.ToString();
    }
}
