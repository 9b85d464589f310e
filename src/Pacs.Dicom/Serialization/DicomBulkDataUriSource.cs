namespace Pacs.Dicom.Serialization;

/// <summary>
/// Stands for a value that DICOM JSON gave only as a "BulkDataURI" and that was not resolved while reading.
/// The element's <see cref="DicomBulkDataReference"/> has length 0 (the size is unknown until fetched), so its value
/// reads as empty; <see cref="TryGetUri"/> finds the URI, and the JSON/XML writers write it back as a reference.
/// </summary>
public sealed class DicomBulkDataUriSource : IDicomBulkDataSource
{
    public DicomBulkDataUriSource(string uri)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        Uri = uri;
    }

    public string Uri { get; }

    string? IDicomBulkDataSource.Path => null;

    /// <summary>The unresolved bulk data URI of an element read from DICOM JSON, if it has one.</summary>
    public static bool TryGetUri(DicomItem item, out string uri)
    {
        if (item is DicomElement { BulkData.Source: DicomBulkDataUriSource source })
        {
            uri = source.Uri;
            return true;
        }

        uri = string.Empty;
        return false;
    }

    public int Read(long offset, Span<byte> destination) => throw Unresolved();

    public ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
        ValueTask.FromException<int>(Unresolved());

    public override string ToString() => Uri;

    private DicomException Unresolved() =>
        new($"The value at bulk data URI {Uri} was not resolved; read the JSON with DicomJsonReaderOptions.BulkDataUriResolver.");
}
