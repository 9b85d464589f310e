using System.Buffers.Binary;
using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Codecs.Rle;

/// <summary>
/// RLE Lossless (PS3.5 Annex G): one PackBits segment per byte of each sample, most significant byte first,
/// behind a 64-byte header of 15 segment offsets.
/// </summary>
public sealed class RleCodec : IDicomCodec
{
    private const int HeaderLength = 64;
    private const int MaxSegments = 15;

    public DicomTransferSyntax TransferSyntax => DicomTransferSyntax.RLELossless;

    public bool CanEncode => true;

    public DecodedFrame Decode(ReadOnlyMemory<byte> encoded, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var data = encoded.Span;
        var bytesPerSample = format.BytesPerSample;
        var spp = format.SamplesPerPixel;
        var expectedSegments = bytesPerSample * spp;
        if (data.Length < HeaderLength)
        {
            throw new DicomCodecException($"RLE frame of {data.Length} bytes is shorter than its 64-byte header.");
        }

        var segmentCount = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (segmentCount != expectedSegments)
        {
            throw new DicomCodecException($"RLE frame has {segmentCount} segments; {expectedSegments} expected for {spp} samples of {format.BitsAllocated} bits.");
        }

        var pixels = format.PixelCount;
        var output = new byte[(long)pixels * spp * bytesPerSample];
        var stride = spp * bytesPerSample;
        for (var s = 0; s < segmentCount; s++)
        {
            var start = BinaryPrimitives.ReadUInt32LittleEndian(data[(4 + (s * 4))..]);
            var end = s + 1 < segmentCount ? BinaryPrimitives.ReadUInt32LittleEndian(data[(4 + ((s + 1) * 4))..]) : (uint)data.Length;
            if (start < HeaderLength || end > data.Length || start > end)
            {
                throw new DicomCodecException($"RLE segment {s} offsets {start}..{end} lie outside the {data.Length}-byte frame.");
            }

            var sample = s / bytesPerSample;
            var byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
            DecodeSegment(data[(int)start..(int)end], output, (sample * bytesPerSample) + byteInSample, stride, pixels);
        }

        return new DecodedFrame(output, format with { PlanarConfiguration = 0 });
    }

    public EncodedFrame Encode(ReadOnlySpan<byte> pixels, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var bytesPerSample = format.BytesPerSample;
        var spp = format.SamplesPerPixel;
        var segments = bytesPerSample * spp;
        if (segments > MaxSegments || format.PhotometricInterpretation == "YBR_FULL_422")
        {
            throw new DicomCodecException($"RLE cannot carry {spp} samples of {format.BitsAllocated} bits ({format.PhotometricInterpretation}).");
        }

        if (pixels.Length < format.DecodedFrameLength)
        {
            throw new DicomCodecException($"Frame of {pixels.Length} bytes is shorter than {format.DecodedFrameLength}.");
        }

        using var output = new MemoryStream((int)(format.DecodedFrameLength + HeaderLength));
        output.Write(new byte[HeaderLength]);
        var header = new byte[HeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)segments);
        var row = new byte[format.Columns];
        var planar = format.PlanarConfiguration == 1;
        var planeLength = format.PixelCount * bytesPerSample;
        for (var s = 0; s < segments; s++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4 + (s * 4)), (uint)output.Position);
            var sample = s / bytesPerSample;
            var byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
            for (var y = 0; y < format.Rows; y++)
            {
                for (var x = 0; x < format.Columns; x++)
                {
                    var p = (y * format.Columns) + x;
                    row[x] = planar
                        ? pixels[(sample * planeLength) + (p * bytesPerSample) + byteInSample]
                        : pixels[(((p * spp) + sample) * bytesPerSample) + byteInSample];
                }

                PackBits(row, output);
            }

            if ((output.Position & 1) != 0)
            {
                output.WriteByte(0);
            }
        }

        var result = output.ToArray();
        header.CopyTo(result, 0);
        return new EncodedFrame(result, format with { PlanarConfiguration = 0 });
    }

    private static void DecodeSegment(ReadOnlySpan<byte> segment, byte[] output, int offset, int stride, int count)
    {
        var written = 0;
        var o = offset;
        var i = 0;
        while (written < count && i < segment.Length)
        {
            var n = (sbyte)segment[i++];
            if (n >= 0)
            {
                var literal = n + 1;
                if (i + literal > segment.Length || written + literal > count)
                {
                    throw new DicomCodecException("RLE literal run passes the end of its segment or of the frame.");
                }

                for (var k = 0; k < literal; k++, o += stride)
                {
                    output[o] = segment[i + k];
                }

                i += literal;
                written += literal;
            }
            else if (n != -128)
            {
                var repeat = 1 - n;
                if (i >= segment.Length || written + repeat > count)
                {
                    throw new DicomCodecException("RLE replicate run passes the end of its segment or of the frame.");
                }

                var value = segment[i++];
                for (var k = 0; k < repeat; k++, o += stride)
                {
                    output[o] = value;
                }

                written += repeat;
            }
        }

        if (written < count)
        {
            throw new DicomCodecException($"RLE segment ends after {written} of {count} bytes.");
        }
    }

    // PackBits of one row (rows never share a run, PS3.5 G.3.1): replicate runs of 3 or more, literals otherwise.
    private static void PackBits(ReadOnlySpan<byte> row, MemoryStream output)
    {
        var i = 0;
        while (i < row.Length)
        {
            var run = 1;
            while (i + run < row.Length && run < 128 && row[i + run] == row[i])
            {
                run++;
            }

            if (run >= 3)
            {
                output.WriteByte((byte)(1 - run));
                output.WriteByte(row[i]);
                i += run;
                continue;
            }

            var start = i;
            var length = 0;
            while (i < row.Length && length < 128)
            {
                if (i + 2 < row.Length && row[i] == row[i + 1] && row[i] == row[i + 2])
                {
                    break;
                }

                i++;
                length++;
            }

            output.WriteByte((byte)(length - 1));
            output.Write(row.Slice(start, length));
        }
    }
}
