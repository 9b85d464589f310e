using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pacs.Web.Viewer;

/// <summary>
/// Serves the front end: the study list and phone viewer (web/build/app) at <c>/</c>, OHIF (web/build/ohif) under
/// <see cref="ViewerOptions.OhifPath"/>, and their configuration generated from Pacs' own. Files are served only where
/// no endpoint matched, so the APIs (<c>/dicomweb</c>, <c>/wado</c>, <c>/health</c>, <c>/metrics</c>, <c>/openapi</c>)
/// are never shadowed, and OHIF's client routes fall back to its index.html only under its own path.
/// </summary>
public static partial class ViewerHosting
{
    /// <summary>Where WADO-URI is mapped (PacsWebExtensions maps it there).</summary>
    public const string WadoUriPath = "/wado";

    public static WebApplication UsePacsViewer(this WebApplication app, PacsWebOptions web)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(web);
        var options = app.Services.GetRequiredService<IOptions<ViewerOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var ohifPath = OhifAppConfig.NormalizePath(options.OhifPath);
        if (ohifPath.Length == 0)
        {
            throw new InvalidOperationException($"{ViewerOptions.Section}:OhifPath must be a sub-path such as /ohif: the site root serves the study list.");
        }

        var dicomWeb = OhifAppConfig.NormalizePath(web.DicomWebBasePath);
        var appConfig = OhifAppConfig.Build(dicomWeb, WadoUriPath, ohifPath);
        var webConfig = JsonSerializer.Serialize(new Dictionary<string, string> { ["dicomWebRoot"] = dicomWeb, ["wadoUriRoot"] = WadoUriPath, ["ohifPath"] = ohifPath });

        app.MapGet(ohifPath + "/app-config.js", (HttpContext c) => Generated(c, appConfig, "text/javascript; charset=utf-8"))
            .WithTags("Viewer").WithSummary("OHIF's configuration, generated from Pacs' (DICOMweb roots, capabilities); no-store").Produces(200, contentType: "text/javascript");
        app.MapGet("/web-config.json", (HttpContext c) => Generated(c, webConfig, "application/json; charset=utf-8"))
            .WithTags("Viewer").WithSummary("The study list's and phone viewer's configuration: DICOMweb, WADO-URI and OHIF paths; no-store").Produces(200, contentType: "application/json");

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Pacs.Web.Viewer");
        var build = ViewerBuild.Locate(options);
        var contentTypes = ViewerContentTypes.Create();
        ServeOhif(app, build, ohifPath, options.Microscopy, contentTypes);
        ServeApp(app, build, contentTypes);
        if (build.AppDirectory is null || build.OhifDirectory is null)
        {
            var missing = build.AppDirectory is null && build.OhifDirectory is null ? "app/ and ohif/" : build.AppDirectory is null ? "app/" : "ohif/";
            LogNotBuilt(logger, missing, build.Root ?? options.Directory ?? "web/build");
        }
        else
        {
            LogServed(logger, build.Root!, ohifPath);
        }

        return app;
    }

    private static void ServeOhif(WebApplication app, ViewerBuild build, string ohifPath, bool microscopy, FileExtensionContentTypeProvider contentTypes)
    {
        if (build.OhifDirectory is not { } root)
        {
            app.MapGet(ohifPath + "/{**path}", NotBuilt).ExcludeFromDescription();
            return;
        }

        if (!microscopy)
        {
            app.MapGet(ohifPath + "/dicom-microscopy-viewer/{**path}", () => Results.NotFound()).ExcludeFromDescription();
        }

        var files = new PhysicalFileProvider(root);
        app.UseStaticFiles(Files(files, root, ohif: true, ohifPath, contentTypes));
        // OHIF's client routes (/ohif/viewer, /ohif/segmentation, …) have no file extension; files that are missing 404.
        app.MapFallbackToFile(ohifPath + "/{**path:nonfile}", "index.html", Files(files, root, ohif: true, string.Empty, contentTypes)).ExcludeFromDescription();
    }

    private static void ServeApp(WebApplication app, ViewerBuild build, FileExtensionContentTypeProvider contentTypes)
    {
        if (build.AppDirectory is not { } root)
        {
            app.MapGet("/", NotBuilt).ExcludeFromDescription();
            return;
        }

        var files = new PhysicalFileProvider(root);
        // "/" and "/view/" serve their index.html; "/view" is redirected to "/view/" by the default-files middleware.
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(Files(files, root, ohif: false, string.Empty, contentTypes));
    }

    private static StaticFileOptions Files(PhysicalFileProvider files, string root, bool ohif, string requestPath, FileExtensionContentTypeProvider contentTypes) => new()
    {
        FileProvider = files,
        RequestPath = requestPath,
        ContentTypeProvider = contentTypes,
        OnPrepareResponse = c =>
        {
            var relative = c.File.PhysicalPath is { } physical ? Path.GetRelativePath(root, physical) : c.File.Name;
            c.Context.Response.Headers.CacheControl = ViewerCachePolicy.For(relative, ohif);
        },
    };

    private static IResult Generated(HttpContext context, string body, string contentType)
    {
        context.Response.Headers.CacheControl = ViewerCachePolicy.NoStore;
        return Results.Text(body, contentType);
    }

    private static IResult NotBuilt(HttpContext context)
    {
        context.Response.Headers.CacheControl = ViewerCachePolicy.NoStore;
        const string page = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Pacs: web UI not built</title></head>
            <body><h1>The web UI was not built</h1>
            <p>Pacs is running and its HTTP APIs answer (<a href="/openapi">/openapi</a>, <a href="/dicomweb/studies">/dicomweb</a>),
            but the study list, the phone viewer and OHIF were not found under web/build.</p>
            <p>Build them from the repository root with <code>scripts/build-web.sh</code> (scripts/run.sh does it), or point
            <code>Pacs:Web:Viewer:Directory</code> at a build folder.</p></body></html>
            """;
        return Results.Content(page, "text/html; charset=utf-8");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The web UI is not built ({Missing} missing under {Directory}); the HTTP APIs run without it. Build it with scripts/build-web.sh.")]
    private static partial void LogNotBuilt(ILogger logger, string missing, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Web UI served from {Directory}: study list at /, phone viewer at /view/, OHIF at {OhifPath}/")]
    private static partial void LogServed(ILogger logger, string directory, string ohifPath);
}
