using Pacs.Dicom;

namespace Pacs.Archive.Retrieve;

/// <summary>
/// A stored instance opened for sending: <see cref="Dataset"/> is the dataset part of the stored Part 10 file (after the
/// File Meta Information), <see cref="Length"/> bytes encoded in <see cref="TransferSyntax"/>. Dispose to close the blob.
/// </summary>
public sealed class RetrievedDataset : IAsyncDisposable, IDisposable
{
    internal RetrievedDataset(RetrieveInstance instance, Stream dataset, long length, DicomTransferSyntax transferSyntax)
    {
        Instance = instance;
        Dataset = dataset;
        Length = length;
        TransferSyntax = transferSyntax;
    }

    public RetrieveInstance Instance { get; }

    public Stream Dataset { get; }

    public long Length { get; }

    public DicomTransferSyntax TransferSyntax { get; }

    public ValueTask DisposeAsync() => Dataset.DisposeAsync();

    public void Dispose() => Dataset.Dispose();
}
