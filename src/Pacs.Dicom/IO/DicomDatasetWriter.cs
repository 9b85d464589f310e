using System.IO.Compression;

namespace Pacs.Dicom.IO;

/// <summary>
/// Writes a dataset (no File Meta Information) in a transfer syntax: any uncompressed one, or deflated explicit VR
/// little endian. Group length elements present in the dataset get their value recomputed.
/// </summary>
public static class DicomDatasetWriter
{
    public static void Write(Stream stream, DicomDataset dataset, DicomTransferSyntax transferSyntax, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var output = Encode(dataset, transferSyntax, options ?? DicomWriteOptions.Default);
        if (transferSyntax.IsDeflated)
        {
            using var deflate = new DeflateStream(stream, (options ?? DicomWriteOptions.Default).DeflateLevel, leaveOpen: true);
            output.CopyTo(deflate);
        }
        else
        {
            output.CopyTo(stream);
        }
    }

    public static async Task WriteAsync(Stream stream, DicomDataset dataset, DicomTransferSyntax transferSyntax, DicomWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var output = Encode(dataset, transferSyntax, options ?? DicomWriteOptions.Default);
        if (transferSyntax.IsDeflated)
        {
            var deflate = new DeflateStream(stream, (options ?? DicomWriteOptions.Default).DeflateLevel, leaveOpen: true);
            await using (deflate.ConfigureAwait(false))
            {
                await output.CopyToAsync(deflate, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await output.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The encoded dataset as one array (lazy values are loaded into it).</summary>
    public static byte[] ToBytes(DicomDataset dataset, DicomTransferSyntax transferSyntax, DicomWriteOptions? options = null)
    {
        using var stream = new MemoryStream();
        Write(stream, dataset, transferSyntax, options);
        return stream.ToArray();
    }

    internal static SegmentedOutput Encode(DicomDataset dataset, DicomTransferSyntax transferSyntax, DicomWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        var output = new SegmentedOutput();
        var explicitVR = transferSyntax.IsExplicitVR || transferSyntax.IsDeflated;
        var bigEndian = transferSyntax.IsBigEndian && !transferSyntax.IsDeflated;
        try
        {
            new DicomDatasetEncoder(output, explicitVR, bigEndian, options).WriteDataset(dataset);
        }
        catch (OverflowException ex)
        {
            throw new DicomException("A sequence, item or group is too long for a 32-bit length.", ex);
        }

        return output;
    }
}
