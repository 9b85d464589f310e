using System.IO.Compression;

namespace Pacs.Dicom.IO;

/// <summary>A DICOM Part 10 file: 128-byte preamble, "DICM", File Meta Information (group 0002) and the dataset.</summary>
public sealed class DicomFile
{
    /// <summary>Whole files up to this size are read into memory in one asynchronous read, then parsed without copying values.</summary>
    private const long WholeFileReadLimit = 512L * 1024 * 1024;

    public DicomFile(DicomDataset fileMetaInformation, DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(fileMetaInformation);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        FileMetaInformation = fileMetaInformation;
        Dataset = dataset;
        TransferSyntax = transferSyntax;
    }

    /// <summary>The 128-byte preamble (zeros unless the file had another one); written back as it is.</summary>
    public ReadOnlyMemory<byte> Preamble { get; set; } = new byte[128];

    public DicomDataset FileMetaInformation { get; }

    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax of the dataset: from the meta, or detected when the meta has none.</summary>
    public DicomTransferSyntax TransferSyntax { get; set; }

    /// <summary>A file for <paramref name="dataset"/> with File Meta Information built from its SOP Class and Instance UIDs.</summary>
    public static DicomFile Create(DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        var file = new DicomFile(new DicomDataset(), dataset, transferSyntax);
        file.CompleteMeta(transferSyntax);
        return file;
    }

