using System.Buffers.Binary;
using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Rendering;

/// <summary>Colour frames to 8-bit RGB: RGB, YBR_FULL, YBR_FULL_422, YBR_RCT, YBR_ICT and PALETTE COLOR.</summary>
internal static class ColorPipeline
{
    public static void Render(DicomDataset dataset, PixelFormat format, ReadOnlySpan<byte> pixels, Span<byte> rgb)
    {
        var n = format.PixelCount;
        if (format.PhotometricInterpretation == "PALETTE COLOR")
        {
            Palette(dataset, format, pixels, rgb);
            return;
        }

        if (format.SamplesPerPixel != 3)
        {
            throw new DicomException($"{format.PhotometricInterpretation} needs 3 samples per pixel, not {format.SamplesPerPixel}.");
        }

        var shift = Math.Max(0, format.BitsStored - 8);
        var full422 = format.PhotometricInterpretation == "YBR_FULL_422";
        var planar = format.PlanarConfiguration == 1 && !full422;
        var mode = format.PhotometricInterpretation switch
        {
            "YBR_FULL" or "YBR_FULL_422" or "YBR_ICT" or "YBR_PARTIAL_422" or "YBR_PARTIAL_420" => 1,
            "YBR_RCT" => 2,
            _ => 0,
        };
        for (var i = 0; i < n; i++)
        {
            int s0, s1, s2;
            if (full422)
            {
                // Two pixels share Cb and Cr: Y0 Y1 Cb Cr (PS3.3 C.7.6.3.1.2).
                var pair = (i >> 1) * 4;
                s0 = Sample(pixels, format, pair + (i & 1), shift);
                s1 = Sample(pixels, format, pair + 2, shift);
                s2 = Sample(pixels, format, pair + 3, shift);
            }
            else if (planar)
            {
                s0 = Sample(pixels, format, i, shift);
                s1 = Sample(pixels, format, n + i, shift);
                s2 = Sample(pixels, format, (2 * n) + i, shift);
            }
            else
            {
                s0 = Sample(pixels, format, i * 3, shift);
                s1 = Sample(pixels, format, (i * 3) + 1, shift);
                s2 = Sample(pixels, format, (i * 3) + 2, shift);
            }

            int r, g, b;
            switch (mode)
            {
                case 1:
                    r = (int)Math.Round(s0 + (1.402 * (s2 - 128)));
                    g = (int)Math.Round(s0 - (0.344136 * (s1 - 128)) - (0.714136 * (s2 - 128)));
                    b = (int)Math.Round(s0 + (1.772 * (s1 - 128)));
                    break;
                case 2:
                    // Reversible colour transform inverse (ITU-T T.800 G.2); chroma are signed differences.
                    var cb = (sbyte)s1;
                    var cr = (sbyte)s2;
                    g = s0 - ((cb + cr) >> 2);
                    r = cr + g;
                    b = cb + g;
                    break;
                default:
                    (r, g, b) = (s0, s1, s2);
                    break;
            }

            rgb[i * 3] = (byte)Math.Clamp(r, 0, 255);
            rgb[(i * 3) + 1] = (byte)Math.Clamp(g, 0, 255);
            rgb[(i * 3) + 2] = (byte)Math.Clamp(b, 0, 255);
        }
    }

    private static int Sample(ReadOnlySpan<byte> pixels, PixelFormat format, int index, int shift) => format.BytesPerSample switch
    {
        1 => pixels[index] >> shift,
        2 => BinaryPrimitives.ReadUInt16LittleEndian(pixels[(index * 2)..]) >> shift,
        _ => (int)(BinaryPrimitives.ReadUInt32LittleEndian(pixels[(index * 4)..]) >> shift),
    };

    private static void Palette(DicomDataset dataset, PixelFormat format, ReadOnlySpan<byte> pixels, Span<byte> rgb)
    {
        var red = LookupTable.Palette(dataset, DicomTag.RedPaletteColorLookupTableDescriptor, DicomTag.RedPaletteColorLookupTableData, DicomTag.SegmentedRedPaletteColorLookupTableData);
        var green = LookupTable.Palette(dataset, DicomTag.GreenPaletteColorLookupTableDescriptor, DicomTag.GreenPaletteColorLookupTableData, DicomTag.SegmentedGreenPaletteColorLookupTableData);
        var blue = LookupTable.Palette(dataset, DicomTag.BluePaletteColorLookupTableDescriptor, DicomTag.BluePaletteColorLookupTableData, DicomTag.SegmentedBluePaletteColorLookupTableData);
        if (red is null || green is null || blue is null)
        {
            throw new DicomException("PALETTE COLOR image lacks one of its palette colour lookup tables.");
        }

        var n = format.PixelCount;
        for (var i = 0; i < n; i++)
        {
            var index = format.BytesPerSample == 1 ? pixels[i] : BinaryPrimitives.ReadUInt16LittleEndian(pixels[(i * 2)..]);
            rgb[i * 3] = To8(red, index);
            rgb[(i * 3) + 1] = To8(green, index);
            rgb[(i * 3) + 2] = To8(blue, index);
        }
    }

    private static byte To8(LookupTable table, int index) => (byte)(table[index] >> Math.Max(0, table.Bits - 8));
}
