using Microsoft.AspNetCore.Http;
using Pacs.Dicom;
using Pacs.Dicom.Serialization;

namespace Pacs.Web.Http;

/// <summary>
/// Datasets as <c>application/dicom+json</c> (an array, PS3.18 F.2), or as <c>multipart/related; type="application/dicom+xml"</c>
/// (one PS3.19 NativeDicomModel part each) when the client accepts only XML.
/// </summary>
public sealed class DicomDatasetResult : IResult
{
    private readonly IReadOnlyList<DicomDataset> _datasets;
    private readonly bool _single;
    private readonly int _statusCode;
    private readonly DicomJsonOptions? _jsonOptions;
    private readonly DicomXmlOptions? _xmlOptions;

    /// <summary>One dataset written as a JSON object (the STOW-RS response).</summary>
    public DicomDatasetResult(DicomDataset dataset, int statusCode)
    {
        _datasets = [dataset];
        _single = true;
        _statusCode = statusCode;
    }

    /// <summary>Datasets written as a JSON array (metadata, query results).</summary>
    public DicomDatasetResult(IReadOnlyList<DicomDataset> datasets, DicomJsonOptions? jsonOptions, DicomXmlOptions? xmlOptions)
    {
        _datasets = datasets;
        _statusCode = StatusCodes.Status200OK;
        _jsonOptions = jsonOptions;
        _xmlOptions = xmlOptions;
    }

    /// <summary>True when the Accept header asks for XML and not for JSON.</summary>
    public static bool PrefersXml(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var accepted in AcceptedType.Parse(request.Headers.Accept))
        {
            if (accepted.MediaType is DicomMediaTypes.DicomJson or DicomMediaTypes.Json || accepted.IsWildcard || accepted.MediaType == "application/*")
            {
                return false;
            }

            if (accepted.MediaType == DicomMediaTypes.DicomXml)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the Accept header allows a DICOM JSON or XML answer at all.</summary>
    public static bool IsAcceptable(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AcceptedType.Parse(request.Headers.Accept).Any(a => a.Matches(DicomMediaTypes.DicomJson) || a.Matches(DicomMediaTypes.Json) || a.Matches(DicomMediaTypes.DicomXml));
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var cancellationToken = httpContext.RequestAborted;
        if (PrefersXml(httpContext.Request))
        {
            var writer = MultipartRelatedWriter.Start(response, DicomMediaTypes.DicomXml, _statusCode);
            foreach (var dataset in _datasets)
            {
                await writer.WritePartAsync(DicomMediaTypes.DicomXml + "; charset=utf-8", (s, ct) => DicomXmlWriter.WriteAsync(s, dataset, _xmlOptions, ct), cancellationToken).ConfigureAwait(false);
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        response.StatusCode = _statusCode;
        response.ContentType = DicomMediaTypes.DicomJson + "; charset=utf-8";
        if (_single)
        {
            await DicomJsonWriter.WriteAsync(response.Body, _datasets[0], _jsonOptions, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await DicomJsonWriter.WriteArrayAsync(response.Body, _datasets, _jsonOptions, cancellationToken).ConfigureAwait(false);
        }
    }
}
