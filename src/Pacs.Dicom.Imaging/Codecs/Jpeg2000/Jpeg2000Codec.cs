using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Codecs.Jpeg2000;

/// <summary>
/// JPEG 2000 (.90 lossless, .91) and HTJ2K (.201–.203) through OpenJPEG. Decodes raw codestreams and JP2-wrapped ones;
/// lossy output is clamped to the Bits Stored range. Encodes .90 (5/3 reversible, RCT for colour) and .91 (9/7, ICT, rate 10).
/// </summary>
public sealed unsafe class Jpeg2000Codec : IDicomCodec
{
    private const float LossyCompressionRatio = 10f;

    public Jpeg2000Codec(DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(transferSyntax);
        TransferSyntax = transferSyntax;
    }

    public DicomTransferSyntax TransferSyntax { get; }

    public bool CanEncode => TransferSyntax.UidValue == DicomTransferSyntax.JPEG2000Lossless.UidValue
        || TransferSyntax.UidValue == DicomTransferSyntax.JPEG2000.UidValue;

    private bool IsLossyEncoder => TransferSyntax.UidValue == DicomTransferSyntax.JPEG2000.UidValue;

    public DecodedFrame Decode(ReadOnlyMemory<byte> encoded, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var codestream = Codestream(encoded.Span);
        ValidateSize(codestream, format);
        using var stream = OpenJpegStream.ForInput(codestream.ToArray());
        var codec = OpenJpegNative.opj_create_decompress(OpenJpegNative.CodecJ2K);
        var parameters = Marshal.AllocHGlobal(OpenJpegNative.DecoderParametersSize);
        var image = IntPtr.Zero;
        try
        {
            _ = OpenJpegNative.opj_set_error_handler(codec, &OpenJpegStream.OnError, stream.UserData);
            OpenJpegNative.opj_set_default_decoder_parameters(parameters);
            if (OpenJpegNative.opj_setup_decoder(codec, parameters) == 0
                || OpenJpegNative.opj_read_header(stream.Native, codec, out image) == 0
                || OpenJpegNative.opj_decode(codec, stream.Native, image) == 0
                || OpenJpegNative.opj_end_decompress(codec, stream.Native) == 0)
            {
                throw new DicomCodecException("JPEG 2000 frame is corrupt: " + (stream.LastError ?? "OpenJPEG failed"));
            }

            return new DecodedFrame(ReadImage((byte*)image, format), FrameSamples.Decoded(format, DecodedPhotometric(format)));
        }
        finally
        {
            if (image != IntPtr.Zero)
            {
                OpenJpegNative.opj_image_destroy(image);
            }

            OpenJpegNative.opj_destroy_codec(codec);
            Marshal.FreeHGlobal(parameters);
        }
    }

