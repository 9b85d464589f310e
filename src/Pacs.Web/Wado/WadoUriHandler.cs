using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Pacs.Dicom;
using Pacs.Dicom.Imaging.Rendering;
using Pacs.Dicom.IO;
using Pacs.Web.Diagnostics;
using Pacs.Web.Http;

namespace Pacs.Web.Wado;

/// <summary>
/// WADO-URI (PS3.18 9): <c>?requestType=WADO&amp;studyUID&amp;seriesUID&amp;objectUID</c> with contentType
/// application/dicom (optionally transcoded by transferSyntax; Explicit VR Little Endian by default, PS3.18 9.1.2.3.6),
/// image/jpeg (the default) or image/png, with windowCenter/windowWidth, rows/columns, frameNumber, imageQuality.
/// </summary>
public sealed class WadoUriHandler(WadoRsHandler wado, StoredInstanceReader reader, IOptions<PacsWebOptions> options, PacsWebMetrics metrics)
{
    private readonly PacsWebOptions _options = options.Value;

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        if (!string.Equals(query["requestType"], "WADO", StringComparison.Ordinal))
        {
            return DicomWebErrors.BadRequest("requestType=WADO is required (PS3.18 9.1.2.1.1).");
        }

        string? study = query["studyUID"], series = query["seriesUID"], instance = query["objectUID"];
        if (study is null || series is null || instance is null)
        {
            return DicomWebErrors.BadRequest("studyUID, seriesUID and objectUID are all required.");
        }

        var contentType = (query["contentType"].ToString() is { Length: > 0 } ct ? ct.Split(',')[0].Trim() : DicomMediaTypes.Jpeg).ToLowerInvariant();
        if (contentType is not (DicomMediaTypes.Dicom or DicomMediaTypes.Jpeg or DicomMediaTypes.Png))
        {
            return DicomWebErrors.NotAcceptable($"contentType '{contentType}' is not offered; use application/dicom, image/jpeg or image/png.");
        }

        var (location, error) = await wado.LocateAsync(context, study, series, instance).ConfigureAwait(false);
        if (location is null)
        {
            return error!;
        }

        return contentType == DicomMediaTypes.Dicom
            ? await DicomAsync(context, location).ConfigureAwait(false)
            : await ImageAsync(context, location, contentType).ConfigureAwait(false);
    }

    private async Task<IResult> DicomAsync(HttpContext context, InstanceLocation location)
    {
        var requested = context.Request.Query["transferSyntax"].ToString();
        var target = requested.Length == 0 ? DicomMediaTypes.DefaultTransferSyntax : requested == "*" ? null : DicomTransferSyntax.Lookup(requested);
        if (requested.Length > 0 && requested != "*" && target is null)
        {
            return DicomWebErrors.BadRequest($"transferSyntax '{requested}' is not a known transfer syntax UID.");
        }

        if (target is null || target.UidValue == location.TransferSyntaxUid)
        {
            return new StreamedResult(async http =>
            {
                http.Response.ContentType = DicomMediaTypes.Dicom;
                http.Response.ContentLength = location.Size;
                await reader.CopyToAsync(location, http.Response.Body, http.RequestAborted).ConfigureAwait(false);
                metrics.Retrieved(location.Size);
            });
        }

        byte[] bytes;
        try
        {
            bytes = InstanceRetrieve.Transcode(await reader.OpenAsync(location, context.RequestAborted).ConfigureAwait(false), target).ToBytes();
        }
        catch (DicomException ex)
        {
            return DicomWebErrors.NotAcceptable($"The instance is stored as {location.TransferSyntaxUid} and cannot be converted to {target.UidValue}: {ex.Message}");
        }

        metrics.Retrieved(bytes.Length);
        return Results.Bytes(bytes, DicomMediaTypes.Dicom);
    }

    private async Task<IResult> ImageAsync(HttpContext context, InstanceLocation location, string contentType)
    {
        var query = context.Request.Query;
        var frame = 1;
        if (query.TryGetValue("frameNumber", out var frameText) && (!int.TryParse(frameText, NumberStyles.None, CultureInfo.InvariantCulture, out frame) || frame < 1))
        {
            return DicomWebErrors.BadRequest("frameNumber must be a positive integer.");
        }

        VoiWindow? window = null;
        var hasCenter = query.TryGetValue("windowCenter", out var centerText);
        var hasWidth = query.TryGetValue("windowWidth", out var widthText);
        if (hasCenter != hasWidth)
        {
            return DicomWebErrors.BadRequest("windowCenter and windowWidth go together (PS3.18 9.1.2.2.8).");
        }

        if (hasCenter)
        {
            if (!double.TryParse(centerText, NumberStyles.Float, CultureInfo.InvariantCulture, out var center) || !double.TryParse(widthText, NumberStyles.Float, CultureInfo.InvariantCulture, out var width)
                || !double.IsFinite(center) || !double.IsFinite(width) || width <= 0)
            {
                return DicomWebErrors.BadRequest("windowCenter and windowWidth must be numbers, the width positive.");
            }

            window = new VoiWindow(center, width);
        }

        if (!TryDimension(query, "rows", out var rows) || !TryDimension(query, "columns", out var columns))
        {
            return DicomWebErrors.BadRequest($"rows and columns must be integers from 1 to {_options.MaxViewportSize}.");
        }

        var quality = 90;
        if (query.TryGetValue("imageQuality", out var qualityText) && (!int.TryParse(qualityText, NumberStyles.None, CultureInfo.InvariantCulture, out quality) || quality < 1 || quality > 100))
        {
            return DicomWebErrors.BadRequest("imageQuality must be an integer from 1 to 100.");
        }

        var format = contentType == DicomMediaTypes.Png ? RenderedImageFormat.Png : RenderedImageFormat.Jpeg;
        return await wado.RenderLocatedAsync(context, location, frame, new RenderRequest(format, contentType, window, columns, rows, quality)).ConfigureAwait(false);
    }

    private bool TryDimension(IQueryCollection query, string name, out int value)
    {
        value = 0;
        return !query.TryGetValue(name, out var text)
            || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= _options.MaxViewportSize);
    }
}
