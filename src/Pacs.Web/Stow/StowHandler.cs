using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Pacs.Archive.Ingest;
using Pacs.Dicom;
using Pacs.Dicom.IO;
using Pacs.Web.Diagnostics;
using Pacs.Web.Hosting;
using Pacs.Web.Http;

namespace Pacs.Web.Stow;

/// <summary>
/// STOW-RS (PS3.18 10.5): every part of a <c>multipart/related; type="application/dicom"</c> request is streamed to a
/// spool file; only when the whole body has been read and found well-formed are the parts ingested, one by one, through
/// the same pipeline as C-STORE. A malformed or oversized request therefore stores nothing. Requests of
/// <c>type="application/dicom+json"</c> (metadata with bulk data parts) are built into Part 10 objects first
/// (<see cref="JsonStowAssembler"/>) and then take the same path.
/// </summary>
public sealed partial class StowHandler(IPacsWebArchive archive, IOptions<PacsWebOptions> options, PacsWebMetrics metrics, ILogger<StowHandler> logger)
{
    private readonly PacsWebOptions _options = options.Value;

    public async Task<IResult> HandleAsync(HttpContext context, string? study)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (DicomWebErrors.InvalidUid(("StudyInstanceUID", study)) is { } invalid)
        {
            return invalid;
        }

