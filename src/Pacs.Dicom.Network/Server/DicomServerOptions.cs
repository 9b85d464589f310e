using System.Net;
using System.Net.Security;
using Pacs.Dicom.Network.Association;

namespace Pacs.Dicom.Network.Server;

/// <summary>Configuration of a <see cref="DicomServer"/>.</summary>
public sealed record DicomServerOptions
{
    /// <summary>This SCP's AE title, checked against the called AE title of each request.</summary>
    public string AETitle { get; init; } = "PACS";

    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>TCP port; 0 picks a free one (read it back from <see cref="DicomServer.Port"/>).</summary>
    public int Port { get; init; } = 11112;

    /// <summary>Reject requests whose called AE title is not <see cref="AETitle"/> (PS3.8 reason 7).</summary>
    public bool CheckCalledAETitle { get; init; } = true;

    /// <summary>When set, only these calling AE titles may associate (PS3.8 reason 3).</summary>
    public IReadOnlySet<string>? AllowedCallingAETitles { get; init; }

    /// <summary>
    /// Abstract syntaxes to accept. Null: Verification, plus every storage SOP class when a store handler is
    /// registered, plus the query/retrieve SOP classes of the registered find/move/get handlers.
    /// </summary>
    public IReadOnlyList<string>? SopClasses { get; init; }

    /// <summary>Transfer syntaxes to accept, in order of preference. Null: explicit VR LE, implicit VR LE, then every other known one.</summary>
    public IReadOnlyList<DicomTransferSyntax>? TransferSyntaxes { get; init; }

    /// <summary>Established associations at once; more are rejected as transient "local limit exceeded".</summary>
    public int MaxAssociations { get; init; } = 64;

    /// <summary>Maximum length of the P-DATA-TF PDUs this SCP receives (advertised in the A-ASSOCIATE-AC).</summary>
    public uint MaxPduLength { get; init; } = DicomNetworkConstants.DefaultMaxPduLength;

    public DicomAssociationTimeouts Timeouts { get; init; } = new();

    /// <summary>When set, every connection is TLS (PS3.15 B.1 secure transport).</summary>
    public SslServerAuthenticationOptions? Tls { get; init; }

    /// <summary>
    /// Least time between two Pending responses of one C-MOVE or C-GET (PS3.4 C.4.2.1.5: they are optional); zero sends
    /// one after every sub-operation. The final response always carries the counts.
    /// </summary>
    public TimeSpan RetrievePendingInterval { get; init; } = TimeSpan.Zero;

    /// <summary>C-MOVE destinations by AE title.</summary>
    public IReadOnlyDictionary<string, DicomRemoteNode> RemoteNodes { get; init; } = new Dictionary<string, DicomRemoteNode>();
}

/// <summary>A peer application entity this side can open associations to.</summary>
public sealed record DicomRemoteNode(string AETitle, string Host, int Port);
