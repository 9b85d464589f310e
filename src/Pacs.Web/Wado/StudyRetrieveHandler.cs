using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Pacs.Archive.Retrieve;
using Pacs.Dicom;
using Pacs.Dicom.Serialization;
using Pacs.Web.Diagnostics;
using Pacs.Web.Hosting;
using Pacs.Web.Http;

namespace Pacs.Web.Wado;

/// <summary>
/// WADO-RS for a whole study or series (PS3.18 10.4): its instances, its metadata (from the index, one read), and a
/// rendered image or thumbnail of its first image.
/// </summary>
public sealed class StudyRetrieveHandler(
    IPacsWebArchive archive,
    InstanceLocator locator,
    StoredInstanceReader reader,
    StoredMetadataReader metadataReader,
    WadoRsHandler instances,
    IOptions<PacsWebOptions> options,
    PacsWebMetrics metrics)
{
    private readonly PacsWebOptions _options = options.Value;

    /// <summary>
    /// Every instance as a part of <c>multipart/related; type="application/dicom"</c>, as stored or transcoded by the
    /// instance-level rules. An instance that cannot be given in any accepted transfer syntax is left out; when that is
    /// every instance the answer is 406.
    /// </summary>
    public async Task<IResult> RetrieveAsync(HttpContext context, string study, string? series)
    {
        if (DicomWebErrors.InvalidUid(("StudyInstanceUID", study), ("SeriesInstanceUID", series)) is { } invalid)
        {
            return invalid;
        }

        var accepts = AcceptedType.Parse(context.Request.Headers.Accept);
        InstanceRetrieve.Candidates(accepts, DicomMediaTypes.DefaultTransferSyntax.UidValue, out var anyDicom);
        if (!anyDicom)
        {
            return DicomWebErrors.NotAcceptable("Instances are sent as multipart/related; type=\"application/dicom\".");
        }

        var request = new RetrieveRequest { StudyInstanceUids = [study], SeriesInstanceUids = series is null ? [] : [series] };
        var list = await archive.Retrieve.ListInstancesAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (list.Count == 0)
        {
            return DicomWebErrors.NotFound(series is null ? $"No study {study}." : $"No series {series} in study {study}.");
        }

        // The first part is prepared before the status line is sent, so "nothing can be converted" is still a 406.
        var next = 0;
        RetrievePart? first = null;
        var readAhead = archive.Retrieve.ReadAhead(list);
        while (first is null && next < list.Count)
        {
            readAhead.Opening(next);
            first = await PrepareAsync(list[next++], accepts, context.RequestAborted).ConfigureAwait(false);
        }

        if (first is null)
        {
            return DicomWebErrors.NotAcceptable("No instance can be converted to a transfer syntax the request accepts; ask with transfer-syntax=* for them as stored.");
        }

        return new StreamedResult(async http =>
        {
            var ct = http.RequestAborted;
            var writer = MultipartRelatedWriter.Start(http.Response, DicomMediaTypes.Dicom);
            for (var part = first; part is not null;)
            {
                await WriteAsync(writer, part, ct).ConfigureAwait(false);
                part = null;
                while (part is null && next < list.Count)
                {
                    readAhead.Opening(next);
                    part = await PrepareAsync(list[next++], accepts, ct).ConfigureAwait(false);
                }
            }

            await writer.CompleteAsync(ct).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// The metadata of every instance, from the index's DICOM JSON in one statement, BulkDataURIs pointing at each
    /// instance's bulk data resource. The entity tag covers every instance's stored version, so any change shows.
    /// </summary>
    public async Task<IResult> MetadataAsync(HttpContext context, string study, string? series)
    {
        if (!DicomDatasetResult.IsAcceptable(context.Request))
        {
            return DicomWebErrors.NotAcceptable("Metadata is sent as application/dicom+json or multipart/related; type=\"application/dicom+xml\".");
        }

        if (DicomWebErrors.InvalidUid(("StudyInstanceUID", study), ("SeriesInstanceUID", series)) is { } invalid)
        {
            return invalid;
        }

        var rows = await metadataReader.ReadAsync(study, series, context.RequestAborted).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return DicomWebErrors.NotFound(series is null ? $"No study {study}." : $"No series {series} in study {study}.");
        }

        var xml = DicomDatasetResult.PrefersXml(context.Request);
        var baseUrl = DicomWebUrls.Base(context.Request, _options);
        var inputs = new List<string?>(rows.Count + 4) { "metadata", baseUrl, _options.MetadataBulkDataThreshold.ToString(CultureInfo.InvariantCulture), xml ? "xml" : "json" };
        inputs.AddRange(rows.Select(r => r.BlobKey));
        var etag = EntityTags.Compute([.. inputs]);
        if (EntityTags.IsNotModified(context, etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var documents = new List<string>(rows.Count);
        foreach (var row in rows)
        {
            var instanceUrl = DicomWebUrls.Instance(baseUrl, row.StudyInstanceUid, row.SeriesInstanceUid, row.SopInstanceUid);
            documents.Add(row.Metadata is null
                ? await FromBlobAsync(row, instanceUrl, context.RequestAborted).ConfigureAwait(false)
                : StoredMetadataReader.Rewrite(row, instanceUrl));
        }

        if (xml)
        {
            // References read from JSON and never resolved stay references in the XML writer, whatever its mode.
            return new DicomDatasetResult([.. documents.Select(d => DicomJson.Deserialize(d))], null, null);
        }

        return new StreamedResult(async http =>
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = DicomMediaTypes.DicomJson + "; charset=utf-8";
            var body = http.Response.Body;
            var ct = http.RequestAborted;
            await body.WriteAsync("["u8.ToArray(), ct).ConfigureAwait(false);
            for (var i = 0; i < documents.Count; i++)
            {
                await body.WriteAsync(Encoding.UTF8.GetBytes(i == 0 ? documents[i] : "," + documents[i]), ct).ConfigureAwait(false);
            }

            await body.WriteAsync("]"u8.ToArray(), ct).ConfigureAwait(false);
        });
    }

    /// <summary>/studies/{study}/rendered and /studies/{study}/series/{series}/rendered: the first image's first frame.</summary>
    public Task<IResult> RenderedAsync(HttpContext context, string study, string? series) => RenderAsync(context, study, series, thumbnail: false);

    public Task<IResult> ThumbnailAsync(HttpContext context, string study, string? series) => RenderAsync(context, study, series, thumbnail: true);

    /// <summary>/series/{series}/thumbnail (no study in the path): the series' study is looked up first.</summary>
    public async Task<IResult> SeriesThumbnailAsync(HttpContext context, string series)
    {
        if (DicomWebErrors.InvalidUid(("SeriesInstanceUID", series)) is { } invalid)
        {
            return invalid;
        }

        var study = await locator.StudyOfSeriesAsync(series, context.RequestAborted).ConfigureAwait(false);
        return study is null
            ? DicomWebErrors.NotFound($"No series {series}.")
            : await RenderAsync(context, study, series, thumbnail: true).ConfigureAwait(false);
    }

    private async Task<IResult> RenderAsync(HttpContext context, string study, string? series, bool thumbnail)
    {
        if (DicomWebErrors.InvalidUid(("StudyInstanceUID", study), ("SeriesInstanceUID", series)) is { } invalid)
        {
            return invalid;
        }

        var (render, renderError, notAcceptable) = RenderRequest.Parse(context.Request, _options.MaxViewportSize, thumbnail ? _options.ThumbnailSize : 0);
        if (render is null)
        {
            return notAcceptable ? DicomWebErrors.NotAcceptable(renderError!) : DicomWebErrors.BadRequest(renderError!);
        }

        var location = await locator.FirstImageAsync(study, series, context.RequestAborted).ConfigureAwait(false);
        if (location is null)
        {
            return DicomWebErrors.NotFound(series is null ? $"Study {study} has no image." : $"Series {series} of study {study} has no image.");
        }

        return await instances.RenderLocatedAsync(context, location, 1, render).ConfigureAwait(false);
    }

    private async Task<string> FromBlobAsync(StoredMetadataRow row, string instanceUrl, CancellationToken cancellationToken)
    {
        // Instances indexed without metadata (stored with StoreMetadata off) are read as the instance level reads them.
        var file = await reader.OpenAsync(row.BlobKey, row.Size, cancellationToken).ConfigureAwait(false);
        return DicomJson.Serialize(file.Dataset, new DicomJsonOptions
        {
            BulkDataMode = DicomBulkDataMode.BulkDataUri,
            BulkDataThreshold = _options.MetadataBulkDataThreshold,
            BulkDataUriProvider = c => $"{instanceUrl}/bulkdata/{BulkDataPath.Format(c.Path)}",
        });
    }

    private async Task<RetrievePart?> PrepareAsync(RetrieveInstance instance, IReadOnlyList<AcceptedType> accepts, CancellationToken cancellationToken)
    {
        foreach (var candidate in InstanceRetrieve.Candidates(accepts, instance.TransferSyntaxUid, out _))
        {
            if (candidate is null)
            {
                return new RetrievePart(instance, null, instance.TransferSyntaxUid);
            }

            try
            {
                var file = await reader.OpenAsync(instance.BlobKey, instance.Size, cancellationToken).ConfigureAwait(false);
                var transcoded = InstanceRetrieve.Transcode(file, candidate);
                return new RetrievePart(instance, transcoded.ToBytes(), transcoded.TransferSyntax.UidValue);
            }
            catch (DicomException)
            {
                // Not possible for this object; the client may accept another transfer syntax.
            }
        }

        return null;
    }

    private async Task WriteAsync(MultipartRelatedWriter writer, RetrievePart part, CancellationToken cancellationToken)
    {
        var contentType = $"{DicomMediaTypes.Dicom}; transfer-syntax={part.TransferSyntaxUid}";
        if (part.Bytes is null)
        {
            await writer.WritePartAsync(contentType, (s, c) => reader.CopyToAsync(part.Instance.BlobKey, s, c), cancellationToken).ConfigureAwait(false);
            metrics.Retrieved(part.Instance.Size);
        }
        else
        {
            await writer.WritePartAsync(contentType, part.Bytes, cancellationToken).ConfigureAwait(false);
            metrics.Retrieved(part.Bytes.Length);
        }
    }

    /// <summary>One instance ready to send: as stored (no bytes) or transcoded.</summary>
    private sealed record RetrievePart(RetrieveInstance Instance, byte[]? Bytes, string TransferSyntaxUid);
}
