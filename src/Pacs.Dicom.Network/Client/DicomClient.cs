using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pacs.Dicom.IO;
using Pacs.Dicom.Network.Association;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Client;

/// <summary>A DICOM SCU: opens associations to one remote AE and runs DIMSE-C operations on them.</summary>
public sealed partial class DicomClient
{
    private readonly DicomClientOptions _options;
    private readonly ILogger _logger;

    public DicomClient(DicomClientOptions options, ILogger? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    public DicomClientOptions Options => _options;

    /// <summary>
    /// Opens an association proposing <paramref name="contexts"/> (IDs are assigned here: 1, 3, 5…) and the given
    /// role selections. Throws <see cref="DicomAssociationRejectedException"/> on A-ASSOCIATE-RJ.
    /// </summary>
    public async Task<DicomClientAssociation> ConnectAsync(IReadOnlyList<(string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes)> contexts,
        IReadOnlyList<RoleSelection>? roles = null, Server.IDicomStoreHandler? storeHandler = null, CancellationToken cancellationToken = default)
    {
        if (contexts.Count is 0 or > 128)
        {
            throw new ArgumentException("Between 1 and 128 presentation contexts can be proposed (PS3.8 9.3.2.2).", nameof(contexts));
        }

        var fsm = new AssociationStateMachine(isRequestor: true);
        fsm.Fire(AssociationEvent.LocalAssociateRequest);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(_options.ConnectTimeout);
                await socket.ConnectAsync(_options.Host, _options.Port, connect.Token).ConfigureAwait(false);
                stream = new NetworkStream(socket, ownsSocket: true);
                if (_options.Tls is { } tls)
                {
                    var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                    stream = ssl;
                    await ssl.AuthenticateAsClientAsync(tls, connect.Token).ConfigureAwait(false);
                }
            }

            fsm.Fire(AssociationEvent.TransportConnectConfirm);
            var request = new AAssociateRq
            {
                CalledAETitle = _options.CalledAETitle,
                CallingAETitle = _options.CallingAETitle,
                PresentationContexts = [.. contexts.Select((c, i) => new PresentationContextProposal((byte)((2 * i) + 1), c.AbstractSyntax, c.TransferSyntaxes))],
                UserInformation = new UserInformation
                {
                    MaximumLength = _options.MaxPduLength,
                    ImplementationClassUid = DicomImplementation.ClassUid,
                    ImplementationVersionName = DicomImplementation.VersionName,
                    RoleSelections = roles ?? [],
                },
            };
            var channel = new PduChannel(stream);
            using var artim = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            artim.CancelAfter(_options.Timeouts.Artim);
            await channel.WriteAsync(request, artim.Token).ConfigureAwait(false);
            using var pdu = await channel.ReadAsync(PduChannel.MaxAssociatePduLength, artim.Token).ConfigureAwait(false)
                ?? throw new DicomNetworkException("The peer closed the connection instead of answering the A-ASSOCIATE-RQ.");
            var answer = PduDecoder.Decode(pdu.Type, pdu.Body);
            switch (answer)
            {
                case AAssociateAc accept:
                    fsm.Fire(AssociationEvent.AssociateAcceptReceived);
                    var association = new DicomAssociation(channel, fsm, request, accept, _options.Timeouts, _logger, socket.RemoteEndPoint);
                    LogAssociated(_options.CalledAETitle, _options.Host, _options.Port);
                    stream = null;
                    return new DicomClientAssociation(association, _options.ResponseTimeout, storeHandler, _logger);
                case AAssociateRj reject:
                    fsm.Fire(AssociationEvent.AssociateRejectReceived);
                    throw new DicomAssociationRejectedException(reject);
                case AAbort abort:
                    throw new DicomNetworkException($"The peer aborted the association request (source {abort.Source}, reason {abort.Reason}).");
                default:
                    await channel.WriteAsync(new AAbort(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu), CancellationToken.None).ConfigureAwait(false);
                    throw new DicomNetworkException($"Unexpected {answer.Type} PDU in answer to A-ASSOCIATE-RQ.");
            }
        }
        catch (DicomPduException e)
        {
            throw new DicomNetworkException("Invalid answer to the A-ASSOCIATE-RQ: " + e.Message, e);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            throw new DicomNetworkException($"Cannot associate with {_options.CalledAETitle} at {_options.Host}:{_options.Port}: {e.Message}", e);
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            else if (!socket.Connected)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>C-ECHO on a fresh association, released afterwards.</summary>
    public async Task<Dimse.DicomStatus> EchoAsync(CancellationToken cancellationToken = default)
    {
        var association = await ConnectAsync([(DicomUid.Verification.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.UidValue])], cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            var status = await association.EchoAsync(cancellationToken).ConfigureAwait(false);
            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            return status;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Associated with {CalledAE} at {Host}:{Port}")]
    private partial void LogAssociated(string calledAE, string host, int port);
}
