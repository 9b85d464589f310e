using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Pacs.Web.Http;

/// <summary>
/// Strong entity tags for derived representations (metadata, rendered images): a hash of the stored version (immutable
/// under its blob key) and of every request input that shapes the output.
/// </summary>
public static class EntityTags
{
    public static string Compute(params string?[] inputs)
    {
        var text = string.Join('\u001f', inputs.Select(i => i ?? string.Empty));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return "\"" + Convert.ToHexStringLower(hash.AsSpan(0, 16)) + "\"";
    }

    /// <summary>Sets the ETag header and returns true when If-None-Match already names it (answer 304).</summary>
    public static bool IsNotModified(HttpContext context, string etag)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.ETag = etag;
        var ifNoneMatch = context.Request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }

        var current = EntityTagHeaderValue.Parse(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}
