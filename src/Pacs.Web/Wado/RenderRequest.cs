using System.Globalization;
using Microsoft.AspNetCore.Http;
using Pacs.Dicom.Imaging.Rendering;
using Pacs.Web.Http;

namespace Pacs.Web.Wado;

/// <summary>The parameters of a rendered or thumbnail request (PS3.18 8.3.5 / 10.4.1.1.3), validated.</summary>
public sealed record RenderRequest(RenderedImageFormat Format, string MediaType, VoiWindow? Window, int ViewportWidth, int ViewportHeight, int Quality)
{
    /// <summary>Parses window=, viewport=, quality= and the output type (accept= query first, then the Accept header).</summary>
    public static (RenderRequest? Request, string? Error, bool NotAcceptable) Parse(HttpRequest request, int maxViewport, int defaultSize = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        var formats = query.TryGetValue("accept", out var acceptQuery) ? AcceptedType.Parse(acceptQuery) : AcceptedType.Parse(request.Headers.Accept);
        (RenderedImageFormat, string)? chosen = null;
        foreach (var accepted in formats)
        {
            chosen = accepted.IsWildcard || accepted.MediaType == "image/*" || accepted.MediaType == DicomMediaTypes.Jpeg ? (RenderedImageFormat.Jpeg, DicomMediaTypes.Jpeg)
                : accepted.MediaType == DicomMediaTypes.Png ? (RenderedImageFormat.Png, DicomMediaTypes.Png)
                : accepted.MediaType == DicomMediaTypes.WebP ? (RenderedImageFormat.WebP, DicomMediaTypes.WebP)
                : null;
            if (chosen is not null)
            {
                break;
            }
        }

        if (chosen is not { } format)
        {
            return (null, "Rendered resources are available as image/jpeg, image/png and image/webp.", true);
        }

        VoiWindow? window = null;
        if (query.TryGetValue("window", out var windowText))
        {
            var parts = windowText.ToString().Split(',');
            if (parts.Length != 3 || !TryDouble(parts[0], out var center) || !TryDouble(parts[1], out var width) || width <= 0)
            {
                return (null, "window must be center,width,function with a positive width (PS3.18 8.3.5.1.4).", false);
            }

            VoiLutFunction? function = parts[2].Trim().ToLowerInvariant() switch
            {
                "linear" => VoiLutFunction.Linear,
                "linear-exact" => VoiLutFunction.LinearExact,
                "sigmoid" => VoiLutFunction.Sigmoid,
                _ => null,
            };
            if (function is null)
            {
                return (null, "The window function must be linear, linear-exact or sigmoid.", false);
            }

            window = new VoiWindow(center, width, function.Value);
        }

        int vw = defaultSize, vh = defaultSize;
        if (query.TryGetValue("viewport", out var viewportText))
        {
            // vw,vh or vw,vh,sx,sy,sw,sh: the source region form is not offered, so only the first two are read.
            var parts = viewportText.ToString().Split(',');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out vw) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out vh)
                || vw < 1 || vh < 1 || vw > maxViewport || vh > maxViewport)
            {
                return (null, $"viewport must be width,height in pixels, each 1 to {maxViewport}.", false);
            }
        }

        var quality = 90;
        if (query.TryGetValue("quality", out var qualityText)
            && (!int.TryParse(qualityText, NumberStyles.None, CultureInfo.InvariantCulture, out quality) || quality < 1 || quality > 100))
        {
            return (null, "quality must be an integer from 1 to 100.", false);
        }

        return (new RenderRequest(format.Item1, format.Item2, window, vw, vh, quality), null, false);
    }

    private static bool TryDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
