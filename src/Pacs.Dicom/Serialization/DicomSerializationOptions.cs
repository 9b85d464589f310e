namespace Pacs.Dicom.Serialization;

/// <summary>Options shared by the DICOM JSON and XML writers.</summary>
public abstract class DicomSerializationOptions
{
    /// <summary>Inline every binary value (the default) or replace large ones by URIs.</summary>
    public DicomBulkDataMode BulkDataMode { get; set; } = DicomBulkDataMode.InlineBinary;

    /// <summary>
    /// With <see cref="DicomBulkDataMode.BulkDataUri"/>: returns the URI for a value above the threshold,
    /// or null to write that value inline after all. Required in that mode.
    /// </summary>
    public Func<DicomBulkDataContext, string?>? BulkDataUriProvider { get; set; }

    /// <summary>
    /// With <see cref="DicomBulkDataMode.BulkDataUri"/>: values of this many bytes or fewer are always written inline.
    /// Binary VRs (OB OD OF OL OV OW UN), encapsulated pixel data and the other VRs PS3.18 F.2.2 allows as bulk data
    /// (DS FL FD IS LT SL SS ST SV UC UL US UT UV) are eligible. Default 1024.
    /// </summary>
    public long BulkDataThreshold { get; set; } = 1024;

    /// <summary>Pretty-print the output.</summary>
    public bool Indented { get; set; }

    internal void Validate()
    {
        if (BulkDataMode == DicomBulkDataMode.BulkDataUri && BulkDataUriProvider is null)
        {
            throw new ArgumentException("BulkDataMode.BulkDataUri needs a BulkDataUriProvider.", nameof(BulkDataUriProvider));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(BulkDataThreshold);
    }
}

/// <summary>Options of <see cref="DicomJsonWriter"/>.</summary>
public sealed class DicomJsonOptions : DicomSerializationOptions
{
    /// <summary>
    /// Adds a "keyword" member to each attribute object of a public tag. PS3.18 Annex F has no such member, so this is
    /// off by default; <see cref="DicomJsonReader"/> accepts and ignores it.
    /// </summary>
    public bool WriteKeywords { get; set; }
}

/// <summary>Options of <see cref="DicomXmlWriter"/>.</summary>
public sealed class DicomXmlOptions : DicomSerializationOptions
{
    /// <summary>Writes the optional keyword attribute of PS3.19 for public tags (default true).</summary>
    public bool WriteKeywords { get; set; } = true;
}
