using System.Text.Json;
using Microsoft.Net.Http.Headers;
using Pacs.Dicom;
using Pacs.Dicom.IO;
using Pacs.Dicom.Serialization;
using Pacs.Web.Http;

namespace Pacs.Web.Stow;

/// <summary>A bulk data part of a JSON STOW-RS request: its media type, transfer-syntax parameter and bytes.</summary>
public sealed record StowBulkPart(string MediaType, string? TransferSyntaxUid, ReadOnlyMemory<byte> Data);

/// <summary>One instance of a JSON STOW-RS request: a Part 10 object ready for ingest, or why there is none.</summary>
public sealed record AssembledInstance(byte[]? Part10, StowOutcome? Failure);

/// <summary>
/// Builds Part 10 objects from the metadata + bulk data form of STOW-RS (PS3.18 10.5.1.2, 10.5.2): each DICOM JSON
/// object of the <c>application/dicom+json</c> parts is one instance, and every BulkDataURI in it must name the
/// Content-Location of a bulk data part. Bulk data sent as <c>application/octet-stream</c> is native little endian, and
/// the instance is written in Explicit VR Little Endian; Pixel Data sent in a compressed media type (image/jpeg, image/jls,
/// image/jp2, ... with its transfer-syntax parameter or the media type's default) is one frame, encapsulated in that
/// transfer syntax. An instance whose JSON is malformed or whose bulk data is missing or unusable is not built at all,
/// so nothing of it can be stored.
/// </summary>
public static class JsonStowAssembler
{
    /// <summary>The instances of all metadata parts, in order.</summary>
    public static IReadOnlyList<AssembledInstance> Assemble(IReadOnlyList<ReadOnlyMemory<byte>> metadataParts, IReadOnlyDictionary<string, StowBulkPart> bulkParts)
    {
        ArgumentNullException.ThrowIfNull(metadataParts);
        ArgumentNullException.ThrowIfNull(bulkParts);
        var result = new List<AssembledInstance>();
        foreach (var part in metadataParts)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(part, new JsonDocumentOptions { MaxDepth = 256 });
            }
            catch (JsonException ex)
            {
                result.Add(Failed(null, null, StowFailureReason.CannotUnderstand, $"The application/dicom+json part is not JSON: {ex.Message}"));
                continue;
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    result.Add(AssembleOne(root, bulkParts));
                }
                else if (root.ValueKind == JsonValueKind.Array)
                {
                    result.AddRange(root.EnumerateArray().Select(e => AssembleOne(e, bulkParts)));
                }
                else
                {
                    result.Add(Failed(null, null, StowFailureReason.CannotUnderstand, "The application/dicom+json part is neither a DICOM JSON object nor an array of them."));
                }
            }
        }

        return result;
    }

    /// <summary>The bulk data part of a multipart section, from its Content-Type.</summary>
    public static StowBulkPart BulkPart(string? contentType, ReadOnlyMemory<byte> data)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return new StowBulkPart(DicomMediaTypes.OctetStream, null, data);
        }

        var ts = parsed.Parameters.FirstOrDefault(p => string.Equals(p.Name.Value, "transfer-syntax", StringComparison.OrdinalIgnoreCase));
        return new StowBulkPart(parsed.MediaType.Value?.ToLowerInvariant() ?? DicomMediaTypes.OctetStream, ts is null ? null : HeaderUtilities.RemoveQuotes(ts.Value).Value, data);
    }

    private static AssembledInstance AssembleOne(JsonElement json, IReadOnlyDictionary<string, StowBulkPart> bulkParts)
    {
        var sopClass = FirstString(json, "00080016");
        var sopInstance = FirstString(json, "00080018");
        if (json.ValueKind != JsonValueKind.Object)
        {
            return Failed(sopClass, sopInstance, StowFailureReason.CannotUnderstand, "An element of the metadata array is not a DICOM JSON object.");
        }

        DicomTransferSyntax? encapsulated = null;
        ReadOnlyMemory<byte> Resolve(DicomBulkDataUriContext context)
        {
            if (!bulkParts.TryGetValue(context.Uri, out var part))
            {
                throw new BulkDataException($"BulkDataURI {context.Uri} of {context.Tag} names no part of the request (no such Content-Location).");
            }

            if (part.MediaType == DicomMediaTypes.OctetStream)
            {
                if (part.TransferSyntaxUid is { } uid && DicomTransferSyntax.Lookup(uid) is not { IsEncapsulated: false, IsBigEndian: false })
                {
                    throw new BulkDataException($"Bulk data {context.Uri} is application/octet-stream in {uid}; native bulk data must be little endian.");
                }

                return part.Data;
            }

            var ts = part.TransferSyntaxUid is { } named ? DicomTransferSyntax.Lookup(named) : DicomMediaTypes.DefaultTransferSyntaxOf(part.MediaType);
            if (context.Tag != DicomTag.PixelData || context.Path.Count != 1 || ts is not { IsEncapsulated: true })
            {
                throw new BulkDataException($"Bulk data {context.Uri} is {part.MediaType}{(part.TransferSyntaxUid is null ? string.Empty : "; transfer-syntax=" + part.TransferSyntaxUid)}: only top-level Pixel Data may be compressed, in an encapsulated transfer syntax.");
            }

            encapsulated = ts;
            return part.Data;
        }

        DicomDataset dataset;
        try
        {
            dataset = DicomJsonReader.Read(System.Text.Encoding.UTF8.GetBytes(json.GetRawText()), new DicomJsonReaderOptions { BulkDataUriResolver = Resolve });
        }
        catch (Exception ex) when (ex is DicomException or BulkDataException)
        {
            return Failed(sopClass, sopInstance, StowFailureReason.CannotUnderstand, (ex.InnerException as BulkDataException ?? ex).Message);
        }

        if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance))
        {
            return Failed(sopClass, sopInstance, StowFailureReason.DataSetDoesNotMatchSopClass, "The instance has no SOP Class UID (0008,0016) or SOP Instance UID (0008,0018).");
        }

        // File Meta Information is written from the dataset and the transfer syntax; any sent with the metadata is dropped.
        dataset.RemoveAll(item => item.Tag.Group == 0x0002);
        var transferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        if (encapsulated is not null)
        {
            if (dataset.TryGetValue<int>(DicomTag.NumberOfFrames, 0, out var frames) && frames > 1)
            {
                return Failed(sopClass, sopInstance, StowFailureReason.CannotUnderstand, "Compressed Pixel Data in one bulk data part is taken as one frame; this instance declares several.");
            }

            if (dataset.GetItem(DicomTag.PixelData) is DicomElement element)
            {
                var fragments = new DicomFragmentSequence(DicomTag.PixelData);
                var value = element.Value;
                fragments.AddFragment(value.Length % 2 == 0 ? value : Padded(value.Span));
                dataset.AddOrUpdate(fragments);
            }

            transferSyntax = encapsulated;
        }

        try
        {
            return new AssembledInstance(DicomFile.Create(dataset, transferSyntax).ToBytes(), null);
        }
        catch (DicomException ex)
        {
            return Failed(sopClass, sopInstance, StowFailureReason.CannotUnderstand, "The instance cannot be encoded: " + ex.Message);
        }
    }

    private static byte[] Padded(ReadOnlySpan<byte> value)
    {
        var padded = new byte[value.Length + 1];
        value.CopyTo(padded);
        return padded;
    }

    private static string? FirstString(JsonElement json, string tag) =>
        json.ValueKind == JsonValueKind.Object
        && (json.TryGetProperty(tag, out var element) || json.TryGetProperty(tag.ToLowerInvariant(), out element))
        && element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("Value", out var value) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0
        && value[0].ValueKind == JsonValueKind.String
            ? value[0].GetString()
            : null;

    private static AssembledInstance Failed(string? sopClass, string? sopInstance, ushort reason, string comment) =>
        new(null, new StowOutcome(sopClass, sopInstance, null, null, reason, comment));

    /// <summary>A BulkDataURI that cannot be resolved to usable bytes.</summary>
    private sealed class BulkDataException(string message) : Exception(message);
}
