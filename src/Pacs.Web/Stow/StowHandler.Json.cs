using Pacs.Web.Http;

namespace Pacs.Web.Stow;

/// <summary>STOW-RS of DICOM JSON metadata with bulk data parts (PS3.18 10.5.1.2).</summary>
public sealed partial class StowHandler
{
    /// <summary>
    /// Builds every instance of the metadata parts from the bulk data parts they reference, then ingests each built one
    /// exactly as an application/dicom part; instances that cannot be built are reported failed and leave nothing behind.
    /// Null when the request could be processed, else the error answer for the request as a whole.
    /// </summary>
    private async Task<Microsoft.AspNetCore.Http.IResult?> IngestJsonAsync(List<SpooledPart> spooled, string? study, List<StowOutcome> outcomes, CancellationToken cancellationToken)
    {
        var metadata = new List<ReadOnlyMemory<byte>>();
        var bulk = new Dictionary<string, StowBulkPart>(StringComparer.Ordinal);
        foreach (var part in spooled)
        {
            var bytes = await ReadAllAsync(part, cancellationToken).ConfigureAwait(false);
            if (string.Equals(part.MediaType, DicomMediaTypes.DicomJson, StringComparison.OrdinalIgnoreCase))
            {
                metadata.Add(bytes);
            }
            else if (part.ContentLocation is { Length: > 0 } location && !bulk.TryAdd(location, JsonStowAssembler.BulkPart(part.ContentType, bytes)))
            {
                return DicomWebErrors.BadRequest($"Two bulk data parts have the Content-Location {location}; nothing was stored.");
            }
        }

        if (metadata.Count == 0)
        {
            return DicomWebErrors.BadRequest("A multipart/related; type=\"application/dicom+json\" request needs at least one application/dicom+json metadata part; nothing was stored.");
        }

        var instances = JsonStowAssembler.Assemble(metadata, bulk);
        if (instances.Count == 0)
        {
            return DicomWebErrors.BadRequest("The metadata parts describe no instance; nothing was stored.");
        }

        foreach (var instance in instances)
        {
            StowOutcome outcome;
            if (instance.Part10 is null)
            {
                outcome = instance.Failure!;
            }
            else
            {
                using var file = new MemoryStream(instance.Part10, writable: false);
                outcome = await IngestPart10Async(file, study, cancellationToken).ConfigureAwait(false);
            }

            metrics.StowInstance(outcome.Stored ? "stored" : "failed");
            outcomes.Add(outcome);
        }

        return null;
    }

    private static async Task<byte[]> ReadAllAsync(SpooledPart part, CancellationToken cancellationToken)
    {
        var bytes = new byte[part.Stream.Length];
        part.Stream.Position = 0;
        await part.Stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }
}