    public static async Task<DicomFile> OpenAsync(string path, DicomReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= DicomReadOptions.Default;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            var length = stream.Length;
            if (options.BulkDataThreshold is null && !options.StopBeforePixelData && length <= WholeFileReadLimit)
            {
                var bytes = GC.AllocateUninitializedArray<byte>((int)length);
                await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                using var memory = new MemoryByteSource(bytes, copyValues: false);
                return DicomFileReader.Read(memory, options, cancellationToken);
            }

            using var source = new StreamByteSource(stream) { BulkSource = options.BulkDataThreshold is null ? null : new FileBulkDataSource(Path.GetFullPath(path)) };
            await source.PrefillAsync(cancellationToken).ConfigureAwait(false);
            return DicomFileReader.Read(source, options, cancellationToken);
        }
    }

    /// <summary>
    /// Reads from a stream. A seekable stream is parsed in place (lazy values then refer to it, so keep it open while
    /// they are needed); another stream is first read to its end.
    /// </summary>
    public static async Task<DicomFile> OpenAsync(Stream stream, DicomReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DicomReadOptions.Default;
        if (stream.CanSeek)
        {
            using var source = new StreamByteSource(stream) { BulkSource = options.BulkDataThreshold is null ? null : new StreamBulkDataSource(stream) };
            await source.PrefillAsync(cancellationToken).ConfigureAwait(false);
            return DicomFileReader.Read(source, options, cancellationToken);
        }

        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        using var memory = new MemoryByteSource(copy.GetBuffer().AsMemory(0, (int)copy.Length), copyValues: false);
        return DicomFileReader.Read(memory, options, cancellationToken);
    }

    /// <summary>Reads a file synchronously.</summary>
    public static DicomFile Open(string path, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= DicomReadOptions.Default;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        if (options.BulkDataThreshold is null && !options.StopBeforePixelData && stream.Length <= WholeFileReadLimit)
        {
            var bytes = GC.AllocateUninitializedArray<byte>((int)stream.Length);
            stream.ReadExactly(bytes);
            using var memory = new MemoryByteSource(bytes, copyValues: false);
            return DicomFileReader.Read(memory, options, CancellationToken.None);
        }

        using var source = new StreamByteSource(stream) { BulkSource = options.BulkDataThreshold is null ? null : new FileBulkDataSource(Path.GetFullPath(path)) };
        return DicomFileReader.Read(source, options, CancellationToken.None);
    }

    /// <summary>Reads a file held in memory; element values are slices of <paramref name="data"/>, which must not change afterwards.</summary>
    public static DicomFile Open(ReadOnlyMemory<byte> data, DicomReadOptions? options = null)
    {
        using var memory = new MemoryByteSource(data, copyValues: false);
        return DicomFileReader.Read(memory, options ?? DicomReadOptions.Default, CancellationToken.None);
    }

    public async Task SaveAsync(string path, DicomWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await SaveAsync(stream, options, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SaveAsync(Stream stream, DicomWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DicomWriteOptions.Default;
        var (meta, dataset, ts) = Prepare(options);
        await meta.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        if (ts.IsDeflated)
        {
            var deflate = new DeflateStream(stream, options.DeflateLevel, leaveOpen: true);
            await using (deflate.ConfigureAwait(false))
            {
                await dataset.CopyToAsync(deflate, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await dataset.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Save(Stream stream, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DicomWriteOptions.Default;
        var (meta, dataset, ts) = Prepare(options);
        meta.CopyTo(stream);
        if (ts.IsDeflated)
        {
            using var deflate = new DeflateStream(stream, options.DeflateLevel, leaveOpen: true);
            dataset.CopyTo(deflate);
        }
        else
        {
            dataset.CopyTo(stream);
        }

        stream.Flush();
    }

    /// <summary>The whole file as bytes (lazy values loaded into it).</summary>
    public byte[] ToBytes(DicomWriteOptions? options = null)
    {
        using var stream = new MemoryStream();
        Save(stream, options);
        return stream.ToArray();
    }

    private (SegmentedOutput Meta, SegmentedOutput Dataset, DicomTransferSyntax Ts) Prepare(DicomWriteOptions options)
    {
        var ts = options.TransferSyntax ?? TransferSyntax;
        var metaDataset = new DicomDataset();
        foreach (var item in FileMetaInformation)
        {
            if (item.Tag.Group == 0x0002)
            {
                metaDataset.AddOrUpdate(item);
            }
        }

        var saved = new DicomFile(metaDataset, Dataset, ts);
        saved.CompleteMeta(ts);

        var meta = new SegmentedOutput();
        var preamble = Preamble.Length == 128 ? Preamble : new byte[128];
        meta.Write(preamble.Span);
        meta.Write("DICM"u8);
        new DicomDatasetEncoder(meta, explicitVR: true, bigEndian: false, DicomWriteOptions.Default).WriteDataset(metaDataset);
        var dataset = DicomDatasetWriter.Encode(Dataset, ts, options);
        return (meta, dataset, ts);
    }

    /// <summary>Fills in what PS3.10 7.1 requires and is missing; the transfer syntax always follows <paramref name="ts"/>.</summary>
    private void CompleteMeta(DicomTransferSyntax ts)
    {
        var meta = FileMetaInformation;
        if (!meta.Contains(DicomTag.FileMetaInformationGroupLength))
        {
            meta.AddOrUpdate(DicomTag.FileMetaInformationGroupLength, DicomVR.UL, 0u);
        }

        if (!meta.Contains(DicomTag.FileMetaInformationVersion))
        {
            meta.AddOrUpdate(DicomTag.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        }

        if (!meta.Contains(DicomTag.MediaStorageSOPClassUID) && Dataset.TryGetString(DicomTag.SOPClassUID, out var sopClass))
        {
            meta.AddOrUpdate(DicomTag.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
        }

        if (!meta.Contains(DicomTag.MediaStorageSOPInstanceUID) && Dataset.TryGetString(DicomTag.SOPInstanceUID, out var sopInstance))
        {
            meta.AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance);
        }

        if (!meta.TryGetString(DicomTag.TransferSyntaxUID, out var current) || current != ts.UidValue)
        {
            meta.AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, ts.UidValue);
        }

        if (!meta.Contains(DicomTag.ImplementationClassUID))
        {
            meta.AddOrUpdate(DicomTag.ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid);
        }

        if (!meta.Contains(DicomTag.ImplementationVersionName))
        {
            meta.AddOrUpdate(DicomTag.ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);
        }
    }
}
