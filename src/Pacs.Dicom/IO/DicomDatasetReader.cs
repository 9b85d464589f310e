using System.Buffers;

namespace Pacs.Dicom.IO;

/// <summary>
/// Reads a dataset without File Meta Information in a known transfer syntax: DIMSE command sets (implicit VR little
/// endian) and datasets reassembled from P-DATA fragments. Values are copied out of the caller's buffers.
/// </summary>
public static class DicomDatasetReader
{
    public static DicomDataset Read(ReadOnlyMemory<byte> data, DicomTransferSyntax transferSyntax, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transferSyntax);
        if (transferSyntax.IsDeflated)
        {
            // Reuse the file reader's inflation path: a deflated dataset is explicit VR LE once inflated.
            using var wrapped = new MemoryStream();
            wrapped.Write(data.Span);
            return ReadDeflated(wrapped.ToArray(), options ?? DicomReadOptions.Default);
        }

        using var source = new MemoryByteSource(data, copyValues: true);
        return Parse(source, transferSyntax, options ?? DicomReadOptions.Default, CancellationToken.None);
    }

    public static DicomDataset Read(ReadOnlySequence<byte> data, DicomTransferSyntax transferSyntax, DicomReadOptions? options = null) =>
        data.IsSingleSegment ? Read(data.First, transferSyntax, options) : ReadOwned(data.ToArray(), transferSyntax, options);

    /// <summary>Reads the rest of a stream as one dataset.</summary>
    public static DicomDataset Read(Stream stream, DicomTransferSyntax transferSyntax, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return ReadOwned(copy.GetBuffer().AsMemory(0, (int)copy.Length), transferSyntax, options);
    }

    public static async Task<DicomDataset> ReadAsync(Stream stream, DicomTransferSyntax transferSyntax, DicomReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return ReadOwned(copy.GetBuffer().AsMemory(0, (int)copy.Length), transferSyntax, options);
    }

    private static DicomDataset ReadOwned(ReadOnlyMemory<byte> data, DicomTransferSyntax transferSyntax, DicomReadOptions? options)
    {
        ArgumentNullException.ThrowIfNull(transferSyntax);
        if (transferSyntax.IsDeflated)
        {
            return ReadDeflated(data, options ?? DicomReadOptions.Default);
        }

        using var source = new MemoryByteSource(data, copyValues: false);
        return Parse(source, transferSyntax, options ?? DicomReadOptions.Default, CancellationToken.None);
    }

    private static DicomDataset ReadDeflated(ReadOnlyMemory<byte> data, DicomReadOptions options)
    {
        // A deflated dataset is a file's dataset part: wrap it as a meta-less file with the deflated TS declared.
        var meta = new DicomDataset();
        meta.AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, DicomTransferSyntax.DeflatedExplicitVRLittleEndian.UidValue);
        var header = new MemoryStream();
        header.Write(new byte[128]);
        header.Write("DICM"u8);
        new DicomDatasetEncoder(GetOutput(out var output), true, false, DicomWriteOptions.Default).WriteDataset(meta, recalculateGroupLengths: false);
        output.CopyTo(header);
        header.Write(data.Span);
        using var source = new MemoryByteSource(header.ToArray(), copyValues: false);
        return DicomFileReader.Read(source, options, CancellationToken.None).Dataset;
    }

    private static SegmentedOutput GetOutput(out SegmentedOutput output)
    {
        output = new SegmentedOutput();
        return output;
    }

    private static DicomDataset Parse(ByteSource source, DicomTransferSyntax transferSyntax, DicomReadOptions options, CancellationToken cancellationToken)
    {
        var dataset = new DicomDataset();
        try
        {
            new DicomParser(source, options) { CancellationToken = cancellationToken }
                .ReadDataset(dataset, transferSyntax.IsExplicitVR, transferSyntax.IsBigEndian);
        }
        catch (Exception ex) when (ex is not DicomException and not OperationCanceledException and not OutOfMemoryException)
        {
            throw new DicomException($"Invalid DICOM data near offset {DicomFileReader.SafePosition(source)}: {ex.Message}", ex);
        }

        return dataset;
    }
}
