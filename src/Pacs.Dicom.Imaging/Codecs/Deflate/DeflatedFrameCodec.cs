using System.IO.Compression;
using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Codecs.Deflate;

/// <summary>Deflated Image Frame Compression (1.2.840.10008.1.2.8.1): each frame is the native frame, deflated (RFC 1951).</summary>
public sealed class DeflatedFrameCodec : IDicomCodec
{
    public DicomTransferSyntax TransferSyntax => DicomTransferSyntax.DeflatedImageFrameCompression;

    public bool CanEncode => true;

    public DecodedFrame Decode(ReadOnlyMemory<byte> encoded, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        // 1-bit frames are deflated packed (eight pixels a byte) and unpacked after inflating.
        var packed = format.BitsAllocated == 1;
        var expected = packed ? (format.FrameBits + 7) / 8 : format.DecodedFrameLength;
        var output = new byte[expected];
        try
        {
            using var input = new MemoryStream(encoded.ToArray(), writable: false);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            var read = 0;
            while (read < output.Length)
            {
                var n = inflater.Read(output, read, output.Length - read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            if (read < output.Length)
            {
                throw new DicomCodecException($"Deflated frame inflates to {read} bytes; {expected} expected.");
            }
        }
        catch (InvalidDataException ex)
        {
            throw new DicomCodecException("Deflated frame is corrupt: " + ex.Message, ex);
        }

        return packed
            ? new DecodedFrame(DicomPixelData.UnpackBits(output, 0, format.SamplesPerFrame), format with { BitsAllocated = 8 })
            : new DecodedFrame(output, format);
    }

    public EncodedFrame Encode(ReadOnlySpan<byte> pixels, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        using var output = new MemoryStream();
        using (var deflater = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflater.Write(pixels[..(int)Math.Min(pixels.Length, format.DecodedFrameLength)]);
        }

        if ((output.Length & 1) != 0)
        {
            output.WriteByte(0);
        }

        return new EncodedFrame(output.ToArray(), format);
    }
}
