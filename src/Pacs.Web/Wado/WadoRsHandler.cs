using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Pacs.Dicom;
using Pacs.Dicom.Imaging.Pixels;
using Pacs.Dicom.Imaging.Rendering;
using Pacs.Dicom.IO;
using Pacs.Dicom.Serialization;
using Pacs.Web.Diagnostics;
using Pacs.Web.Http;

namespace Pacs.Web.Wado;

/// <summary>WADO-RS for one instance (PS3.18 10.4): the instance, its metadata, frames, bulk data and rendered images.</summary>
public sealed class WadoRsHandler(InstanceLocator locator, StoredInstanceReader reader, IOptions<PacsWebOptions> options, PacsWebMetrics metrics) : IDisposable
{
    private readonly PacsWebOptions _options = options.Value;
    private readonly RenderedFrameCache _rendered = new(options);

    public void Dispose() => _rendered.Dispose();

    public async Task<IResult> RetrieveInstanceAsync(HttpContext context, string study, string series, string instance)
    {
        var (location, error) = await LocateAsync(context, study, series, instance).ConfigureAwait(false);
        if (location is null)
        {
            return error!;
        }

        var candidates = InstanceRetrieve.Candidates(AcceptedType.Parse(context.Request.Headers.Accept), location.TransferSyntaxUid, out var anyDicom);
        if (!anyDicom)
        {
            return DicomWebErrors.NotAcceptable("Instances are sent as multipart/related; type=\"application/dicom\".");
        }

        DicomFile? transcoded = null;
        var asStored = false;
        foreach (var candidate in candidates)
        {
            if (candidate is null)
            {
                asStored = true;
                break;
            }

            try
            {
                transcoded = InstanceRetrieve.Transcode(await reader.OpenAsync(location, context.RequestAborted).ConfigureAwait(false), candidate);
                break;
            }
            catch (DicomException)
            {
                // Not possible for this object; the client may accept another transfer syntax.
            }
        }

        if (!asStored && transcoded is null)
        {
            return DicomWebErrors.NotAcceptable($"The instance is stored as {location.TransferSyntaxUid} and cannot be converted to any transfer syntax the request accepts; ask with transfer-syntax=* for it as stored.");
        }

        return new StreamedResult(async http =>
        {
            var ct = http.RequestAborted;
            var writer = MultipartRelatedWriter.Start(http.Response, DicomMediaTypes.Dicom);
            if (transcoded is null)
            {
                await writer.WritePartAsync($"{DicomMediaTypes.Dicom}; transfer-syntax={location.TransferSyntaxUid}", (s, c) => reader.CopyToAsync(location, s, c), ct).ConfigureAwait(false);
                metrics.Retrieved(location.Size);
            }
            else
            {
                var bytes = transcoded.ToBytes();
                await writer.WritePartAsync($"{DicomMediaTypes.Dicom}; transfer-syntax={transcoded.TransferSyntax.UidValue}", bytes, ct).ConfigureAwait(false);
                metrics.Retrieved(bytes.Length);
            }

            await writer.CompleteAsync(ct).ConfigureAwait(false);
        });
    }

