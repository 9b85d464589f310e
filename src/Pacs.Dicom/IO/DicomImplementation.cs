namespace Pacs.Dicom.IO;

/// <summary>How this toolkit identifies itself in File Meta Information and association negotiation.</summary>
public static class DicomImplementation
{
    /// <summary>
    /// Implementation Class UID (0002,0012). Generated once from a random UUID under the 2.25 root (PS3.5 B.2)
    /// because the project has no registered org root; it must never change between releases of the same implementation.
    /// </summary>
    public const string ClassUid = "2.25.96936666631677068662446927109999018240";

    /// <summary>Implementation Version Name (0002,0013), at most 16 characters.</summary>
    public const string VersionName = "PACS_1_0";
}
