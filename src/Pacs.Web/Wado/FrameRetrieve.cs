using Pacs.Dicom;
using Pacs.Dicom.Imaging.Codecs;
using Pacs.Dicom.Imaging.Pixels;
using Pacs.Web.Http;

namespace Pacs.Web.Wado;

/// <summary>One frame ready to send: its media type with transfer-syntax parameter, and its bytes.</summary>
public sealed record FramePart(string ContentType, ReadOnlyMemory<byte> Data);

/// <summary>
/// Frame retrieve (PS3.18 10.4.1.1.6): frames as stored (<c>transfer-syntax=*</c>), decoded to native little endian
/// (application/octet-stream, the default), or re-encoded in the compressed syntax a frame media type names.
/// </summary>
public static class FrameRetrieve
{
    /// <summary>The frames in the first representation the Accept list allows; null when none can be produced.</summary>
    public static IReadOnlyList<FramePart>? Produce(DicomPixelData pixels, IReadOnlyList<int> frameNumbers, IReadOnlyList<AcceptedType> accepts)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(accepts);
        foreach (var accepted in accepts)
        {
            var type = accepted.MediaType;
            try
            {
                if (accepted.IsWildcard || (type == DicomMediaTypes.OctetStream && accepted.TransferSyntax == "*"))
                {
                    return AsStored(pixels, frameNumbers);
                }

                if (type == DicomMediaTypes.OctetStream)
                {
                    var ts = accepted.TransferSyntax is null ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.Lookup(accepted.TransferSyntax);
                    if (ts is not null && !ts.IsEncapsulated && !ts.IsBigEndian)
                    {
                        return Native(pixels, frameNumbers);
                    }

                    continue;
                }

                if (DicomMediaTypes.DefaultTransferSyntaxOf(type) is not { } defaultTs)
                {
                    continue;
                }

                if (accepted.TransferSyntax == "*")
                {
                    if (DicomMediaTypes.FrameMediaType(pixels.TransferSyntax) == type)
                    {
                        return AsStored(pixels, frameNumbers);
                    }

                    continue;
                }

                var target = accepted.TransferSyntax is null ? defaultTs : DicomTransferSyntax.Lookup(accepted.TransferSyntax);
                if (target is null || DicomMediaTypes.FrameMediaType(target) != type)
                {
                    continue;
                }

                if (target.UidValue == pixels.TransferSyntax.UidValue)
                {
                    return AsStored(pixels, frameNumbers);
                }

                return Encoded(pixels, frameNumbers, target);
            }
            catch (DicomException)
            {
                // This representation cannot be produced from what is stored; the next acceptable one may.
            }
        }

        return null;
    }

    private static FramePart[] AsStored(DicomPixelData pixels, IReadOnlyList<int> frames)
    {
        if (!pixels.IsEncapsulated)
        {
            return Native(pixels, frames);
        }

        var contentType = $"{DicomMediaTypes.FrameMediaType(pixels.TransferSyntax)}; transfer-syntax={pixels.TransferSyntax.UidValue}";
        return [.. frames.Select(f => new FramePart(contentType, pixels.GetStoredFrame(f - 1)))];
    }

    // Native values come out of the toolkit little endian whatever the stored byte order.
    private static FramePart[] Native(DicomPixelData pixels, IReadOnlyList<int> frames)
    {
        var contentType = $"{DicomMediaTypes.OctetStream}; transfer-syntax={DicomTransferSyntax.ExplicitVRLittleEndian.UidValue}";
        return [.. frames.Select(f => new FramePart(contentType, pixels.GetFrame(f - 1).Pixels))];
    }

    private static FramePart[] Encoded(DicomPixelData pixels, IReadOnlyList<int> frames, DicomTransferSyntax target)
    {
        var encoder = DicomCodecRegistry.Default.GetEncoder(target);
        var contentType = $"{DicomMediaTypes.FrameMediaType(target)}; transfer-syntax={target.UidValue}";
        return [.. frames.Select(f =>
        {
            var decoded = pixels.GetFrame(f - 1);
            return new FramePart(contentType, encoder.Encode(decoded.Pixels.Span, decoded.Format).Data);
        })];
    }
}
