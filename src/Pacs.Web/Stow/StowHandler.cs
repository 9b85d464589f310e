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
/// STOW-RS (PS3.18 10.5): every part of a <c>multipart/related; type="application/dicom"</c> request is received as it
/// streams in, through the same pipeline as C-STORE, straight into a staged blob (written once), and prepared — version
/// reserved, blob made durable — while the rest of the body arrives (<see cref="StowInstanceBatch"/>). Only when the
/// whole body has been read and found well-formed are the instances committed, which makes them visible; a malformed
/// or oversized request therefore stores nothing. Requests of <c>type="application/dicom+json"</c> (metadata with bulk
/// data parts) are spooled, built into Part 10 objects (<see cref="JsonStowAssembler"/>) and ingested.
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

        var studiesUrl = $"{request.Scheme}://{request.Host}{request.PathBase}{_options.DicomWebBasePath.TrimEnd('/')}/studies";
        var outcomes = new List<StowOutcome>();
        var error = json
            ? await HandleJsonAsync(request.Body, boundary, study, outcomes, context.RequestAborted).ConfigureAwait(false)
            : await HandleDicomAsync(request.Body, boundary, study, outcomes, context.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var response = StowResponseBuilder.Build(outcomes, studiesUrl, study);
        return new DicomDatasetResult(response, StowResponseBuilder.StatusCode(outcomes));
    }

    private async Task<IResult?> HandleDicomAsync(Stream body, string boundary, string? study, List<StowOutcome> outcomes, CancellationToken cancellationToken)
    {
        var batch = new StowInstanceBatch(archive.Ingest, study, _options.StowParallelism, ToOutcome);
        await using (batch.ConfigureAwait(false))
        {
            var error = await ReadPartsAsync(body, boundary, section => ReceivePartAsync(section, batch, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }


            foreach (var outcome in await batch.CommitAsync(cancellationToken).ConfigureAwait(false))
            {
                metrics.StowInstance(outcome.Stored ? "stored" : "failed");
                outcomes.Add(outcome);
            }

            return null;
        }
    }

    private async Task<IResult?> HandleJsonAsync(Stream body, string boundary, string? study, List<StowOutcome> outcomes, CancellationToken cancellationToken)
    {
        var spooled = new List<SpooledPart>();
        try
        {
            var error = await ReadPartsAsync(body, boundary, async section =>
            {
                var part = SpooledPart.Create(archive.SpoolDirectory);
                spooled.Add(part);
                part.MediaType = MediaTypeOf(section);
                part.ContentType = section.ContentType;
                part.ContentLocation = section.Headers?.TryGetValue(HeaderNames.ContentLocation, out var location) == true ? location.ToString() : null;
                await section.Body.CopyToAsync(part.Stream, 81920, cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return error ?? await IngestJsonAsync(spooled, study, outcomes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var part in spooled)
            {
                await part.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Hands every part of the body to <paramref name="readPart"/>; the error answer when the body is malformed or too large.</summary>
    private async Task<IResult?> ReadPartsAsync(Stream body, string boundary, Func<MultipartSection, Task> readPart, CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(boundary, body) { HeadersLengthLimit = _options.MaxPartHeadersBytes, HeadersCountLimit = 32, BodyLengthLimit = null };
        var count = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                await readPart(section).ConfigureAwait(false);
                count++;
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

        return count == 0 ? DicomWebErrors.BadRequest("The multipart/related body holds no parts.") : null;
    }

    private static string MediaTypeOf(MultipartSection section) =>
        section.ContentType is null ? DicomMediaTypes.Dicom
        : MediaTypeHeaderValue.TryParse(section.ContentType, out var partType) ? partType.MediaType.Value ?? string.Empty : section.ContentType;

    /// <summary>
    /// Receives one application/dicom part as it streams in: its File Meta Information is read to learn the transfer
    /// syntax and the UIDs the stored meta is built from, then its dataset goes straight into a staged blob.
    /// </summary>
    private async Task ReceivePartAsync(MultipartSection section, StowInstanceBatch batch, CancellationToken cancellationToken)
    {
        var mediaType = MediaTypeOf(section);
        if (!string.Equals(mediaType, DicomMediaTypes.Dicom, StringComparison.OrdinalIgnoreCase))
        {
            batch.Add(new StowOutcome(null, null, null, null, StowFailureReason.CannotUnderstand, $"Part of type {mediaType} is not application/dicom."));
            return;
        }

        Part10Meta meta;
        ReadOnlyMemory<byte> datasetStart;
        DicomTransferSyntax ts;
        try
        {
            (meta, datasetStart) = await Part10Layout.ReadHeadAsync(section.Body, cancellationToken).ConfigureAwait(false);
            ts = DicomTransferSyntax.Parse(meta.TransferSyntaxUid);
        }
        catch (DicomException ex)
        {
            batch.Add(new StowOutcome(null, null, null, null, StowFailureReason.CannotUnderstand, ex.Message));
            return;
        }

        var request = new IngestRequest(new HeadThenRestStream(datasetStart, section.Body), ts, SourceAeTitle: null)
        {
            AffectedSopClassUid = meta.MediaStorageSopClassUid,
            AffectedSopInstanceUid = meta.MediaStorageSopInstanceUid,
            AffectedUidsFromFileMeta = true,
        };
        var instance = await archive.Ingest.ReceiveAsync(request, cancellationToken).ConfigureAwait(false);
        batch.Add(instance, cancellationToken);
    }

    /// <summary>Ingests one Part 10 object built from a JSON request (a seekable stream holding the whole file).</summary>
    private async Task<StowOutcome> IngestPart10Async(Stream file, string? study, CancellationToken cancellationToken)
    {
        long offset;
        DicomTransferSyntax ts;
        try
        {
            (offset, var tsUid) = await Part10Layout.ReadAsync(file, cancellationToken).ConfigureAwait(false);
            ts = DicomTransferSyntax.Parse(tsUid);
        }
        catch (DicomException ex)
        {
            return new StowOutcome(null, null, null, null, StowFailureReason.CannotUnderstand, ex.Message);
        }

        if (study is not null)
        {
            // The URL's study is checked before anything is reserved, so a mismatching instance leaves no trace.
            DicomDataset header;
            try
            {
                header = (await DicomFile.OpenAsync(file, new DicomReadOptions { StopBeforePixelData = true, BulkDataThreshold = 4096 }, cancellationToken).ConfigureAwait(false)).Dataset;
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

        file.Position = offset;
        return ToOutcome(await archive.Ingest.IngestAsync(new IngestRequest(file, ts, SourceAeTitle: null), cancellationToken).ConfigureAwait(false));
    }

    private StowOutcome ToOutcome(IngestResult result)
    {
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
