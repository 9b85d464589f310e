using System.Buffers.Binary;

namespace Pacs.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Our own decoder for the lossless process 14 (ITU-T T.81 Annex H, SOF3, Huffman coded), every predictor 1–7,
/// precision 2–16, point transform, restart intervals, interleaved or one-component scans.
/// </summary>
internal static class JpegLosslessDecoder
{
    private const int MaxComponents = 4;

    public sealed record Result(byte[] Samples, int Width, int Height, int Components, int Precision);

    public static Result Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            throw new DicomCodecException("JPEG lossless frame does not start with SOI.");
        }

        var tables = new LosslessHuffmanTable?[4];
        var restartInterval = 0;
        var precision = 0;
        var width = 0;
        var height = 0;
        var componentIds = Array.Empty<byte>();
        int[]? samples = null;
        var pos = 2;
        while (true)
        {
            var marker = NextMarker(data, ref pos);
            if (marker == 0xD9)
            {
                break;
            }

            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                continue;
            }

            if (pos + 2 > data.Length)
            {
                throw new DicomCodecException("JPEG lossless frame is truncated inside a marker segment.");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2 || pos + length > data.Length)
            {
                throw new DicomCodecException($"JPEG marker FF{marker:X2} segment length {length} passes the end of the frame.");
            }

            var segment = data.Slice(pos + 2, length - 2);
            pos += length;
            switch (marker)
            {
                case 0xC3:
                    (precision, height, width, componentIds) = ReadFrameHeader(segment);
                    samples = new int[checked(width * height * componentIds.Length)];
                    break;
                case 0xC0 or 0xC1 or 0xC2 or 0xC5 or 0xC6 or 0xC7 or 0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF:
                    throw new DicomCodecException($"JPEG frame uses process SOF{marker - 0xC0}; only lossless SOF3 is decoded here.");
                case 0xC4:
                    ReadHuffmanTables(segment, tables);
                    break;
                case 0xDD:
                    restartInterval = segment.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(segment) : 0;
                    break;
                case 0xDA:
                    if (samples is null)
                    {
                        throw new DicomCodecException("JPEG scan precedes its SOF3 frame header.");
                    }

                    pos = DecodeScan(data, pos, segment, tables, restartInterval, precision, width, height, componentIds, samples);
                    break;
                default:
                    break;
            }

            if (samples is not null && pos >= data.Length)
            {
                break;
            }
        }

        if (samples is null)
        {
            throw new DicomCodecException("JPEG lossless frame has no SOF3 frame header.");
        }

        return new Result(Pack(samples, precision), width, height, componentIds.Length, precision);
    }

    private static int NextMarker(ReadOnlySpan<byte> data, ref int pos)
    {
        // Tolerate fill bytes and garbage between segments the way libjpeg does: skip to the next 0xFF xx.
        while (pos + 1 < data.Length)
        {
            if (data[pos] == 0xFF && data[pos + 1] != 0xFF && data[pos + 1] != 0x00)
            {
                var marker = data[pos + 1];
                pos += 2;
                return marker;
            }

            pos++;
        }

        return 0xD9;
    }

    private static (int Precision, int Height, int Width, byte[] Ids) ReadFrameHeader(ReadOnlySpan<byte> s)
    {
        if (s.Length < 6)
        {
            throw new DicomCodecException("JPEG SOF3 header is truncated.");
        }

        int precision = s[0];
        int height = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
        int width = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
        int count = s[5];
        if (precision is < 2 or > 16 || width == 0 || height == 0 || count is 0 or > MaxComponents || s.Length < 6 + (3 * count))
        {
            throw new DicomCodecException($"JPEG SOF3 header is invalid: precision {precision}, {width}x{height}, {count} components.");
        }

        var ids = new byte[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = s[6 + (3 * i)];
            if (s[7 + (3 * i)] != 0x11)
            {
                throw new DicomCodecException("JPEG lossless frames with subsampled components are not supported.");
            }
        }

        return (precision, height, width, ids);
    }

    private static void ReadHuffmanTables(ReadOnlySpan<byte> s, LosslessHuffmanTable?[] tables)
    {
        var p = 0;
        while (p < s.Length)
        {
            if (p + 17 > s.Length)
            {
                throw new DicomCodecException("JPEG DHT segment is truncated.");
            }

            var tcth = s[p];
            var counts = s.Slice(p + 1, 16);
            var total = 0;
            foreach (var c in counts)
            {
                total += c;
            }

            if (p + 17 + total > s.Length || (tcth & 0x0F) > 3 || total > 256)
            {
                throw new DicomCodecException("JPEG DHT segment is invalid.");
            }

            // Lossless scans use only the DC class; AC tables may still be present and are ignored.
            if ((tcth >> 4) == 0)
            {
                tables[tcth & 0x0F] = new LosslessHuffmanTable(counts, s.Slice(p + 17, total));
            }

            p += 17 + total;
        }
    }

    private static int DecodeScan(
        ReadOnlySpan<byte> data, int pos, ReadOnlySpan<byte> header, LosslessHuffmanTable?[] tables, int restartInterval,
        int precision, int width, int height, byte[] componentIds, int[] samples)
    {
        if (header.Length < 1 || header.Length < 1 + (2 * header[0]) + 3)
        {
            throw new DicomCodecException("JPEG SOS header is truncated.");
        }

        int ns = header[0];
        var nc = componentIds.Length;
        Span<int> comp = stackalloc int[MaxComponents];
        var scanTables = new LosslessHuffmanTable[ns];
        for (var i = 0; i < ns; i++)
        {
            var index = Array.IndexOf(componentIds, header[1 + (2 * i)]);
            var table = tables[header[2 + (2 * i)] >> 4];
            if (index < 0 || table is null)
            {
                throw new DicomCodecException("JPEG SOS names an unknown component or Huffman table.");
            }

            comp[i] = index;
            scanTables[i] = table;
        }

        int predictor = header[1 + (2 * ns)];
        int pointTransform = header[3 + (2 * ns)] & 0x0F;
        if (predictor is < 1 or > 7 || pointTransform >= precision)
        {
            throw new DicomCodecException($"JPEG lossless scan has predictor {predictor}, point transform {pointTransform}.");
        }

        var initial = 1 << (precision - pointTransform - 1);
        var reader = new JpegBitReader(data, pos);
        var mcusToRestart = restartInterval;
        var resetRow = 0;
        var resetCol = 0;
        var fresh = true;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (restartInterval > 0)
                {
                    if (mcusToRestart == 0)
                    {
                        reader.Restart();
                        mcusToRestart = restartInterval;
                        fresh = true;
                    }

                    mcusToRestart--;
                }

                if (fresh)
                {
                    resetRow = y;
                    resetCol = x;
                }

                for (var i = 0; i < ns; i++)
                {
                    var c = comp[i];
                    var index = (((y * width) + x) * nc) + c;
                    int prediction;
                    if (fresh)
                    {
                        prediction = initial;
                    }
                    else if (y == resetRow)
                    {
                        prediction = samples[index - nc];
                    }
                    else if (x == 0 || (y == resetRow + 1 && x < resetCol))
                    {
                        prediction = samples[index - (width * nc)];
                    }
                    else
                    {
                        var ra = samples[index - nc];
                        var rb = samples[index - (width * nc)];
                        var rc = samples[index - (width * nc) - nc];
                        prediction = predictor switch
                        {
                            1 => ra,
                            2 => rb,
                            3 => rc,
                            4 => ra + rb - rc,
                            5 => ra + ((rb - rc) >> 1),
                            6 => rb + ((ra - rc) >> 1),
                            _ => (ra + rb) >> 1,
                        };
                    }

                    samples[index] = (prediction + ReadDifference(ref reader, scanTables[i])) & 0xFFFF;
                }

                fresh = false;
            }
        }

        if (reader.Padding > 8)
        {
            throw new DicomCodecException("JPEG lossless scan is truncated.");
        }

        if (pointTransform > 0)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = (samples[i] << pointTransform) & 0xFFFF;
            }
        }

        return reader.Position;
    }

    private static int ReadDifference(ref JpegBitReader reader, LosslessHuffmanTable table)
    {
        var ssss = table.Decode(ref reader);
        if (ssss == 0)
        {
            return 0;
        }

        if (ssss == 16)
        {
            return 32768;
        }

        if (ssss > 16)
        {
            throw new DicomCodecException($"JPEG lossless difference category {ssss} is invalid.");
        }

        var bits = (int)reader.Read(ssss);
        return bits < (1 << (ssss - 1)) ? bits - (1 << ssss) + 1 : bits;
    }

    private static byte[] Pack(int[] samples, int precision)
    {
        if (precision <= 8)
        {
            var bytes = new byte[samples.Length];
            for (var i = 0; i < samples.Length; i++)
            {
                bytes[i] = (byte)samples[i];
            }

            return bytes;
        }

        var wide = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(wide.AsSpan(i * 2), (ushort)samples[i]);
        }

        return wide;
    }
}
