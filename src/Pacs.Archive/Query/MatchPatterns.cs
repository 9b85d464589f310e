using System.Text;

namespace Pacs.Archive.Query;

/// <summary>Value forms of PS3.4 C.2.2.2: universal, wildcard, list; and their translation to SQL LIKE patterns.</summary>
internal static class MatchPatterns
{
    /// <summary>Empty, or only asterisks: matches everything (C.2.2.2.3, C.2.2.2.4).</summary>
    public static bool IsUniversal(string value)
    {
        var v = value.AsSpan().Trim();
        return v.Length == 0 || !v.ContainsAnyExcept('*');
    }

    public static bool HasWildcards(string value) => value.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>
    /// A LIKE pattern with the value's own <c>%</c>, <c>_</c> and <c>\</c> escaped (LIKE's default escape character is
    /// the backslash), then <c>*</c> → <c>%</c> and <c>?</c> → <c>_</c>.
    /// </summary>
    public static string ToLike(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\' or '%' or '_':
                    builder.Append('\\').Append(c);
                    break;
                case '*':
                    builder.Append('%');
                    break;
                case '?':
                    builder.Append('_');
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// A person-name value prepared for <c>pacs_search_key</c>: trailing empty components dropped (<c>Nguyen^^</c> is
    /// <c>Nguyen</c>), and a trailing <c>^*</c> folded into the previous component so that <c>NGUYEN^*</c> also finds a
    /// name with only a family name.
    /// </summary>
    public static string PersonNameForm(string value)
    {
        var v = value.Trim().TrimEnd('^', '=', ' ');
        while (v.EndsWith("^*", StringComparison.Ordinal) || v.EndsWith(" *", StringComparison.Ordinal))
        {
            v = v[..^2].TrimEnd('^', ' ') + "*";
        }

        return v;
    }

    /// <summary>The non-empty items of a backslash-separated list (UID lists, C.2.2.2.2).</summary>
    public static string[] ListItems(string value) =>
        value.Split('\\', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
