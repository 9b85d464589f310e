using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Codecs.Jpeg;

/// <summary>JPEG Extended (Process 2 and 4), 1.2.840.10008.1.2.4.51, 8- or 12-bit, decoded by JpegLibrary.</summary>
public sealed class JpegExtendedCodec : IDicomCodec
{
    public DicomTransferSyntax TransferSyntax => DicomTransferSyntax.JPEGExtended12Bit;

    public bool CanEncode => false;

    public DecodedFrame Decode(ReadOnlyMemory<byte> encoded, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var result = JpegLibraryDecoder.Decode(encoded, format.Columns, format.Rows);
        var samples = FrameSamples.Fit(result.Samples, result.Precision > 8 ? 2 : 1, format, result.Components);
        return new DecodedFrame(samples, FrameSamples.Decoded(format));
    }

    public EncodedFrame Encode(ReadOnlySpan<byte> pixels, PixelFormat format) =>
        throw new DicomCodecException("JPEG extended encoding is not provided.");
}
