using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Pacs.Web.Tests;

/// <summary>Splits a multipart/related response into its parts (content type and bytes).</summary>
public static class Multipart
{
    public static async Task<List<(string ContentType, byte[] Body)>> ReadAsync(HttpResponseMessage response)
    {
        var contentType = MediaTypeHeaderValue.Parse(response.Content.Headers.ContentType!.ToString());
        Assert.Equal("multipart/related", contentType.MediaType.Value);
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value!;
        var reader = new MultipartReader(boundary, await response.Content.ReadAsStreamAsync());
        var parts = new List<(string, byte[])>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            using var body = new MemoryStream();
            await section.Body.CopyToAsync(body);
            parts.Add((section.ContentType ?? string.Empty, body.ToArray()));
        }

        return parts;
    }
}
