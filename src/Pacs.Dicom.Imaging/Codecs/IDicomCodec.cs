using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Codecs;

/// <summary>One encapsulated transfer syntax's frame codec.</summary>
public interface IDicomCodec
{
    DicomTransferSyntax TransferSyntax { get; }

    /// <summary>True when <see cref="Encode"/> is supported.</summary>
    bool CanEncode { get; }

    /// <summary>
    /// Decodes one frame described by <paramref name="format"/> (the dataset's pixel module) to colour-by-pixel
    /// little-endian samples; corrupt input is a <see cref="DicomException"/>.
    /// </summary>
    DecodedFrame Decode(ReadOnlyMemory<byte> encoded, PixelFormat format);

    /// <summary>
    /// Encodes one native frame (colour-by-pixel unless <paramref name="format"/> says otherwise); returns the encoded
    /// bytes and the pixel module the result must be described with (e.g. YBR_RCT for reversible colour JPEG 2000).
    /// </summary>
    EncodedFrame Encode(ReadOnlySpan<byte> pixels, PixelFormat format);
}

/// <summary>An encoded frame and the pixel module attributes that describe it.</summary>
public sealed record EncodedFrame(byte[] Data, PixelFormat Format);
