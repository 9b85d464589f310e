using Microsoft.AspNetCore.StaticFiles;

namespace Pacs.Web.Viewer;

/// <summary>The media types of the front-end files; ASP.NET Core serves no file whose extension it does not know.</summary>
public static class ViewerContentTypes
{
    public static FileExtensionContentTypeProvider Create()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".wasm"] = "application/wasm";
        provider.Mappings[".js"] = "text/javascript";
        provider.Mappings[".mjs"] = "text/javascript";
        // OHIF's customization files are JSON with comments, fetched and parsed by the app.
        provider.Mappings[".jsonc"] = "application/json";
        provider.Mappings[".map"] = "application/json";
        provider.Mappings[".webmanifest"] = "application/manifest+json";
        return provider;
    }

    /// <summary>What response compression applies to besides the API's JSON and text: scripts, styles, WASM, SVG.</summary>
    public static readonly string[] Compressible = ["text/javascript", "application/javascript", "text/css", "application/wasm", "application/manifest+json", "image/svg+xml"];
}
