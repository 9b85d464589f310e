using System.Buffers.Binary;

namespace Pacs.Dicom.Imaging.Codecs.Jpeg;

/// <summary>What the marker segments before the first scan say about a JPEG's colour components.</summary>
internal readonly record struct JpegHeaderInfo(bool HasJfif, int AdobeTransform, bool RgbComponentIds, int Components, int Precision, int FrameMarker)
{
    /// <summary>
    /// True when the components are R, G, B rather than Y, Cb, Cr (T.872 6.5.3: Adobe transform 0, or component ids 'R','G','B').
    /// </summary>
    public bool ComponentsAreRgb => Components == 3 && (AdobeTransform == 0 || RgbComponentIds);

    public static JpegHeaderInfo Read(ReadOnlySpan<byte> data)
    {
        var jfif = false;
        var adobe = -1;
        var rgbIds = false;
        var components = 0;
        var precision = 0;
        var frameMarker = 0;
        var pos = 2;
        while (pos + 4 <= data.Length)
        {
            if (data[pos] != 0xFF)
            {
                pos++;
                continue;
            }

            var marker = data[pos + 1];
            if (marker is 0xFF or 0x00 or 0x01 or >= 0xD0 and <= 0xD8)
            {
                pos++;
                continue;
            }

            if (marker is 0xDA or 0xD9)
            {
                break;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2)..]);
            var end = Math.Min(data.Length, pos + 2 + length);
            var segment = data[Math.Min(pos + 4, end)..end];
            if (marker == 0xE0 && segment.StartsWith("JFIF"u8))
            {
                jfif = true;
            }
            else if (marker == 0xEE && segment.StartsWith("Adobe"u8) && segment.Length >= 12)
            {
                adobe = segment[11];
            }
            else if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC && segment.Length >= 6)
            {
                frameMarker = marker;
                precision = segment[0];
                components = segment[5];
                rgbIds = components == 3 && segment.Length >= 15 && segment[6] == 'R' && segment[9] == 'G' && segment[12] == 'B';
            }

            pos += 2 + length;
        }

        return new JpegHeaderInfo(jfif, adobe, rgbIds, components, precision, frameMarker);
    }
}