    public EncodedFrame Encode(ReadOnlySpan<byte> pixels, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (!CanEncode || format.BitsAllocated is not (8 or 16) || format.SamplesPerPixel is not (1 or 3) || format.PhotometricInterpretation == "YBR_FULL_422")
        {
            throw new DicomCodecException($"JPEG 2000 encoding takes 8- or 16-bit grey or colour frames, not {format.BitsAllocated}-bit {format.PhotometricInterpretation}.");
        }

        if (!OpenJpegNative.IsSupportedVersion)
        {
            throw new DicomCodecException($"JPEG 2000 encoding needs OpenJPEG 2.5, not {OpenJpegNative.Version}.");
        }

        if (pixels.Length < format.DecodedFrameLength)
        {
            throw new DicomCodecException($"Frame of {pixels.Length} bytes is shorter than {format.DecodedFrameLength}.");
        }

        var input = format.PlanarConfiguration == 1 ? FrameSamples.Interleave(pixels, format) : pixels;
        var components = format.SamplesPerPixel;
        var precision = format.BitsStored;
        var componentParameters = Marshal.AllocHGlobal(OpenJpegNative.ComponentParameterSize * components);
        IntPtr image;
        try
        {
            for (var c = 0; c < components; c++)
            {
                var p = (uint*)(componentParameters + (c * OpenJpegNative.ComponentParameterSize));
                p[0] = 1;
                p[1] = 1;
                p[2] = (uint)format.Columns;
                p[3] = (uint)format.Rows;
                p[4] = 0;
                p[5] = 0;
                p[6] = (uint)precision;
                p[7] = (uint)precision;
                p[8] = format.IsSigned ? 1u : 0u;
            }

            image = OpenJpegNative.opj_image_create((uint)components, componentParameters, components == 3 ? OpenJpegNative.ColorSpaceSrgb : OpenJpegNative.ColorSpaceGray);
        }
        finally
        {
            Marshal.FreeHGlobal(componentParameters);
        }

        if (image == IntPtr.Zero)
        {
            throw new DicomCodecException("OpenJPEG could not create an image.");
        }

        var encoderParameters = Marshal.AllocHGlobal(OpenJpegNative.EncoderParametersSize);
        var codec = OpenJpegNative.opj_create_compress(OpenJpegNative.CodecJ2K);
        try
        {
            var img = (byte*)image;
            *(uint*)(img + OpenJpegNative.ImageX1) = (uint)format.Columns;
            *(uint*)(img + OpenJpegNative.ImageY1) = (uint)format.Rows;
            WriteImage(img, input, format);
            OpenJpegNative.opj_set_default_encoder_parameters(encoderParameters);
            var cp = (byte*)encoderParameters;
            *(int*)(cp + OpenJpegNative.EncoderNumLayers) = 1;
            *(float*)(cp + OpenJpegNative.EncoderRates) = IsLossyEncoder ? LossyCompressionRatio : 0f;
            *(int*)(cp + OpenJpegNative.EncoderDistoAlloc) = 1;
            *(int*)(cp + OpenJpegNative.EncoderIrreversible) = IsLossyEncoder ? 1 : 0;
            *(cp + OpenJpegNative.EncoderMct) = (byte)(components == 3 ? 1 : 0);
            using var stream = OpenJpegStream.ForOutput((int)(format.DecodedFrameLength / 2));
            _ = OpenJpegNative.opj_set_error_handler(codec, &OpenJpegStream.OnError, stream.UserData);
            if (OpenJpegNative.opj_setup_encoder(codec, encoderParameters, image) == 0
                || OpenJpegNative.opj_start_compress(codec, image, stream.Native) == 0
                || OpenJpegNative.opj_encode(codec, stream.Native) == 0
                || OpenJpegNative.opj_end_compress(codec, stream.Native) == 0)
            {
                throw new DicomCodecException("JPEG 2000 encoding failed: " + (stream.LastError ?? "OpenJPEG failed"));
            }

            var data = stream.ToArray();
            if ((data.Length & 1) != 0)
            {
                Array.Resize(ref data, data.Length + 1);
            }

            var photometric = components == 3 ? (IsLossyEncoder ? "YBR_ICT" : "YBR_RCT") : null;
            return new EncodedFrame(data, FrameSamples.Decoded(format, photometric));
        }
        finally
        {
            OpenJpegNative.opj_destroy_codec(codec);
            OpenJpegNative.opj_image_destroy(image);
            Marshal.FreeHGlobal(encoderParameters);
        }
    }

    private static string? DecodedPhotometric(PixelFormat format) =>
        format.PhotometricInterpretation is "YBR_RCT" or "YBR_ICT" ? "RGB" : null;

    // DICOM asks for a raw codestream, but some writers embed a JP2 file; its 'jp2c' box holds the codestream.
    private static ReadOnlySpan<byte> Codestream(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 4 && data[0] == 0xFF && data[1] == 0x4F && data[2] == 0xFF && data[3] == 0x51)
        {
            return data;
        }

        if (data.Length >= 12 && data[4] == (byte)'j' && data[5] == (byte)'P' && data[6] == 0x20 && data[7] == 0x20)
        {
            var pos = 0;
            while (pos + 8 <= data.Length)
            {
                long length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
                var header = 8;
                if (length == 1 && pos + 16 <= data.Length)
                {
                    length = (long)BinaryPrimitives.ReadUInt64BigEndian(data[(pos + 8)..]);
                    header = 16;
                }
                else if (length == 0)
                {
                    length = data.Length - pos;
                }

                if (length < header || pos + length > data.Length)
                {
                    break;
                }

                if (data.Slice(pos + 4, 4).SequenceEqual("jp2c"u8))
                {
                    return data.Slice(pos + header, (int)length - header);
                }

                pos += (int)length;
            }
        }

