using Pacs.Dicom;

namespace Pacs.Web.Http;

/// <summary>Media types of PS3.18 (Table 8.7.3-2/-5) and the transfer syntaxes they carry.</summary>
public static class DicomMediaTypes
{
    public const string Dicom = "application/dicom";
    public const string DicomJson = "application/dicom+json";
    public const string DicomXml = "application/dicom+xml";
    public const string Json = "application/json";
    public const string OctetStream = "application/octet-stream";
    public const string MultipartRelated = "multipart/related";
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string WebP = "image/webp";
    public const string Gif = "image/gif";

    /// <summary>The transfer syntax PS3.18 8.7.3.5.2 defaults to when a request names none: Explicit VR Little Endian.</summary>
    public static DicomTransferSyntax DefaultTransferSyntax => DicomTransferSyntax.ExplicitVRLittleEndian;

    /// <summary>The single-frame media type a compressed frame in <paramref name="ts"/> is sent as (octet-stream for native).</summary>
    public static string FrameMediaType(DicomTransferSyntax ts)
    {
        ArgumentNullException.ThrowIfNull(ts);
        if (!ts.IsEncapsulated)
        {
            return OctetStream;
        }

        var uid = ts.UidValue;
        if (uid == DicomTransferSyntax.JPEGBaseline8Bit.UidValue || uid == DicomTransferSyntax.JPEGExtended12Bit.UidValue
            || uid == DicomTransferSyntax.JPEGLossless.UidValue || uid == DicomTransferSyntax.JPEGLosslessSV1.UidValue)
        {
            return Jpeg;
        }

        if (uid == DicomTransferSyntax.JPEGLSLossless.UidValue || uid == DicomTransferSyntax.JPEGLSNearLossless.UidValue)
        {
            return "image/jls";
        }

        if (uid == DicomTransferSyntax.JPEG2000Lossless.UidValue || uid == DicomTransferSyntax.JPEG2000.UidValue)
        {
            return "image/jp2";
        }

        if (uid == DicomTransferSyntax.HTJ2KLossless.UidValue || uid == DicomTransferSyntax.HTJ2KLosslessRPCL.UidValue || uid == DicomTransferSyntax.HTJ2K.UidValue)
        {
            return "image/jphc";
        }

        if (uid == DicomTransferSyntax.RLELossless.UidValue)
        {
            return "image/dicom-rle";
        }

        if (uid == DicomTransferSyntax.JPEGXLLossless.UidValue || uid == DicomTransferSyntax.JPEGXLJPEGRecompression.UidValue || uid == DicomTransferSyntax.JPEGXL.UidValue)
        {
            return "image/jxl";
        }

        return OctetStream;
    }

    /// <summary>The transfer syntax a frame media type means when the request names none (PS3.18 Table 8.7.3-5).</summary>
    public static DicomTransferSyntax? DefaultTransferSyntaxOf(string mediaType) => mediaType.ToLowerInvariant() switch
    {
        OctetStream => DicomTransferSyntax.ExplicitVRLittleEndian,
        Jpeg => DicomTransferSyntax.JPEGBaseline8Bit,
        "image/jls" => DicomTransferSyntax.JPEGLSLossless,
        "image/jp2" => DicomTransferSyntax.JPEG2000Lossless,
        "image/jphc" => DicomTransferSyntax.HTJ2KLossless,
        "image/dicom-rle" or "image/x-dicom-rle" => DicomTransferSyntax.RLELossless,
        "image/jxl" => DicomTransferSyntax.JPEGXLLossless,
        _ => null,
    };
}
