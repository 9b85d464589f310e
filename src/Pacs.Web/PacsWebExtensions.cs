using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pacs.Archive.Query;
using Pacs.Web.Admin;
using Pacs.Web.Diagnostics;
using Pacs.Web.Hosting;
using Pacs.Web.Http;
using Pacs.Web.OpenApi;
using Pacs.Web.Qido;
using Pacs.Web.Stow;
using Pacs.Web.Viewer;
using Pacs.Web.Wado;

namespace Pacs.Web;

/// <summary>Registration and mapping of the HTTP services.</summary>
public static class PacsWebExtensions
{
    private const string Uids = "{study}/series/{series}/instances/{instance}";

    /// <summary>Registers the HTTP services; <typeparamref name="TArchive"/> gives them the host's archive.</summary>
    public static IServiceCollection AddPacsWeb<TArchive>(this IServiceCollection services, IConfiguration configuration)
        where TArchive : class, IPacsWebArchive
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IPacsWebArchive, TArchive>();
        services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        services.Configure<PacsWebOptions>(configuration.GetSection(PacsWebOptions.Section));
        services.Configure<ViewerOptions>(configuration.GetSection(ViewerOptions.Section));
        services.AddMetrics();
        services.AddSingleton<PacsWebMetrics>();
        services.AddSingleton<PrometheusCollector>();
        services.AddSingleton<InstanceLocationCache>();
        services.AddSingleton<InstanceLocator>();
        services.AddSingleton<StoredInstanceReader>();
        services.AddSingleton<StowHandler>();
        services.AddSingleton<WadoRsHandler>();
        services.AddSingleton<StoredMetadataReader>();
        services.AddSingleton<StudyRetrieveHandler>();
        services.AddSingleton<QidoHandler>();
        services.AddSingleton<WadoUriHandler>();
        services.AddSingleton<DeleteHandler>();
        services.AddSingleton<HealthHandler>();
        services.AddProblemDetails();
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = [DicomMediaTypes.DicomJson, DicomMediaTypes.Json, "application/problem+json", "text/plain", "text/html", .. ViewerContentTypes.Compressible];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services;
    }

    /// <summary>Maps DICOMweb under the configured base path, WADO-URI at /wado, health, metrics and OpenAPI.</summary>
    public static WebApplication MapPacsWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<PacsWebOptions>>().Value;
        app.Services.GetRequiredService<PrometheusCollector>();
        app.UseResponseCompression();
        app.UsePacsViewer(options);

        var web = app.MapGroup(options.DicomWebBasePath.TrimEnd('/'));
        MapStow(web);
        MapQido(web);
        MapWadoRs(web);
        MapStudyWadoRs(web);
        if (options.AllowDelete)
        {
            MapDelete(web);
        }

        app.MapGet("/wado", (HttpContext c, WadoUriHandler h) => h.HandleAsync(c))
            .WithTags("WADO-URI").WithSummary("Retrieve an instance as application/dicom, image/jpeg or image/png (PS3.18 9)")
            .WithMetadata(new QueryParametersMetadata("requestType", "studyUID", "seriesUID", "objectUID", "contentType", "transferSyntax", "frameNumber", "windowCenter", "windowWidth", "rows", "columns", "imageQuality"))
            .Produces(200, contentType: DicomMediaTypes.Dicom, additionalContentTypes: [DicomMediaTypes.Jpeg, DicomMediaTypes.Png]);

        app.MapGet("/health/live", HealthHandler.Live).WithTags("Operations").WithSummary("Liveness: the process answers");
        app.MapGet("/health/ready", (HealthHandler h, CancellationToken ct) => h.ReadyAsync(ct))
            .WithTags("Operations").WithSummary("Readiness: the index database and the blob store answer").Produces(200, contentType: DicomMediaTypes.Json).Produces(503, contentType: DicomMediaTypes.Json);
        app.MapGet("/metrics", (PrometheusCollector c) => Results.Text(c.Scrape(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithTags("Operations").WithSummary("Prometheus metrics: requests, latencies, STOW and retrieve counts").Produces(200, contentType: "text/plain");
        app.MapGet("/openapi/v1.json", (EndpointDataSource endpoints) => Results.Text(OpenApiDocumentBuilder.Build(endpoints.Endpoints, "Pacs HTTP API", "v1"), DicomMediaTypes.Json))
            .WithTags("Operations").WithSummary("This OpenAPI description").Produces(200, contentType: DicomMediaTypes.Json);
        app.MapGet("/openapi", () => Results.Stream(typeof(PacsWebExtensions).Assembly.GetManifestResourceStream("Pacs.Web.OpenApi.openapi.html")!, "text/html; charset=utf-8"))
            .WithTags("Operations").WithSummary("A browsable view of the OpenAPI description").Produces(200, contentType: "text/html");
        return app;
    }

    private static void MapStow(RouteGroupBuilder web)
    {
        web.MapPost("/studies", (HttpContext c, StowHandler h) => h.HandleAsync(c, null))
            .WithTags("STOW-RS").WithSummary("Store instances (multipart/related; type=\"application/dicom\")")
            .Produces(200, contentType: DicomMediaTypes.DicomJson).Produces(202, contentType: DicomMediaTypes.DicomJson).Produces(409, contentType: DicomMediaTypes.DicomJson);
        web.MapPost("/studies/{study}", (HttpContext c, string study, StowHandler h) => h.HandleAsync(c, study))
            .WithTags("STOW-RS").WithSummary("Store instances of one study")
            .Produces(200, contentType: DicomMediaTypes.DicomJson).Produces(202, contentType: DicomMediaTypes.DicomJson).Produces(409, contentType: DicomMediaTypes.DicomJson);
    }

    private static void MapWadoRs(RouteGroupBuilder web)
    {
        const string multipartDicom = "multipart/related; type=\"application/dicom\"";
        web.MapGet($"/studies/{Uids}", (HttpContext c, string study, string series, string instance, WadoRsHandler h) => h.RetrieveInstanceAsync(c, study, series, instance))
            .WithTags("WADO-RS").WithSummary("Retrieve an instance (transfer-syntax=* as stored; default Explicit VR Little Endian)").Produces(200, contentType: multipartDicom);
        web.MapGet($"/studies/{Uids}/metadata", (HttpContext c, string study, string series, string instance, WadoRsHandler h) => h.MetadataAsync(c, study, series, instance))
            .WithTags("WADO-RS").WithSummary("Instance metadata with BulkDataURIs").Produces(200, contentType: DicomMediaTypes.DicomJson, additionalContentTypes: "multipart/related; type=\"application/dicom+xml\"");
        web.MapGet($"/studies/{Uids}/frames/{{frames}}", (HttpContext c, string study, string series, string instance, string frames, WadoRsHandler h) => h.FramesAsync(c, study, series, instance, frames))
            .WithTags("WADO-RS").WithSummary("Frames, as stored or transcoded; each part names its transfer syntax").Produces(200, contentType: "multipart/related; type=\"application/octet-stream\"");
        web.MapGet($"/studies/{Uids}/bulkdata/{{**path}}", (HttpContext c, string study, string series, string instance, string path, WadoRsHandler h) => h.BulkDataAsync(c, study, series, instance, path))
            .WithTags("WADO-RS").WithSummary("A bulk data value named by a BulkDataURI (Range supported with Accept: application/octet-stream)").Produces(200, contentType: DicomMediaTypes.OctetStream, additionalContentTypes: "multipart/related; type=\"application/octet-stream\"");
        var render = new QueryParametersMetadata("accept", "window", "viewport", "quality");
        web.MapGet($"/studies/{Uids}/rendered", (HttpContext c, string study, string series, string instance, WadoRsHandler h) => h.RenderedAsync(c, study, series, instance, null))
            .WithTags("WADO-RS").WithSummary("The instance (first frame) rendered").WithMetadata(render).Produces(200, contentType: DicomMediaTypes.Jpeg, additionalContentTypes: [DicomMediaTypes.Png, DicomMediaTypes.WebP]);
        web.MapGet($"/studies/{Uids}/frames/{{frame}}/rendered", (HttpContext c, string study, string series, string instance, string frame, WadoRsHandler h) => h.RenderedAsync(c, study, series, instance, frame))
            .WithTags("WADO-RS").WithSummary("One frame rendered").WithMetadata(render).Produces(200, contentType: DicomMediaTypes.Jpeg, additionalContentTypes: [DicomMediaTypes.Png, DicomMediaTypes.WebP]);
        web.MapGet($"/studies/{Uids}/thumbnail", (HttpContext c, string study, string series, string instance, WadoRsHandler h) => h.ThumbnailAsync(c, study, series, instance))
            .WithTags("WADO-RS").WithSummary("A thumbnail of the instance").WithMetadata(render).Produces(200, contentType: DicomMediaTypes.Jpeg, additionalContentTypes: [DicomMediaTypes.Png, DicomMediaTypes.WebP]);
    }

    private static void MapQido(RouteGroupBuilder web)
    {
        var parameters = new QueryParametersMetadata("PatientName", "PatientID", "StudyDate", "AccessionNumber", "Modality", "includefield", "fuzzymatching", "limit", "offset");
        const string json = DicomMediaTypes.DicomJson;
        const string xml = "multipart/related; type=\"application/dicom+xml\"";
        void Map(string pattern, string summary, Func<HttpContext, QidoHandler, Task<IResult>> handler) =>
            web.MapGet(pattern, handler).WithTags("QIDO-RS").WithSummary(summary).WithMetadata(parameters)
                .Produces(200, contentType: json, additionalContentTypes: xml).Produces(400, contentType: "application/problem+json");

        Map("/studies", "Search for studies (PS3.18 10.6)", (c, h) => h.SearchAsync(c, QueryLevel.Study, null, null));
        Map("/series", "Search for series of all studies", (c, h) => h.SearchAsync(c, QueryLevel.Series, null, null));
        Map("/instances", "Search for instances of all studies", (c, h) => h.SearchAsync(c, QueryLevel.Image, null, null));
        Map("/studies/{study}/series", "Search for series of a study", (c, h) => h.SearchAsync(c, QueryLevel.Series, Route(c, "study"), null));
        Map("/studies/{study}/instances", "Search for instances of a study", (c, h) => h.SearchAsync(c, QueryLevel.Image, Route(c, "study"), null));
        Map("/studies/{study}/series/{series}/instances", "Search for instances of a series", (c, h) => h.SearchAsync(c, QueryLevel.Image, Route(c, "study"), Route(c, "series")));
    }

    private static void MapStudyWadoRs(RouteGroupBuilder web)
    {
        const string multipartDicom = "multipart/related; type=\"application/dicom\"";
        var render = new QueryParametersMetadata("accept", "window", "viewport", "quality");
        web.MapGet("/studies/{study}", (HttpContext c, string study, StudyRetrieveHandler h) => h.RetrieveAsync(c, study, null))
            .WithTags("WADO-RS").WithSummary("Retrieve every instance of a study (transfer-syntax=* as stored; default Explicit VR Little Endian)").Produces(200, contentType: multipartDicom);
        web.MapGet("/studies/{study}/series/{series}", (HttpContext c, string study, string series, StudyRetrieveHandler h) => h.RetrieveAsync(c, study, series))
            .WithTags("WADO-RS").WithSummary("Retrieve every instance of a series").Produces(200, contentType: multipartDicom);
        web.MapGet("/studies/{study}/metadata", (HttpContext c, string study, StudyRetrieveHandler h) => h.MetadataAsync(c, study, null))
            .WithTags("WADO-RS").WithSummary("Metadata of every instance of a study, from the index (one read)").Produces(200, contentType: DicomMediaTypes.DicomJson, additionalContentTypes: "multipart/related; type=\"application/dicom+xml\"");
        web.MapGet("/studies/{study}/series/{series}/metadata", (HttpContext c, string study, string series, StudyRetrieveHandler h) => h.MetadataAsync(c, study, series))
            .WithTags("WADO-RS").WithSummary("Metadata of every instance of a series, from the index (one read)").Produces(200, contentType: DicomMediaTypes.DicomJson, additionalContentTypes: "multipart/related; type=\"application/dicom+xml\"");
        web.MapGet("/studies/{study}/rendered", (HttpContext c, string study, StudyRetrieveHandler h) => h.RenderedAsync(c, study, null))
            .WithTags("WADO-RS").WithSummary("The study's first image rendered").WithMetadata(render).Produces(200, contentType: DicomMediaTypes.Jpeg, additionalContentTypes: [DicomMediaTypes.Png, DicomMediaTypes.WebP]);
        web.MapGet("/studies/{study}/series/{series}/rendered", (HttpContext c, string study, string series, StudyRetrieveHandler h) => h.RenderedAsync(c, study, series))
            .WithTags("WADO-RS").WithSummary("The series' first image rendered").WithMetadata(render).Produces(200, contentType: DicomMediaTypes.Jpeg, additionalContentTypes: [DicomMediaTypes.Png, DicomMediaTypes.WebP]);
        web.MapGet("/studies/{study}/thumbnail", (HttpContext c, string study, StudyRetrieveHandler h) => h.ThumbnailAsync(c, study, null))
            .WithTags("WADO-RS").WithSummary("A thumbnail of the study (its first image)").WithMetadata(render).Produces(200, contentType: DicomMediaTypes.Jpeg, additionalContentTypes: [DicomMediaTypes.Png, DicomMediaTypes.WebP]);
        web.MapGet("/studies/{study}/series/{series}/thumbnail", (HttpContext c, string study, string series, StudyRetrieveHandler h) => h.ThumbnailAsync(c, study, series))
            .WithTags("WADO-RS").WithSummary("A thumbnail of the series (its first image)").WithMetadata(render).Produces(200, contentType: DicomMediaTypes.Jpeg, additionalContentTypes: [DicomMediaTypes.Png, DicomMediaTypes.WebP]);
        web.MapGet("/series/{series}/thumbnail", (HttpContext c, string series, StudyRetrieveHandler h) => h.SeriesThumbnailAsync(c, series))
            .WithTags("WADO-RS").WithSummary("A thumbnail of the series, found by its UID alone").WithMetadata(render).Produces(200, contentType: DicomMediaTypes.Jpeg, additionalContentTypes: [DicomMediaTypes.Png, DicomMediaTypes.WebP]);
    }

    private static string Route(HttpContext context, string name) => (string)context.GetRouteValue(name)!;

    private static void MapDelete(RouteGroupBuilder web)
    {
        web.MapDelete("/studies/{study}", (string study, DeleteHandler h, CancellationToken ct) => h.DeleteStudyAsync(study, ct))
            .WithTags("Admin").WithSummary("Delete a study").Produces(204).Produces(404);
        web.MapDelete("/studies/{study}/series/{series}", (string study, string series, DeleteHandler h, CancellationToken ct) => h.DeleteSeriesAsync(study, series, ct))
            .WithTags("Admin").WithSummary("Delete a series").Produces(204).Produces(404);
        web.MapDelete($"/studies/{Uids}", (string study, string series, string instance, DeleteHandler h, CancellationToken ct) => h.DeleteInstanceAsync(study, series, instance, ct))
            .WithTags("Admin").WithSummary("Delete an instance").Produces(204).Produces(404);
    }
}
