namespace Pacs.Dicom.Network.Association;

/// <summary>
/// Timers of an association: ARTIM (PS3.8 9.1.5, waiting for a request or for the transport to close), the idle
/// limit (no PDU while no operation runs) and the largest PDU this side sends when the peer sets no limit.
/// </summary>
public sealed record DicomAssociationTimeouts
{
    public TimeSpan Artim { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Zero or negative: no idle limit.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound on the P-DATA-TF this side sends even when the peer advertises a larger or unlimited one.</summary>
    public uint MaxSendPduLength { get; init; } = 1024 * 1024;
}
