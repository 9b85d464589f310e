using Microsoft.AspNetCore.Http;

namespace Pacs.Web.Http;

/// <summary>Absolute URLs of the DICOMweb resources, as the client reached this server (RetrieveURL, BulkDataURI).</summary>
public static class DicomWebUrls
{
    public static string Base(HttpRequest request, PacsWebOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        return $"{request.Scheme}://{request.Host}{request.PathBase}{options.DicomWebBasePath.TrimEnd('/')}";
    }

    public static string Study(string baseUrl, string study) => $"{baseUrl}/studies/{study}";

    public static string Series(string baseUrl, string study, string series) => $"{baseUrl}/studies/{study}/series/{series}";

    public static string Instance(string baseUrl, string study, string series, string instance) =>
        $"{baseUrl}/studies/{study}/series/{series}/instances/{instance}";
}
