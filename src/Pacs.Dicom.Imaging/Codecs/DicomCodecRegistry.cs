using System.Collections.Frozen;
using Pacs.Dicom.Imaging.Codecs.Deflate;
using Pacs.Dicom.Imaging.Codecs.Jpeg;
using Pacs.Dicom.Imaging.Codecs.Jpeg2000;
using Pacs.Dicom.Imaging.Codecs.JpegLs;
using Pacs.Dicom.Imaging.Codecs.Rle;

namespace Pacs.Dicom.Imaging.Codecs;

/// <summary>The codecs known to the pixel pipeline, keyed by transfer syntax UID; used for both decode and encode.</summary>
public sealed class DicomCodecRegistry
{
    private readonly FrozenDictionary<string, IDicomCodec> _codecs;

    public DicomCodecRegistry(IEnumerable<IDicomCodec> codecs)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        _codecs = codecs.ToFrozenDictionary(c => c.TransferSyntax.UidValue, StringComparer.Ordinal);
    }

    /// <summary>Every codec of this library: JPEG (turbojpeg, JpegLibrary, own lossless), RLE, JPEG-LS, JPEG 2000/HTJ2K, deflate.</summary>
    public static DicomCodecRegistry Default { get; } = new(
    [
        new JpegBaselineCodec(),
        new JpegExtendedCodec(),
        new JpegLosslessCodec(DicomTransferSyntax.JPEGLossless),
        new JpegLosslessCodec(DicomTransferSyntax.JPEGLosslessSV1),
        new RleCodec(),
        new JpegLsCodec(DicomTransferSyntax.JPEGLSLossless),
        new JpegLsCodec(DicomTransferSyntax.JPEGLSNearLossless),
        new Jpeg2000Codec(DicomTransferSyntax.JPEG2000Lossless),
        new Jpeg2000Codec(DicomTransferSyntax.JPEG2000),
        new Jpeg2000Codec(DicomTransferSyntax.HTJ2KLossless),
        new Jpeg2000Codec(DicomTransferSyntax.HTJ2KLosslessRPCL),
        new Jpeg2000Codec(DicomTransferSyntax.HTJ2K),
        new DeflatedFrameCodec(),
    ]);

    public IReadOnlyCollection<IDicomCodec> Codecs => _codecs.Values;

    public bool TryGetCodec(DicomTransferSyntax transferSyntax, out IDicomCodec codec)
    {
        ArgumentNullException.ThrowIfNull(transferSyntax);
        return _codecs.TryGetValue(transferSyntax.UidValue, out codec!);
    }

    public IDicomCodec GetDecoder(DicomTransferSyntax transferSyntax) =>
        TryGetCodec(transferSyntax, out var codec)
            ? codec
            : throw new DicomCodecException($"No codec decodes transfer syntax {transferSyntax.UidValue} ({transferSyntax.Name}).");

    public IDicomCodec GetEncoder(DicomTransferSyntax transferSyntax) =>
        TryGetCodec(transferSyntax, out var codec) && codec.CanEncode
            ? codec
            : throw new DicomCodecException($"No codec encodes transfer syntax {transferSyntax.UidValue} ({transferSyntax.Name}).");
}
