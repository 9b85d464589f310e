namespace Pacs.Dicom.Imaging.Pixels;

/// <summary>
/// The Image Pixel Module attributes (PS3.3 C.7.6.3) that describe how one frame's samples are laid out.
/// </summary>
public sealed record PixelFormat
{
    public required int Rows { get; init; }

    public required int Columns { get; init; }

    public int SamplesPerPixel { get; init; } = 1;

    public required int BitsAllocated { get; init; }

    public required int BitsStored { get; init; }

    public int HighBit { get; init; }

    /// <summary>0 unsigned, 1 two's complement.</summary>
    public int PixelRepresentation { get; init; }

    /// <summary>0 colour-by-pixel (interleaved), 1 colour-by-plane.</summary>
    public int PlanarConfiguration { get; init; }

    public string PhotometricInterpretation { get; init; } = "MONOCHROME2";

    public bool IsSigned => PixelRepresentation == 1;

    public int PixelCount => Rows * Columns;

    /// <summary>Bytes per sample once decoded: 1 for 1- and 8-bit, 2 for 9–16, 4 for 17–32.</summary>
    public int BytesPerSample => BitsAllocated <= 8 ? 1 : BitsAllocated <= 16 ? 2 : 4;

    /// <summary>Samples held per frame; YBR_FULL_422 stores two chroma samples per two pixels (PS3.3 C.7.6.3.1.2).</summary>
    public long SamplesPerFrame => PhotometricInterpretation == "YBR_FULL_422" && SamplesPerPixel == 3
        ? 2L * PixelCount
        : (long)PixelCount * SamplesPerPixel;

    /// <summary>Bytes of one native (uncompressed) frame; 1-bit frames are packed and may share bytes with the next frame.</summary>
    public long FrameBits => SamplesPerFrame * BitsAllocated;

    /// <summary>Bytes of one decoded frame: native layout, 1-bit unpacked to one byte a sample.</summary>
    public long DecodedFrameLength => SamplesPerFrame * BytesPerSample;

    /// <summary>Reads the pixel module of <paramref name="dataset"/>; a missing mandatory attribute is a <see cref="DicomException"/>.</summary>
    public static PixelFormat FromDataset(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var rows = Required(dataset, DicomTag.Rows);
        var columns = Required(dataset, DicomTag.Columns);
        var bitsAllocated = Required(dataset, DicomTag.BitsAllocated);
        var bitsStored = dataset.TryGetValue<ushort>(DicomTag.BitsStored, 0, out var bs) && bs > 0 ? bs : bitsAllocated;
        var samples = dataset.TryGetValue<ushort>(DicomTag.SamplesPerPixel, 0, out var spp) && spp > 0 ? spp : 1;
        if (rows <= 0 || columns <= 0 || samples is not (1 or 3 or 4) || bitsAllocated is not (1 or 8 or 16 or 32) && bitsAllocated % 8 != 0
            || bitsAllocated > 32 || bitsStored > bitsAllocated)
        {
            throw new DicomException($"Unsupported pixel module: {rows}x{columns}, {samples} samples, {bitsAllocated}/{bitsStored} bits.");
        }

        var photometric = dataset.TryGetString(DicomTag.PhotometricInterpretation, out var pi) && !string.IsNullOrWhiteSpace(pi)
            ? pi.Trim().ToUpperInvariant()
            : samples == 1 ? "MONOCHROME2" : "RGB";
        return new PixelFormat
        {
            Rows = rows,
            Columns = columns,
            SamplesPerPixel = samples,
            BitsAllocated = bitsAllocated,
            BitsStored = bitsStored,
            HighBit = dataset.TryGetValue<ushort>(DicomTag.HighBit, 0, out var hb) ? hb : bitsStored - 1,
            PixelRepresentation = dataset.TryGetValue<ushort>(DicomTag.PixelRepresentation, 0, out var pr) ? pr : 0,
            PlanarConfiguration = samples > 1 && dataset.TryGetValue<ushort>(DicomTag.PlanarConfiguration, 0, out var pc) ? pc : 0,
            PhotometricInterpretation = photometric,
        };
    }

    /// <summary>Writes these attributes back into <paramref name="dataset"/> (after a decode or transcode changed them).</summary>
    public void WriteTo(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        dataset.AddOrUpdate<ushort>(DicomTag.SamplesPerPixel, (ushort)SamplesPerPixel);
        dataset.AddOrUpdate(DicomTag.PhotometricInterpretation, PhotometricInterpretation);
        dataset.AddOrUpdate<ushort>(DicomTag.BitsAllocated, (ushort)BitsAllocated);
        dataset.AddOrUpdate<ushort>(DicomTag.BitsStored, (ushort)BitsStored);
        dataset.AddOrUpdate<ushort>(DicomTag.HighBit, (ushort)HighBit);
        dataset.AddOrUpdate<ushort>(DicomTag.PixelRepresentation, (ushort)PixelRepresentation);
        if (SamplesPerPixel > 1)
        {
            dataset.AddOrUpdate<ushort>(DicomTag.PlanarConfiguration, (ushort)PlanarConfiguration);
        }
        else
        {
            dataset.Remove(DicomTag.PlanarConfiguration);
        }
    }

    private static int Required(DicomDataset dataset, DicomTag tag) =>
        dataset.TryGetValue<ushort>(tag, 0, out var v) ? v : throw new DicomException($"The pixel module lacks {tag}.");
}
