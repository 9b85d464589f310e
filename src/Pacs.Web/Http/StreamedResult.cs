using Microsoft.AspNetCore.Http;

namespace Pacs.Web.Http;

/// <summary>A result that writes its own response (multipart bodies streamed part by part).</summary>
public sealed class StreamedResult(Func<HttpContext, Task> write) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => write(httpContext);
}