        throw new DicomCodecException("JPEG 2000 frame holds neither a codestream (SOC, SIZ) nor a JP2 file with one.");
    }

    // Checking SIZ before OpenJPEG runs keeps a corrupt header from allocating a huge image in native code.
    private static void ValidateSize(ReadOnlySpan<byte> codestream, PixelFormat format)
    {
        if (codestream.Length < 42)
        {
            throw new DicomCodecException("JPEG 2000 codestream is shorter than its SIZ segment.");
        }

        var siz = codestream[4..];
        var width = (long)BinaryPrimitives.ReadUInt32BigEndian(siz[4..]) - BinaryPrimitives.ReadUInt32BigEndian(siz[12..]);
        var height = (long)BinaryPrimitives.ReadUInt32BigEndian(siz[8..]) - BinaryPrimitives.ReadUInt32BigEndian(siz[16..]);
        int components = BinaryPrimitives.ReadUInt16BigEndian(siz[36..]);
        if (width != format.Columns || height != format.Rows || components != format.SamplesPerPixel || codestream.Length < 42 + (3 * components))
        {
            throw new DicomCodecException($"JPEG 2000 frame is {width}x{height}x{components}; the dataset says {format.Columns}x{format.Rows}x{format.SamplesPerPixel}.");
        }

        for (var c = 0; c < components; c++)
        {
            var ssiz = siz[38 + (3 * c)];
            if ((ssiz & 0x7F) + 1 > 32 || siz[39 + (3 * c)] != 1 || siz[40 + (3 * c)] != 1)
            {
                throw new DicomCodecException("JPEG 2000 frames with subsampled or over-deep components are not supported.");
            }
        }
    }

    private static byte[] ReadImage(byte* image, PixelFormat format)
    {
        var components = (int)*(uint*)(image + OpenJpegNative.ImageNumComps);
        var comps = *(byte**)(image + OpenJpegNative.ImageComps);
        if (components != format.SamplesPerPixel || comps == null)
        {
            throw new DicomCodecException($"JPEG 2000 frame decodes to {components} components; {format.SamplesPerPixel} expected.");
        }

        var n = format.PixelCount;
        var bytesPerSample = format.BytesPerSample;
        var output = new byte[(long)n * components * bytesPerSample];
        for (var c = 0; c < components; c++)
        {
            var comp = comps + (c * OpenJpegNative.CompSize);
            var w = *(uint*)(comp + OpenJpegNative.CompW);
            var h = *(uint*)(comp + OpenJpegNative.CompH);
            var signed = *(uint*)(comp + OpenJpegNative.CompSgnd) != 0;
            var data = *(int**)(comp + OpenJpegNative.CompData);
            if (w != format.Columns || h != format.Rows || data == null)
            {
                throw new DicomCodecException($"JPEG 2000 component {c} is {w}x{h}; {format.Columns}x{format.Rows} expected.");
            }

            // Lossy wavelets overshoot: clamp to the range of Bits Stored (the codestream's precision may be wider).
            var bits = Math.Clamp(format.BitsStored, 1, 31);
            long lo = signed ? -(1L << (bits - 1)) : 0;
            long hi = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
            for (var i = 0; i < n; i++)
            {
                var v = (int)Math.Clamp(data[i], lo, hi);
                var o = ((i * components) + c) * bytesPerSample;
                switch (bytesPerSample)
                {
                    case 1:
                        output[o] = (byte)v;
                        break;
                    case 2:
                        output[o] = (byte)v;
                        output[o + 1] = (byte)(v >> 8);
                        break;
                    default:
                        BinaryPrimitives.WriteInt32LittleEndian(output.AsSpan(o), v);
                        break;
                }
            }
        }

        return output;
    }

    private static void WriteImage(byte* image, ReadOnlySpan<byte> input, PixelFormat format)
    {
        var components = format.SamplesPerPixel;
        var comps = *(byte**)(image + OpenJpegNative.ImageComps);
        var n = format.PixelCount;
        var shift = 32 - format.BitsStored;
        for (var c = 0; c < components; c++)
        {
            var data = *(int**)(comps + (c * OpenJpegNative.CompSize) + OpenJpegNative.CompData);
            for (var i = 0; i < n; i++)
            {
                var index = (i * components) + c;
                var raw = format.BitsAllocated == 8 ? input[index] : BinaryPrimitives.ReadUInt16LittleEndian(input[(index * 2)..]);
                // Keep only the stored bits, sign-extended for two's complement data.
                data[i] = format.IsSigned ? (raw << shift) >> shift : (int)((uint)(raw << shift) >> shift);
            }
        }
    }
}
