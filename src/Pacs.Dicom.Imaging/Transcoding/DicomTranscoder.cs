using System.Globalization;
using Pacs.Dicom.Imaging.Codecs;
using Pacs.Dicom.Imaging.Pixels;
using Pacs.Dicom.IO;

namespace Pacs.Dicom.Imaging.Transcoding;

/// <summary>
/// Re-encodes a dataset's pixel data in another transfer syntax: every frame is decoded, then written natively or
/// encoded with the target's codec; the pixel module follows the result (e.g. YBR_FULL_422 → RGB after a JPEG decode,
/// RGB → YBR_RCT for reversible JPEG 2000), and the Lossy Image Compression attributes record any lossy step.
/// </summary>
public sealed class DicomTranscoder(DicomCodecRegistry? registry = null)
{
    private readonly DicomCodecRegistry _registry = registry ?? DicomCodecRegistry.Default;

    /// <summary>A new file holding <paramref name="file"/>'s dataset with its pixel data in <paramref name="target"/>.</summary>
    public DicomFile Transcode(DicomFile file, DicomTransferSyntax target)
    {
        ArgumentNullException.ThrowIfNull(file);
        var dataset = Transcode(file.Dataset, file.TransferSyntax, target);
        return DicomFile.Create(dataset, target);
    }

    /// <summary>A deep copy of <paramref name="dataset"/> (read as <paramref name="source"/>) with its pixel data in <paramref name="target"/>.</summary>
    public DicomDataset Transcode(DicomDataset dataset, DicomTransferSyntax source, DicomTransferSyntax target)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var result = dataset.Clone();
        if (!dataset.Contains(DicomTag.PixelData) || (!source.IsEncapsulated && !target.IsEncapsulated))
        {
            // Native to native: the writer changes byte order and VR form; pixel values stay as they are.
            return result;
        }

        var pixels = DicomPixelData.Create(dataset, source);
        if (target.IsEncapsulated && source.UidValue == target.UidValue)
        {
            return result;
        }

        var frames = new DecodedFrame[pixels.NumberOfFrames];
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = pixels.GetFrame(i, _registry);
        }

        result.Remove(DicomTag.ExtendedOffsetTable);
        result.Remove(DicomTag.ExtendedOffsetTableLengths);
        PixelFormat written;
        if (!target.IsEncapsulated)
        {
            written = frames[0].Format;
            var length = written.DecodedFrameLength;
            var value = new byte[(length * frames.Length) + ((length * frames.Length) & 1)];
            for (var i = 0; i < frames.Length; i++)
            {
                frames[i].Pixels.Span[..(int)length].CopyTo(value.AsSpan((int)(i * length)));
            }

            result.AddOrUpdate(new DicomElement(DicomTag.PixelData, written.BitsAllocated > 8 ? DicomVR.OW : DicomVR.OB, value));
        }
        else
        {
            var codec = _registry.GetEncoder(target);
            var sequence = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB);
            var offsets = new uint[frames.Length];
            uint position = 0;
            written = frames[0].Format;
            for (var i = 0; i < frames.Length; i++)
            {
                if (frames[i].Format.BitsAllocated == 1 || frames[i].Format.PhotometricInterpretation == "YBR_FULL_422")
                {
                    throw new DicomCodecException($"{frames[i].Format.PhotometricInterpretation} {frames[i].Format.BitsAllocated}-bit frames are not re-encoded.");
                }

                var encoded = codec.Encode(frames[i].Pixels.Span, frames[i].Format);
                written = encoded.Format;
                offsets[i] = position;
                position = checked(position + 8 + (uint)encoded.Data.Length);
                sequence.AddFragment(encoded.Data);
            }

            if (frames.Length > 1)
            {
                sequence.SetBasicOffsetTable(offsets);
            }

            result.AddOrUpdate(sequence);
        }

        written.WriteTo(result);
        if (target.IsLossy && !source.IsLossy)
        {
            MarkLossy(result, target, dataset, pixels);
        }

        return result;
    }

    private static void MarkLossy(DicomDataset result, DicomTransferSyntax target, DicomDataset original, DicomPixelData pixels)
    {
        result.AddOrUpdate(DicomTag.LossyImageCompression, "01");
        var method = target.UidValue == DicomTransferSyntax.JPEGBaseline8Bit.UidValue || target.UidValue == DicomTransferSyntax.JPEGExtended12Bit.UidValue
            ? "ISO_10918_1"
            : target.UidValue == DicomTransferSyntax.JPEGLSNearLossless.UidValue ? "ISO_14495_1" : "ISO_15444_1";
        var encodedBytes = result.TryGetItem(DicomTag.PixelData, out var item) && item is DicomFragmentSequence seq ? seq.Fragments.Sum(f => f.Length) : 0;
        var nativeBytes = pixels.Format.DecodedFrameLength * pixels.NumberOfFrames;
        var ratio = encodedBytes > 0 ? (double)nativeBytes / encodedBytes : 1;
        var methods = original.TryGetString(DicomTag.LossyImageCompressionMethod, out var m) && m.Length > 0 ? m + "\\" + method : method;
        var ratios = (original.TryGetString(DicomTag.LossyImageCompressionRatio, out var r) && r.Length > 0 ? r + "\\" : string.Empty)
            + ratio.ToString("0.###", CultureInfo.InvariantCulture);
        result.AddOrUpdate(DicomTag.LossyImageCompressionMethod, methods);
        result.AddOrUpdate(DicomTag.LossyImageCompressionRatio, ratios);
    }
}
