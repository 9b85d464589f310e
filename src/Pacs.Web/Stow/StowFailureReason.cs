namespace Pacs.Web.Stow;

/// <summary>Failure Reason (0008,1197) values a STOW-RS response uses (PS3.18 Table 10.5.3-3 and PS3.4 Annex B).</summary>
public static class StowFailureReason
{
    /// <summary>Processing failure.</summary>
    public const ushort ProcessingFailure = 0x0110;

    /// <summary>Duplicate SOP Instance refused by the configured duplicate policy.</summary>
    public const ushort DuplicateRejected = 0x0111;

    /// <summary>Refused: out of resources (index or storage unavailable).</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>Error: the data set does not match the SOP Class (missing or invalid UIDs).</summary>
    public const ushort DataSetDoesNotMatchSopClass = 0xA900;

    /// <summary>Error: cannot understand (not a Part 10 object, unparsable, or a part of another media type).</summary>
    public const ushort CannotUnderstand = 0xC000;

    /// <summary>
    /// The instance's Study Instance UID differs from the one in the request URL (PS3.18 10.5.1.2: such instances
    /// are not stored). PS3.18 names no dedicated code; 0xA900 is the data set error used by other archives too.
    /// </summary>
    public const ushort StudyInstanceUidMismatch = 0xA900;
}