        var request = context.Request;
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = _options.MaxStowRequestBytes;
        }

        if (request.ContentLength > _options.MaxStowRequestBytes)
        {
            return DicomWebErrors.PayloadTooLarge($"The request body of {request.ContentLength} bytes exceeds the limit of {_options.MaxStowRequestBytes} bytes.");
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType.Value, DicomMediaTypes.MultipartRelated, StringComparison.OrdinalIgnoreCase))
        {
            return DicomWebErrors.UnsupportedMediaType($"STOW-RS takes multipart/related; type=\"application/dicom\", not '{request.ContentType}'.");
        }

        var type = HeaderUtilities.RemoveQuotes(contentType.Parameters.FirstOrDefault(p => string.Equals(p.Name.Value, "type", StringComparison.OrdinalIgnoreCase))?.Value ?? default).Value;
        var json = string.Equals(type, DicomMediaTypes.DicomJson, StringComparison.OrdinalIgnoreCase);
        if (type is not null && !json && !string.Equals(type, DicomMediaTypes.Dicom, StringComparison.OrdinalIgnoreCase))
        {
            return DicomWebErrors.UnsupportedMediaType($"Parts of type '{type}' are not accepted; this server stores application/dicom parts, or application/dicom+json metadata with bulk data parts.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70)
        {
            return DicomWebErrors.BadRequest("The multipart/related Content-Type needs a boundary parameter of 1 to 70 characters (RFC 2046 5.1.1).");
        }

        var spooled = new List<SpooledPart>();
        try
        {
            var error = await SpoolPartsAsync(request.Body, boundary, spooled, context.RequestAborted).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            var outcomes = new List<StowOutcome>(spooled.Count);
            if (json)
            {
                if (await IngestJsonAsync(spooled, study, outcomes, context.RequestAborted).ConfigureAwait(false) is { } jsonError)
                {
                    return jsonError;
                }
            }
            else
            {
                outcomes.AddRange(await IngestPartsAsync(spooled, study, context.RequestAborted).ConfigureAwait(false));
            }

            var studiesUrl = $"{request.Scheme}://{request.Host}{request.PathBase}{_options.DicomWebBasePath.TrimEnd('/')}/studies";
            var response = StowResponseBuilder.Build(outcomes, studiesUrl, study);
            return new DicomDatasetResult(response, StowResponseBuilder.StatusCode(outcomes));
        }
        finally
        {
            foreach (var part in spooled)
            {
                await part.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<IResult?> SpoolPartsAsync(Stream body, string boundary, List<SpooledPart> spooled, CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(boundary, body) { HeadersLengthLimit = _options.MaxPartHeadersBytes, HeadersCountLimit = 32, BodyLengthLimit = null };
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                var part = SpooledPart.Create(archive.SpoolDirectory);
                spooled.Add(part);
                part.MediaType = section.ContentType is null ? DicomMediaTypes.Dicom
                    : MediaTypeHeaderValue.TryParse(section.ContentType, out var partType) ? partType.MediaType.Value ?? string.Empty : section.ContentType;
                part.ContentType = section.ContentType;
                part.ContentLocation = section.Headers?.TryGetValue(HeaderNames.ContentLocation, out var location) == true ? location.ToString() : null;
                await section.Body.CopyToAsync(part.Stream, 81920, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return DicomWebErrors.PayloadTooLarge($"The request body exceeds the limit of {_options.MaxStowRequestBytes} bytes; nothing was stored.");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            LogMalformed(ex.Message);
            return DicomWebErrors.BadRequest($"Malformed multipart/related body ({ex.Message}); nothing was stored.");
        }

        return spooled.Count == 0 ? DicomWebErrors.BadRequest("The multipart/related body holds no parts.") : null;
    }

    /// <summary>
    /// Ingests the spooled parts a few at a time (each has its own spool file): one instance at a time leaves the
    /// machine idle while each waits for its fsync and commit, and concurrent commits share a transaction. The outcomes
    /// keep the order of the parts.
    /// </summary>
    private async Task<StowOutcome[]> IngestPartsAsync(List<SpooledPart> parts, string? study, CancellationToken cancellationToken)
    {
        var outcomes = new StowOutcome[parts.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.StowParallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, parts.Count), parallel, async (i, token) =>
        {
            var outcome = await IngestPartAsync(parts[i], study, token).ConfigureAwait(false);
            metrics.StowInstance(outcome.Stored ? "stored" : "failed");
            outcomes[i] = outcome;
        }).ConfigureAwait(false);
        return outcomes;
    }

    private async Task<StowOutcome> IngestPartAsync(SpooledPart part, string? study, CancellationToken cancellationToken)
    {
        if (!string.Equals(part.MediaType, DicomMediaTypes.Dicom, StringComparison.OrdinalIgnoreCase))
        {
            return new StowOutcome(null, null, null, null, StowFailureReason.CannotUnderstand, $"Part of type {part.MediaType} is not application/dicom.");
        }

        var stream = part.Stream;
        stream.Position = 0;
        long offset;
        DicomTransferSyntax ts;
        try
        {
            (offset, var tsUid) = await Part10Layout.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
            ts = DicomTransferSyntax.Parse(tsUid);
        }
        catch (DicomException ex)
        {
            return new StowOutcome(null, null, null, null, StowFailureReason.CannotUnderstand, ex.Message);
        }

        if (study is not null)
        {
            // The URL's study is checked before anything is reserved, so a mismatching instance leaves no trace.
            stream.Position = 0;
            DicomDataset header;
            try
            {
                header = (await DicomFile.OpenAsync(stream, new DicomReadOptions { StopBeforePixelData = true, BulkDataThreshold = 4096 }, cancellationToken).ConfigureAwait(false)).Dataset;
            }
            catch (DicomException ex)
            {
                return new StowOutcome(null, null, null, null, StowFailureReason.CannotUnderstand, ex.Message);
            }

            var instanceStudy = header.GetStringOrDefault(DicomTag.StudyInstanceUID, string.Empty);
            if (instanceStudy != study)
            {
                return new StowOutcome(
                    header.GetStringOrDefault(DicomTag.SOPClassUID, string.Empty), header.GetStringOrDefault(DicomTag.SOPInstanceUID, string.Empty), instanceStudy, null,
                    StowFailureReason.StudyInstanceUidMismatch, $"Study Instance UID {instanceStudy} differs from {study} in the request URL.");
            }
        }

        stream.Position = offset;
        var result = await archive.Ingest.IngestAsync(new IngestRequest(stream, ts, SourceAeTitle: null), cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            return new StowOutcome(result.SopClassUid, result.SopInstanceUid, result.StudyInstanceUid, result.SeriesInstanceUid, null, null);
        }

        var reason = result.Status switch
        {
            IngestStatus.RejectedDuplicate => StowFailureReason.DuplicateRejected,
            IngestStatus.InvalidDataset => StowFailureReason.DataSetDoesNotMatchSopClass,
            IngestStatus.CannotUnderstand => StowFailureReason.CannotUnderstand,
            IngestStatus.StorageUnavailable or IngestStatus.IndexUnavailable => StowFailureReason.OutOfResources,
            _ => StowFailureReason.ProcessingFailure,
        };
        LogPartFailed(result.SopInstanceUid, result.Status.ToString(), result.ErrorComment);
        return new StowOutcome(result.SopClassUid, result.SopInstanceUid, result.StudyInstanceUid, result.SeriesInstanceUid, reason, result.ErrorComment);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "STOW-RS request refused: malformed multipart ({Reason})")]
    private partial void LogMalformed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STOW-RS part {SopInstanceUid} not stored: {Status} {Comment}")]
    private partial void LogPartFailed(string? sopInstanceUid, string status, string? comment);

    /// <summary>One received part in its spool file, deleted on dispose.</summary>
    private sealed class SpooledPart : IAsyncDisposable
    {
        private SpooledPart(FileStream stream) => Stream = stream;

        public FileStream Stream { get; }

        public string MediaType { get; set; } = DicomMediaTypes.Dicom;

        /// <summary>The part's Content-Type header as sent (its transfer-syntax parameter matters for bulk data).</summary>
        public string? ContentType { get; set; }

        /// <summary>The part's Content-Location header: what BulkDataURIs of a JSON request name it by.</summary>
        public string? ContentLocation { get; set; }

        public static SpooledPart Create(string directory) =>
            new(new FileStream(
                Path.Combine(directory, "stow-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) + ".spool"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous | FileOptions.DeleteOnClose));

        public ValueTask DisposeAsync() => Stream.DisposeAsync();
    }
}
