using System.Net.Security;
using Pacs.Dicom.Network.Association;

namespace Pacs.Dicom.Network.Client;

/// <summary>Where and as whom a <see cref="DicomClient"/> associates.</summary>
public sealed record DicomClientOptions
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public string CallingAETitle { get; init; } = "PACS_SCU";

    public string CalledAETitle { get; init; } = "ANY-SCP";

    /// <summary>Maximum length of the P-DATA-TF PDUs this SCU receives.</summary>
    public uint MaxPduLength { get; init; } = DicomNetworkConstants.DefaultMaxPduLength;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a DIMSE response (each pending response restarts it).</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public DicomAssociationTimeouts Timeouts { get; init; } = new() { Idle = TimeSpan.Zero };

    /// <summary>When set, the connection is TLS.</summary>
    public SslClientAuthenticationOptions? Tls { get; init; }
}
