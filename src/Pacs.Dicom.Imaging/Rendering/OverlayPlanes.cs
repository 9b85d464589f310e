namespace Pacs.Dicom.Imaging.Rendering;

/// <summary>Burns the overlay planes of groups 6000–601E (PS3.3 C.9.2) into a rendered frame at full intensity.</summary>
internal static class OverlayPlanes
{
    public static void BurnIn(DicomDataset dataset, int frame, RenderedImage image)
    {
        for (ushort group = 0x6000; group <= 0x601E; group += 2)
        {
            if (!dataset.TryGetElement(new DicomTag(group, 0x3000), out var data)
                || !dataset.TryGetValue<ushort>(new DicomTag(group, 0x0010), 0, out var rows)
                || !dataset.TryGetValue<ushort>(new DicomTag(group, 0x0011), 0, out var columns))
            {
                continue;
            }

            var originRow = dataset.TryGetValue<short>(new DicomTag(group, 0x0050), 0, out var r0) ? r0 : (short)1;
            var originColumn = dataset.TryGetValue<short>(new DicomTag(group, 0x0050), 1, out var c0) ? c0 : (short)1;
            var frames = dataset.TryGetValue<int>(new DicomTag(group, 0x0015), 0, out var f) && f > 0 ? f : 1;
            var firstFrame = dataset.TryGetValue<ushort>(new DicomTag(group, 0x0051), 0, out var ff) && ff > 0 ? ff : (ushort)1;
            var overlayFrame = frames == 1 ? 0 : frame + 1 - firstFrame;
            if (overlayFrame < 0 || overlayFrame >= frames)
            {
                continue;
            }

            var bits = data.Value.Span;
            var bitOffset = (long)overlayFrame * rows * columns;
            var pixels = image.Pixels;
            var max16 = image.BitsPerSample == 16;
            for (var y = 0; y < rows; y++)
            {
                var iy = y + originRow - 1;
                if (iy < 0 || iy >= image.Height)
                {
                    continue;
                }

                for (var x = 0; x < columns; x++)
                {
                    var ix = x + originColumn - 1;
                    var bit = bitOffset + ((long)y * columns) + x;
                    if (ix < 0 || ix >= image.Width || (bit >> 3) >= bits.Length || ((bits[(int)(bit >> 3)] >> (int)(bit & 7)) & 1) == 0)
                    {
                        continue;
                    }

                    var p = (iy * image.Width) + ix;
                    if (max16)
                    {
                        pixels[p * 2] = 0xFF;
                        pixels[(p * 2) + 1] = 0xFF;
                    }
                    else
                    {
                        pixels.Slice(p * image.Bands, image.Bands).Fill(0xFF);
                    }
                }
            }
        }
    }
}
