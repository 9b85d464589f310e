using Pacs.Dicom.Imaging.Codecs;

namespace Pacs.Dicom.Imaging.Pixels;

/// <summary>
/// The pixel data of one dataset: its layout, how many frames it holds, and each frame either as stored
/// (<see cref="GetStoredFrame"/>) or decoded to the native layout (<see cref="GetFrame"/>).
/// </summary>
public sealed class DicomPixelData
{
    private readonly DicomItem _pixelData;

    private DicomPixelData(DicomDataset dataset, DicomTransferSyntax transferSyntax, PixelFormat format, int numberOfFrames, DicomItem pixelData)
    {
        Dataset = dataset;
        TransferSyntax = transferSyntax;
        Format = format;
        NumberOfFrames = numberOfFrames;
        _pixelData = pixelData;
    }

    public DicomDataset Dataset { get; }

    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>The layout as the dataset declares it (before any decode).</summary>
    public PixelFormat Format { get; }

    public int NumberOfFrames { get; }

    public bool IsEncapsulated => _pixelData is DicomFragmentSequence;

    /// <summary>Reads the pixel module and locates (7FE0,0010); a <see cref="DicomException"/> when either is unusable.</summary>
    public static DicomPixelData Create(DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        if (!dataset.TryGetItem(DicomTag.PixelData, out var item))
        {
            throw new DicomException("The dataset has no Pixel Data (7FE0,0010).");
        }

        var format = PixelFormat.FromDataset(dataset);
        var frames = dataset.TryGetValue<int>(DicomTag.NumberOfFrames, 0, out var n) && n > 0 ? n : 1;
        if (item is DicomElement element && frames > 1)
        {
            // A header that claims more frames than the value holds would otherwise fail on the last frames only.
            var available = element.Length * 8 / Math.Max(format.FrameBits, 1);
            if (available < frames)
            {
                frames = (int)Math.Max(available, 1);
            }
        }

        return new DicomPixelData(dataset, transferSyntax, format, frames, item);
    }

    /// <summary>
    /// Frame <paramref name="index"/> as stored: the native bytes (1-bit frames unpacked to a byte a sample),
    /// or the encoded bytes of an encapsulated frame.
    /// </summary>
    public ReadOnlyMemory<byte> GetStoredFrame(int index)
    {
        if (index < 0 || index >= NumberOfFrames)
        {
            throw new DicomException($"Frame {index} does not exist: the pixel data holds {NumberOfFrames} frame(s).");
        }

        return _pixelData switch
        {
            DicomFragmentSequence fragments => fragments.GetFrame(index, NumberOfFrames, Dataset),
            DicomElement element => NativeFrame(element, index),
            _ => throw new DicomException("Pixel Data is a sequence, not pixel values."),
        };
    }

    /// <summary>
    /// Frame <paramref name="index"/> decoded with <paramref name="registry"/> (default: <see cref="DicomCodecRegistry.Default"/>).
    /// The result states its own layout: decoders give colour-by-pixel samples and may change the photometric interpretation.
    /// </summary>
    public DecodedFrame GetFrame(int index, DicomCodecRegistry? registry = null)
    {
        var stored = GetStoredFrame(index);
        if (!IsEncapsulated)
        {
            var format = Format.BitsAllocated == 1 ? Format with { BitsAllocated = 8 } : Format;
            return new DecodedFrame(stored, format);
        }

        var codec = (registry ?? DicomCodecRegistry.Default).GetDecoder(TransferSyntax);
        return codec.Decode(stored, Format);
    }

    private ReadOnlyMemory<byte> NativeFrame(DicomElement element, int index)
    {
        var value = element.Value;
        if (Format.BitsAllocated == 1)
        {
            return UnpackBits(value.Span, index * Format.FrameBits, Format.SamplesPerFrame);
        }

        var length = Format.FrameBits / 8;
        var start = index * length;
        if (start + length > value.Length)
        {
            // Odd-length padding or a short last frame: keep what exists and pad with zero rather than fail the whole image.
            if (start >= value.Length)
            {
                throw new DicomException($"Frame {index} lies beyond the end of Pixel Data ({value.Length} bytes).");
            }

            var padded = new byte[length];
            value.Span[(int)start..].CopyTo(padded);
            return padded;
        }

        return value.Slice((int)start, (int)length);
    }

    // 1-bit frames are packed least significant bit first and follow each other without byte alignment (PS3.5 8.1.1).
    internal static byte[] UnpackBits(ReadOnlySpan<byte> packed, long firstBit, long count)
    {
        var result = new byte[count];
        for (long i = 0; i < count; i++)
        {
            var bit = firstBit + i;
            var byteIndex = bit >> 3;
            if (byteIndex >= packed.Length)
            {
                break;
            }

            result[i] = (byte)((packed[(int)byteIndex] >> (int)(bit & 7)) & 1);
        }

        return result;
    }
}
