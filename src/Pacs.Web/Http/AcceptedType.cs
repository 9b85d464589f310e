using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Pacs.Web.Http;

/// <summary>
/// One acceptable representation of an Accept header: for <c>multipart/related</c> the media type of its parts is the
/// <c>type</c> parameter; <c>transfer-syntax</c> is kept as given (null when absent, "*" for any).
/// </summary>
public sealed record AcceptedType(string MediaType, bool Multipart, string? TransferSyntax, double Quality)
{
    public bool IsWildcard => MediaType is "*/*" or "*";

    /// <summary>Parses an Accept header (several header lines allowed); an absent header accepts anything.</summary>
    public static IReadOnlyList<AcceptedType> Parse(StringValues accept)
    {
        var result = new List<AcceptedType>();
        if (StringValues.IsNullOrEmpty(accept))
        {
            result.Add(new AcceptedType("*/*", false, null, 1));
            return result;
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var values))
        {
            return result;
        }

        foreach (var value in values)
        {
            var mediaType = value.MediaType.Value?.ToLowerInvariant() ?? string.Empty;
            string? type = null;
            string? transferSyntax = null;
            foreach (var parameter in value.Parameters)
            {
                var name = parameter.Name.Value?.ToLowerInvariant();
                var text = HeaderUtilities.RemoveQuotes(parameter.Value).Value;
                if (name == "type")
                {
                    type = text?.ToLowerInvariant();
                }
                else if (name == "transfer-syntax")
                {
                    transferSyntax = text;
                }
            }

            var quality = value.Quality ?? 1;
            if (quality <= 0)
            {
                continue;
            }

            if (mediaType == DicomMediaTypes.MultipartRelated)
            {
                result.Add(new AcceptedType(type ?? "*/*", true, transferSyntax, quality));
            }
            else
            {
                result.Add(new AcceptedType(mediaType, false, transferSyntax, quality));
            }
        }

        // Stable: equal qualities keep the client's order.
        return [.. result.Select((a, i) => (a, i)).OrderByDescending(x => x.a.Quality).ThenBy(x => x.i).Select(x => x.a)];
    }

    /// <summary>True when this entry accepts parts of <paramref name="mediaType"/> (wildcards included).</summary>
    public bool Matches(string mediaType)
    {
        if (IsWildcard || MediaType == mediaType)
        {
            return true;
        }

        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        return MediaType.EndsWith("/*", StringComparison.Ordinal) && slash > 0 && MediaType.AsSpan(0, MediaType.Length - 1).SequenceEqual(mediaType.AsSpan(0, slash + 1));
    }
}