    public async Task<IResult> MetadataAsync(HttpContext context, string study, string series, string instance)
    {
        if (!DicomDatasetResult.IsAcceptable(context.Request))
        {
            return DicomWebErrors.NotAcceptable("Metadata is sent as application/dicom+json or multipart/related; type=\"application/dicom+xml\".");
        }

        var (location, error) = await LocateAsync(context, study, series, instance).ConfigureAwait(false);
        if (location is null)
        {
            return error!;
        }

        var instanceUrl = InstanceUrl(context.Request, location);
        var etag = EntityTags.Compute(location.BlobKey, "metadata", instanceUrl, _options.MetadataBulkDataThreshold.ToString(CultureInfo.InvariantCulture), DicomDatasetResult.PrefersXml(context.Request) ? "xml" : "json");
        if (EntityTags.IsNotModified(context, etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var file = await reader.OpenAsync(location, context.RequestAborted).ConfigureAwait(false);
        string? Uri(DicomBulkDataContext c) => $"{instanceUrl}/bulkdata/{BulkDataPath.Format(c.Path)}";
        var json = new DicomJsonOptions { BulkDataMode = DicomBulkDataMode.BulkDataUri, BulkDataUriProvider = Uri, BulkDataThreshold = _options.MetadataBulkDataThreshold };
        var xml = new DicomXmlOptions { BulkDataMode = DicomBulkDataMode.BulkDataUri, BulkDataUriProvider = Uri, BulkDataThreshold = _options.MetadataBulkDataThreshold };
        return new DicomDatasetResult([file.Dataset], json, xml);
    }

    public async Task<IResult> FramesAsync(HttpContext context, string study, string series, string instance, string frames)
    {
        if (!FrameList.TryParse(frames, out var numbers))
        {
            return DicomWebErrors.BadRequest($"'{frames}' is not a list of 1-based frame numbers (e.g. 1,3,5).");
        }

        var (location, error) = await LocateAsync(context, study, series, instance).ConfigureAwait(false);
        if (location is null)
        {
            return error!;
        }

        var file = await reader.OpenAsync(location, context.RequestAborted).ConfigureAwait(false);
        DicomPixelData pixels;
        try
        {
            pixels = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
        }
        catch (DicomException ex)
        {
            return DicomWebErrors.NotFound($"The instance has no usable pixel data: {ex.Message}");
        }

        if (numbers.FirstOrDefault(n => n > pixels.NumberOfFrames) is var missing and > 0)
        {
            return DicomWebErrors.NotFound($"Frame {missing} does not exist; the instance has {pixels.NumberOfFrames} frame(s).");
        }

        var parts = FrameRetrieve.Produce(pixels, numbers, AcceptedType.Parse(context.Request.Headers.Accept));
        if (parts is null)
        {
            return DicomWebErrors.NotAcceptable($"The frames are stored as {pixels.TransferSyntax.UidValue} and cannot be produced in a media type the request accepts; ask with type=\"application/octet-stream\"; transfer-syntax=* for them as stored.");
        }

        var partType = parts.Select(p => p.ContentType.Split(';')[0]).Distinct().Count() == 1 ? parts[0].ContentType.Split(';')[0] : DicomMediaTypes.OctetStream;
        return new StreamedResult(async http =>
        {
            var writer = MultipartRelatedWriter.Start(http.Response, partType);
            foreach (var part in parts)
            {
                await writer.WritePartAsync(part.ContentType, part.Data, http.RequestAborted).ConfigureAwait(false);
            }

            await writer.CompleteAsync(http.RequestAborted).ConfigureAwait(false);
        });
    }

    public async Task<IResult> BulkDataAsync(HttpContext context, string study, string series, string instance, string path)
    {
        var (location, error) = await LocateAsync(context, study, series, instance).ConfigureAwait(false);
        if (location is null)
        {
            return error!;
        }

        var file = await reader.OpenAsync(location, context.RequestAborted).ConfigureAwait(false);
        var item = BulkDataPath.Resolve(file.Dataset, path);
        ReadOnlyMemory<byte> value;
        switch (item)
        {
            case DicomElement element:
                value = element.Value;
                break;
            case DicomFragmentSequence fragments:
                value = EncapsulatedValue.Encode(fragments);
                break;
            default:
                return DicomWebErrors.NotFound($"The instance has no bulk data value at '{path}'.");
        }

        var etag = EntityTags.Compute(location.BlobKey, "bulkdata", path);
        var accepts = AcceptedType.Parse(context.Request.Headers.Accept);
        var single = accepts.FirstOrDefault(a => !a.Multipart && (a.MediaType == DicomMediaTypes.OctetStream || a.IsWildcard));
        var multipart = accepts.FirstOrDefault(a => a.Multipart && a.Matches(DicomMediaTypes.OctetStream));
        if (single is not null && (multipart is null || single.Quality >= multipart.Quality) && !(single.IsWildcard && multipart is not null))
        {
            // A single-part answer honours Range (RFC 9110 14), so large values can be fetched in pieces.
            var bytes = value.ToArray();
            return Results.Bytes(bytes, DicomMediaTypes.OctetStream, enableRangeProcessing: true, entityTag: Microsoft.Net.Http.Headers.EntityTagHeaderValue.Parse(etag));
        }

        if (multipart is null)
        {
            return DicomWebErrors.NotAcceptable("Bulk data is sent as application/octet-stream or multipart/related; type=\"application/octet-stream\".");
        }

        return new StreamedResult(async http =>
        {
            http.Response.Headers.ETag = etag;
            var writer = MultipartRelatedWriter.Start(http.Response, DicomMediaTypes.OctetStream);
            await writer.WritePartAsync(DicomMediaTypes.OctetStream, value, http.RequestAborted).ConfigureAwait(false);
            await writer.CompleteAsync(http.RequestAborted).ConfigureAwait(false);
        });
    }

    /// <summary>/rendered (frame 1) and /frames/{n}/rendered.</summary>
    public Task<IResult> RenderedAsync(HttpContext context, string study, string series, string instance, string? frame) =>
        RenderAsync(context, study, series, instance, frame, thumbnail: false);

    public Task<IResult> ThumbnailAsync(HttpContext context, string study, string series, string instance) =>
        RenderAsync(context, study, series, instance, null, thumbnail: true);

    internal async Task<IResult> RenderAsync(HttpContext context, string study, string series, string instance, string? frame, bool thumbnail)
    {
        var number = 1;
        if (frame is not null && (!int.TryParse(frame, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1))
        {
            return DicomWebErrors.BadRequest($"'{frame}' is not a 1-based frame number.");
        }

        var (render, renderError, notAcceptable) = RenderRequest.Parse(context.Request, _options.MaxViewportSize, thumbnail ? _options.ThumbnailSize : 0);
        if (render is null)
        {
            return notAcceptable ? DicomWebErrors.NotAcceptable(renderError!) : DicomWebErrors.BadRequest(renderError!);
        }

        var (location, error) = await LocateAsync(context, study, series, instance).ConfigureAwait(false);
        if (location is null)
        {
            return error!;
        }

        return await RenderLocatedAsync(context, location, number, render).ConfigureAwait(false);
    }

    internal async Task<IResult> RenderLocatedAsync(HttpContext context, InstanceLocation location, int frameNumber, RenderRequest render)
    {
        var etag = EntityTags.Compute(location.BlobKey, "rendered", frameNumber.ToString(CultureInfo.InvariantCulture), render.ToString());
        if (EntityTags.IsNotModified(context, etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        if (!_rendered.TryGet(etag, out var encoded))
        {
            var (bytes, failure) = await reader.WithPooledAsync(location, file => Render(file, frameNumber, render), context.RequestAborted).ConfigureAwait(false);
            if (bytes is null)
            {
                return failure!;
            }

            encoded = bytes;
            _rendered.Add(etag, encoded);
        }

        return Results.Bytes(encoded, render.MediaType, entityTag: Microsoft.Net.Http.Headers.EntityTagHeaderValue.Parse(etag));
    }

    /// <summary>Decodes, windows and encodes one frame of the (pooled) object; nothing of it is kept.</summary>
    private static (byte[]? Encoded, IResult? Error) Render(DicomFile file, int frameNumber, RenderRequest render)
    {
        if (!file.Dataset.Contains(DicomTag.PixelData))
        {
            return (null, DicomWebErrors.NotAcceptable("The instance has no pixel data, so it has no rendered representation."));
        }

        try
        {
            var frames = DicomPixelData.Create(file.Dataset, file.TransferSyntax).NumberOfFrames;
            if (frameNumber > frames)
            {
                return (null, DicomWebErrors.NotFound($"Frame {frameNumber} does not exist; the instance has {frames} frame(s)."));
            }

            using var image = new DicomRenderer().Render(file.Dataset, file.TransferSyntax, new RenderOptions { Frame = frameNumber - 1, Window = render.Window });
            return (ImageEncoder.Encode(image, render.Format, render.Quality, render.ViewportWidth, render.ViewportHeight), null);
        }
        catch (DicomException ex)
        {
            return (null, DicomWebErrors.NotAcceptable($"The frame cannot be rendered: {ex.Message}"));
        }
    }

    internal async Task<(InstanceLocation? Location, IResult? Error)> LocateAsync(HttpContext context, string study, string? series, string instance)
    {
        if (DicomWebErrors.InvalidUid(("StudyInstanceUID", study), ("SeriesInstanceUID", series), ("SOPInstanceUID", instance)) is { } invalid)
        {
            return (null, invalid);
        }

        var location = await locator.FindAsync(study, series, instance, context.RequestAborted).ConfigureAwait(false);
        return location is null
            ? (null, DicomWebErrors.NotFound($"No instance {instance} in series {series} of study {study}."))
            : (location, null);
    }

    private string InstanceUrl(HttpRequest request, InstanceLocation location) =>
        DicomWebUrls.Instance(DicomWebUrls.Base(request, _options), location.StudyInstanceUid, location.SeriesInstanceUid, location.SopInstanceUid);
}
