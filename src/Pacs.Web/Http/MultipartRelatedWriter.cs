using System.Text;
using Microsoft.AspNetCore.Http;

namespace Pacs.Web.Http;

/// <summary>
/// Writes a <c>multipart/related</c> response (RFC 2387, PS3.18 8.7.3.3) part by part straight to the response body,
/// so a retrieve never holds more than one part in memory.
/// </summary>
public sealed class MultipartRelatedWriter
{
    private readonly Stream _body;
    private readonly string _boundary;
    private bool _any;

    private MultipartRelatedWriter(Stream body, string boundary)
    {
        _body = body;
        _boundary = boundary;
    }

    /// <summary>Sets the response Content-Type for parts of <paramref name="partType"/> and returns a writer for its body.</summary>
    public static MultipartRelatedWriter Start(HttpResponse response, string partType, int statusCode = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(response);
        var boundary = Guid.NewGuid().ToString("N");
        response.StatusCode = statusCode;
        response.ContentType = $"{DicomMediaTypes.MultipartRelated}; type=\"{partType}\"; boundary={boundary}";
        return new MultipartRelatedWriter(response.Body, boundary);
    }

    /// <summary>Writes one part whose body <paramref name="writeBody"/> produces.</summary>
    public async Task WritePartAsync(string contentType, Func<Stream, CancellationToken, Task> writeBody, CancellationToken cancellationToken, string? contentLocation = null)
    {
        ArgumentNullException.ThrowIfNull(writeBody);
        var header = new StringBuilder();
        header.Append(_any ? "\r\n--" : "--").Append(_boundary).Append("\r\nContent-Type: ").Append(contentType).Append("\r\n");
        if (contentLocation is not null)
        {
            header.Append("Content-Location: ").Append(contentLocation).Append("\r\n");
        }

        header.Append("\r\n");
        _any = true;
        await _body.WriteAsync(Encoding.ASCII.GetBytes(header.ToString()), cancellationToken).ConfigureAwait(false);
        await writeBody(_body, cancellationToken).ConfigureAwait(false);
    }

    public Task WritePartAsync(string contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        WritePartAsync(contentType, async (s, ct) => await s.WriteAsync(body, ct).ConfigureAwait(false), cancellationToken);

    /// <summary>Writes the closing delimiter.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var end = (_any ? "\r\n--" : "--") + _boundary + "--\r\n";
        await _body.WriteAsync(Encoding.ASCII.GetBytes(end), cancellationToken).ConfigureAwait(false);
    }
}
