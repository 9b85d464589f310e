namespace Pacs.Dicom.Network;

/// <summary>Fixed values of the DICOM upper layer protocol.</summary>
public static class DicomNetworkConstants
{
    /// <summary>The DICOM application context name (PS3.7 A.2.1), the only one defined.</summary>
    public const string ApplicationContextName = "1.2.840.10008.3.1.1.1";

    /// <summary>The maximum PDU length this toolkit advertises unless configured otherwise.</summary>
    public const uint DefaultMaxPduLength = 65536;

    /// <summary>AE titles are at most 16 characters (PS3.5 Table 6.2-1, AE).</summary>
    public const int AETitleLength = 16;
}
