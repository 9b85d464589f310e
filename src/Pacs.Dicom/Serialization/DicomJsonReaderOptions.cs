namespace Pacs.Dicom.Serialization;

/// <summary>Options of <see cref="DicomJsonReader"/>.</summary>
public sealed class DicomJsonReaderOptions
{
    /// <summary>Deepest sequence nesting accepted (as DicomReadOptions.MaxDepth); deeper input is rejected.</summary>
    public int MaxDepth { get; set; } = 64;

    /// <summary>
    /// Fetches the value a "BulkDataURI" points to (e.g. a part of a STOW-RS multipart body), in the same form as
    /// InlineBinary would carry it. When null, such an element is kept unresolved: its value is a
    /// <see cref="DicomBulkDataReference"/> to a <see cref="DicomBulkDataUriSource"/> (see there).
    /// </summary>
    public Func<DicomBulkDataUriContext, ReadOnlyMemory<byte>>? BulkDataUriResolver { get; set; }
}

/// <summary>What a bulk data URI resolver is told: the URI and the element it is the value of.</summary>
public sealed record DicomBulkDataUriContext(string Uri, DicomTag Tag, DicomVR VR, IReadOnlyList<DicomTagPathStep> Path);
