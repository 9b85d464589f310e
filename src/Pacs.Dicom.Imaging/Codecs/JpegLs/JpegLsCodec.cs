using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Codecs.JpegLs;

/// <summary>
/// JPEG-LS lossless (.80) and near-lossless (.81) through CharLS. JPEG-LS has no signed samples, so two's complement words
/// are coded as unsigned Bits Stored-bit values (what DCMTK and GDCM do too); encoding is lossless.
/// </summary>
public sealed unsafe class JpegLsCodec : IDicomCodec
{
    public JpegLsCodec(DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(transferSyntax);
        TransferSyntax = transferSyntax;
    }

    public DicomTransferSyntax TransferSyntax { get; }

    public bool CanEncode => TransferSyntax.UidValue == DicomTransferSyntax.JPEGLSLossless.UidValue;

    public DecodedFrame Decode(ReadOnlyMemory<byte> encoded, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var span = encoded.Span;
        var decoder = CharLsNative.charls_jpegls_decoder_create();
        if (decoder == IntPtr.Zero)
        {
            throw new DicomCodecException("CharLS could not create a decoder.");
        }

        try
        {
            fixed (byte* source = span)
            {
                CharLsNative.Check(CharLsNative.charls_jpegls_decoder_set_source_buffer(decoder, source, (nuint)span.Length), "source");
                CharLsNative.Check(CharLsNative.charls_jpegls_decoder_read_header(decoder), "header");
                CharLsNative.Check(CharLsNative.charls_jpegls_decoder_get_frame_info(decoder, out var info), "frame info");
                if (info.Width != format.Columns || info.Height != format.Rows || info.ComponentCount != format.SamplesPerPixel || info.BitsPerSample is < 2 or > 16)
                {
                    throw new DicomCodecException($"JPEG-LS frame is {info.Width}x{info.Height}x{info.ComponentCount} at {info.BitsPerSample} bits; the dataset says {format.Columns}x{format.Rows}x{format.SamplesPerPixel}.");
                }

                CharLsNative.Check(CharLsNative.charls_jpegls_decoder_get_interleave_mode(decoder, out var interleave), "interleave mode");
                CharLsNative.Check(CharLsNative.charls_jpegls_decoder_get_destination_size(decoder, 0, out var size), "destination size");
                var bytesPerSample = info.BitsPerSample > 8 ? 2 : 1;
                var expected = (long)info.Width * info.Height * info.ComponentCount * bytesPerSample;
                if ((long)size != expected)
                {
                    throw new DicomCodecException($"JPEG-LS frame needs {size} bytes; {expected} expected.");
                }

                var output = new byte[expected];
                fixed (byte* destination = output)
                {
                    CharLsNative.Check(CharLsNative.charls_jpegls_decoder_decode_to_buffer(decoder, destination, size, 0), "decode");
                }

                var samplesFormat = format with { BitsAllocated = bytesPerSample * 8 };
                if (interleave == CharLsNative.InterleaveNone && info.ComponentCount > 1)
                {
                    output = FrameSamples.Interleave(output, samplesFormat);
                }

                return new DecodedFrame(FrameSamples.Fit(output, bytesPerSample, format, info.ComponentCount), FrameSamples.Decoded(format));
            }
        }
        finally
        {
            CharLsNative.charls_jpegls_decoder_destroy(decoder);
        }
    }

    public EncodedFrame Encode(ReadOnlySpan<byte> pixels, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (!CanEncode || format.BitsAllocated is not (8 or 16) || format.SamplesPerPixel is not (1 or 3) || format.PhotometricInterpretation == "YBR_FULL_422")
        {
            throw new DicomCodecException($"JPEG-LS lossless encoding takes 8- or 16-bit grey or colour-by-pixel frames, not {format.BitsAllocated}-bit {format.PhotometricInterpretation}.");
        }

        var input = format.PlanarConfiguration == 1 ? FrameSamples.Interleave(pixels, format) : pixels[..(int)format.DecodedFrameLength].ToArray();
        var bitsStored = Math.Max(2, format.BitsStored);
        if (format.BitsAllocated == 16 && bitsStored < 16)
        {
            // Bits above Bits Stored carry no value (and hold sign extension in signed data): JPEG-LS codes only the stored bits.
            var mask = (ushort)((1 << bitsStored) - 1);
            for (var i = 0; i < input.Length; i += 2)
            {
                var v = (ushort)(input[i] | (input[i + 1] << 8)) & mask;
                input[i] = (byte)v;
                input[i + 1] = (byte)(v >> 8);
            }
        }

        var encoder = CharLsNative.charls_jpegls_encoder_create();
        if (encoder == IntPtr.Zero)
        {
            throw new DicomCodecException("CharLS could not create an encoder.");
        }

        try
        {
            var info = new CharLsNative.FrameInfo { Width = (uint)format.Columns, Height = (uint)format.Rows, BitsPerSample = bitsStored, ComponentCount = format.SamplesPerPixel };
            CharLsNative.Check(CharLsNative.charls_jpegls_encoder_set_frame_info(encoder, info), "frame info");
            CharLsNative.Check(CharLsNative.charls_jpegls_encoder_set_near_lossless(encoder, 0), "near");
            if (format.SamplesPerPixel > 1)
            {
                CharLsNative.Check(CharLsNative.charls_jpegls_encoder_set_interleave_mode(encoder, CharLsNative.InterleaveSample), "interleave mode");
            }

            CharLsNative.Check(CharLsNative.charls_jpegls_encoder_set_encoding_options(encoder, CharLsNative.EncodingOptionEvenDestinationSize), "options");
            CharLsNative.Check(CharLsNative.charls_jpegls_encoder_get_estimated_destination_size(encoder, out var estimate), "estimate");
            var output = new byte[estimate];
            fixed (byte* destination = output)
            fixed (byte* source = input)
            {
                CharLsNative.Check(CharLsNative.charls_jpegls_encoder_set_destination_buffer(encoder, destination, estimate), "destination");
                CharLsNative.Check(CharLsNative.charls_jpegls_encoder_encode_from_buffer(encoder, source, (nuint)input.Length, 0), "encode");
                CharLsNative.Check(CharLsNative.charls_jpegls_encoder_get_bytes_written(encoder, out var written), "bytes written");
                return new EncodedFrame(output.AsSpan(0, (int)written).ToArray(), FrameSamples.Decoded(format));
            }
        }
        finally
        {
            CharLsNative.charls_jpegls_encoder_destroy(encoder);
        }
    }
}
