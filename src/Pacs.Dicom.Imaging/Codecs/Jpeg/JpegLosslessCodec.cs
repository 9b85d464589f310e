using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// JPEG Lossless (Process 14), .57 (any predictor) and .70 (first-order prediction), through our own Annex H decoder.
/// JpegLibrary is exact for .70 too and stays available (<c>useJpegLibraryForSv1</c>), but measured 3x slower on 512² CT.
/// </summary>
public sealed class JpegLosslessCodec : IDicomCodec
{
    private readonly bool _anyPredictor;

    public JpegLosslessCodec(DicomTransferSyntax transferSyntax, bool useJpegLibraryForSv1 = false)
    {
        ArgumentNullException.ThrowIfNull(transferSyntax);
        TransferSyntax = transferSyntax;
        _anyPredictor = !useJpegLibraryForSv1 || transferSyntax.UidValue == DicomTransferSyntax.JPEGLossless.UidValue;
    }

    public DicomTransferSyntax TransferSyntax { get; }

    public bool CanEncode => false;

    public DecodedFrame Decode(ReadOnlyMemory<byte> encoded, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        byte[] samples;
        int precision, components, width, height;
        if (_anyPredictor)
        {
            var r = JpegLosslessDecoder.Decode(encoded.Span);
            (samples, precision, components, width, height) = (r.Samples, r.Precision, r.Components, r.Width, r.Height);
        }
        else
        {
            var r = JpegLibraryDecoder.Decode(encoded, format.Columns, format.Rows);
            (samples, precision, components, width, height) = (r.Samples, r.Precision, r.Components, r.Width, r.Height);
        }

        if (width != format.Columns || height != format.Rows)
        {
            throw new DicomCodecException($"JPEG frame is {width}x{height}; the dataset says {format.Columns}x{format.Rows}.");
        }

        return new DecodedFrame(FrameSamples.Fit(samples, precision > 8 ? 2 : 1, format, components), FrameSamples.Decoded(format));
    }

    public EncodedFrame Encode(ReadOnlySpan<byte> pixels, PixelFormat format) =>
        throw new DicomCodecException("JPEG lossless encoding is not provided; use JPEG-LS, JPEG 2000 or RLE for lossless compression.");
}
