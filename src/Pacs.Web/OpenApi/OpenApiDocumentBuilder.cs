using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Pacs.Web.OpenApi;

/// <summary>
/// An OpenAPI 3.1 description built from the endpoints actually mapped (route patterns, methods, summaries, tags,
/// query parameters, response media types), so the description cannot drift from the routing table.
/// </summary>
public static class OpenApiDocumentBuilder
{
    public static string Build(IEnumerable<Endpoint> endpoints, string title, string version)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var paths = new SortedDictionary<string, List<(string Method, RouteEndpoint Endpoint)>>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true })
            {
                continue;
            }

            var path = PathOf(endpoint);
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            if (!paths.TryGetValue(path, out var list))
            {
                paths[path] = list = [];
            }

            foreach (var method in methods)
            {
                list.Add((method.ToLowerInvariant(), endpoint));
            }
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("openapi", "3.1.0");
            json.WriteStartObject("info");
            json.WriteString("title", title);
            json.WriteString("version", version);
            json.WriteEndObject();
            json.WriteStartObject("paths");
            foreach (var (path, operations) in paths)
            {
                json.WriteStartObject(path);
                foreach (var (method, endpoint) in operations.OrderBy(o => o.Method, StringComparer.Ordinal))
                {
                    WriteOperation(json, method, endpoint);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The OpenAPI path of a route: catch-all parameters become plain ones, constraints are dropped.</summary>
    public static string PathOf(RouteEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var text = new StringBuilder();
        foreach (var segment in endpoint.RoutePattern.PathSegments)
        {
            text.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal:
                        text.Append(literal.Content);
                        break;
                    case Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter:
                        text.Append('{').Append(parameter.Name).Append('}');
                        break;
                    case Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator:
                        text.Append(separator.Content);
                        break;
                }
            }
        }

        return text.Length == 0 ? "/" : text.ToString();
    }

    private static void WriteOperation(Utf8JsonWriter json, string method, RouteEndpoint endpoint)
    {
        json.WriteStartObject(method);
        if (endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary is { } summary)
        {
            json.WriteString("summary", summary);
        }

        if (endpoint.Metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description is { } description)
        {
            json.WriteString("description", description);
        }

        var tags = endpoint.Metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags).Distinct().ToList();
        if (tags.Count > 0)
        {
            json.WriteStartArray("tags");
            tags.ForEach(json.WriteStringValue);
            json.WriteEndArray();
        }

        json.WriteStartArray("parameters");
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            WriteParameter(json, parameter.Name, "path", required: true);
        }

        foreach (var name in endpoint.Metadata.GetOrderedMetadata<QueryParametersMetadata>().SelectMany(q => q.Names).Distinct())
        {
            WriteParameter(json, name, "query", required: false);
        }

        json.WriteEndArray();
        json.WriteStartObject("responses");
        var responses = endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().ToList();
        if (responses.Count == 0)
        {
            json.WriteStartObject("200");
            json.WriteString("description", "OK");
            json.WriteEndObject();
        }

        foreach (var group in responses.GroupBy(r => r.StatusCode).OrderBy(g => g.Key))
        {
            json.WriteStartObject(group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("description", ReasonPhrase(group.Key));
            var contentTypes = group.SelectMany(r => r.ContentTypes).Distinct().ToList();
            if (contentTypes.Count > 0)
            {
                json.WriteStartObject("content");
                foreach (var contentType in contentTypes)
                {
                    json.WriteStartObject(contentType);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteParameter(Utf8JsonWriter json, string name, string location, bool required)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("in", location);
        json.WriteBoolean("required", required);
        json.WriteStartObject("schema");
        json.WriteString("type", "string");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Response";
}
