namespace Pacs.Dicom.Network.Pdu;

/// <summary>A-ASSOCIATE-RJ result field (PS3.8 Table 9-21).</summary>
public enum RejectResult : byte
{
    Permanent = 1,
    Transient = 2,
}

/// <summary>A-ASSOCIATE-RJ source field (PS3.8 Table 9-21).</summary>
public enum RejectSource : byte
{
    ServiceUser = 1,
    ServiceProviderAcse = 2,
    ServiceProviderPresentation = 3,
}

/// <summary>
/// A-ASSOCIATE-RJ reason/diag values. The same number means different things for different sources
/// (PS3.8 Table 9-21), so they are constants named per source rather than one enum.
/// </summary>
public static class RejectReasons
{
    /// <summary>Any source: no reason given.</summary>
    public const byte NoReasonGiven = 1;

    /// <summary>Service user: application context name not supported.</summary>
    public const byte ApplicationContextNameNotSupported = 2;

    /// <summary>Service user: calling AE title not recognized.</summary>
    public const byte CallingAETitleNotRecognized = 3;

    /// <summary>Service user: called AE title not recognized.</summary>
    public const byte CalledAETitleNotRecognized = 7;

    /// <summary>Service provider (ACSE): protocol version not supported.</summary>
    public const byte ProtocolVersionNotSupported = 2;

    /// <summary>Service provider (presentation): temporary congestion.</summary>
    public const byte TemporaryCongestion = 1;

    /// <summary>Service provider (presentation): local limit exceeded.</summary>
    public const byte LocalLimitExceeded = 2;
}
