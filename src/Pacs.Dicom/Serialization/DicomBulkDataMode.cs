namespace Pacs.Dicom.Serialization;

/// <summary>How binary values are represented in DICOM JSON and XML (PS3.18 F.2.6/F.2.7, PS3.19 A.1.5).</summary>
public enum DicomBulkDataMode
{
    /// <summary>Every binary value is written inline, base64-encoded ("InlineBinary").</summary>
    InlineBinary,

    /// <summary>
    /// Values above <see cref="DicomSerializationOptions.BulkDataThreshold"/> are written as a reference ("BulkDataURI",
    /// XML <c>BulkData uri</c>) obtained from <see cref="DicomSerializationOptions.BulkDataUriProvider"/>.
    /// </summary>
    BulkDataUri,
}
