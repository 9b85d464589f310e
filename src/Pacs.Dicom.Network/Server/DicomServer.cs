using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pacs.Dicom.IO;
using Pacs.Dicom.Network.Association;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Server;

/// <summary>
/// A DICOM SCP host: accepts TCP (or TLS) connections, negotiates associations per <see cref="DicomServerOptions"/>
/// and dispatches DIMSE requests to the registered <see cref="DicomServiceHandlers"/>.
/// </summary>
public sealed partial class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions _options;
    private readonly DicomServiceHandlers _handlers;
    private readonly ILogger _logger;
    private readonly PresentationContextNegotiator _negotiator;
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private int _established;
    private long _accepted;
    private long _rejected;
    private int _nextConnectionId;

    public DicomServer(DicomServerOptions options, DicomServiceHandlers handlers, ILogger<DicomServer>? logger = null)
    {
        _options = options;
        _handlers = handlers;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _negotiator = new PresentationContextNegotiator(options.SopClasses ?? DefaultSopClasses(handlers),
            options.TransferSyntaxes ?? PresentationContextNegotiator.DefaultTransferSyntaxes);
    }

    /// <summary>The port listened on (the chosen one when the options said 0).</summary>
    public int Port { get; private set; }

    /// <summary>Associations currently established.</summary>
    public int ActiveAssociations => Volatile.Read(ref _established);

    /// <summary>Associations accepted since start.</summary>
    public long AssociationsAccepted => Interlocked.Read(ref _accepted);

    /// <summary>Association requests rejected since start (unknown AE titles, unsupported protocol, the association limit).</summary>
    public long AssociationsRejected => Interlocked.Read(ref _rejected);

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _listener = new TcpListener(_options.BindAddress, _options.Port);
        _listener.Start(backlog: 512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        LogListening(_options.AETitle, Port);
        _acceptLoop = AcceptLoopAsync(_listener);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting, lets running associations finish until <paramref name="cancellationToken"/> fires, then
    /// aborts what is left.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _listener?.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        }

        LogStopped(_options.AETitle);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static IEnumerable<string> DefaultSopClasses(DicomServiceHandlers handlers)
    {
        yield return DicomUid.Verification.Value;

        // A C-GET SCP needs the storage contexts too: its sub-operations travel on them, with roles reversed.
        if (handlers.Store is not null || handlers.Get is not null)
        {
            foreach (var uid in PresentationContextNegotiator.StorageSopClasses)
            {
                yield return uid;
            }
        }

        foreach (var uid in (handlers.Find?.SopClasses ?? []).Concat(handlers.Move?.SopClasses ?? []).Concat(handlers.Get?.SopClasses ?? []).Concat(handlers.NService?.SopClasses ?? []))
        {
            yield return uid;
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            socket.NoDelay = true;
            var id = Interlocked.Increment(ref _nextConnectionId);
            var task = Task.Run(() => ServeConnectionAsync(socket));
            _connections[id] = task;
            _ = task.ContinueWith(_ => _connections.TryRemove(id, out Task? _), TaskScheduler.Default);
        }
    }

    /// <summary>One connection, from transport open (Evt5) to close. Never throws: everything ends logged.</summary>
    private async Task ServeConnectionAsync(Socket socket)
    {
        var remote = socket.RemoteEndPoint;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        var fsm = new AssociationStateMachine(isRequestor: false);
        fsm.Fire(AssociationEvent.TransportConnectIndication);
        PduChannel? channel = null;
        try
        {
            using var artim = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            artim.CancelAfter(_options.Timeouts.Artim);
            if (_options.Tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsServerAsync(tls, artim.Token).ConfigureAwait(false);
            }

            channel = new PduChannel(stream);
            var request = await ReceiveRequestAsync(channel, fsm, remote, artim.Token).ConfigureAwait(false);
            if (request is null)
            {
                return;
            }

            var association = await AnswerRequestAsync(channel, fsm, request, remote).ConfigureAwait(false);
            if (association is null)
            {
                return;
            }

            channel = null;
            try
            {
                await using (association.ConfigureAwait(false))
                {
                    var dispatcher = new ServerDispatcher(association, _handlers, _options, _logger, _stopping.Token);
                    await association.RunAsync(dispatcher, _stopping.Token).ConfigureAwait(false);
                    await dispatcher.WhenIdleAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _established);
            }
        }
        catch (OperationCanceledException)
        {
            fsm.Fire(fsm.CanFire(AssociationEvent.ArtimExpired) ? AssociationEvent.ArtimExpired : AssociationEvent.TransportClosed);
            LogNoRequest(remote, _options.Timeouts.Artim);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            LogConnectionFailed(remote, e.Message);
        }
        catch (Exception e)
        {
            LogConnectionError(remote, e);
        }
        finally
        {
            if (channel is not null)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sta2: the first PDU must be an A-ASSOCIATE-RQ, within ARTIM; anything else is aborted (PS3.8 Table 9-10).</summary>
    private async Task<AAssociateRq?> ReceiveRequestAsync(PduChannel channel, AssociationStateMachine fsm, EndPoint? remote, CancellationToken artim)
    {
        RawPdu? pdu;
        try
        {
            pdu = await channel.ReadAsync(PduChannel.MaxAssociatePduLength, artim).ConfigureAwait(false);
        }
        catch (DicomPduException e)
        {
            await AbortBeforeAssociationAsync(channel, fsm, remote, e.Reason, e.Message).ConfigureAwait(false);
            return null;
        }

        if (pdu is null)
        {
            fsm.Fire(AssociationEvent.TransportClosed);
            LogConnectionFailed(remote, "closed before sending an A-ASSOCIATE-RQ");
            return null;
        }

        using (pdu)
        {
            if (pdu.Type == PduType.Abort)
            {
                fsm.Fire(AssociationEvent.AbortReceived);
                LogConnectionFailed(remote, "aborted before associating");
                return null;
            }

            if (pdu.Type != PduType.AssociateRequest)
            {
                await AbortBeforeAssociationAsync(channel, fsm, remote, AbortReason.UnexpectedPdu, $"{pdu.Type} PDU before A-ASSOCIATE-RQ").ConfigureAwait(false);
                return null;
            }

            try
            {
                var request = (AAssociateRq)PduDecoder.Decode(pdu.Type, pdu.Body);
                fsm.Fire(AssociationEvent.AssociateRequestReceived);
                return request;
            }
            catch (DicomPduException e)
            {
                await AbortBeforeAssociationAsync(channel, fsm, remote, e.Reason, e.Message).ConfigureAwait(false);
                return null;
            }
        }
    }

    private async Task AbortBeforeAssociationAsync(PduChannel channel, AssociationStateMachine fsm, EndPoint? remote, AbortReason reason, string detail)
    {
        LogBadPeer(remote, reason, detail);
        var action = fsm.Fire(AssociationEvent.InvalidPduReceived);
        if (action == AssociationAction.AA1)
        {
            using var timeout = new CancellationTokenSource(_options.Timeouts.Artim);
            try
            {
                // PS3.8 AA-1 names the service user as source; the reason still tells the peer what was wrong.
                await channel.WriteAsync(new AAbort(AbortSource.ServiceProvider, reason), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                LogConnectionFailed(remote, e.Message);
            }

            await channel.DrainUntilClosedAsync(_options.Timeouts.Artim).ConfigureAwait(false);
        }
    }

    /// <summary>Sta3: accept (AE-7) or reject (AE-8) per configuration and load; an accepted association holds a slot of the limit.</summary>
    private async Task<DicomAssociation?> AnswerRequestAsync(PduChannel channel, AssociationStateMachine fsm, AAssociateRq request, EndPoint? remote)
    {
        var reject = CheckRequest(request);
        if (reject is not null)
        {
            Interlocked.Increment(ref _rejected);
            fsm.Fire(AssociationEvent.LocalAssociateReject);
            LogRejected(request.CallingAETitle, request.CalledAETitle, remote, reject.Source, reject.Reason);
            using var timeout = new CancellationTokenSource(_options.Timeouts.Artim);
            await channel.WriteAsync(reject, timeout.Token).ConfigureAwait(false);
            await channel.DrainUntilClosedAsync(_options.Timeouts.Artim).ConfigureAwait(false);
            fsm.Fire(AssociationEvent.TransportClosed);
            return null;
        }

        var accept = new AAssociateAc
        {
            CalledAETitle = request.CalledAETitle,
            CallingAETitle = request.CallingAETitle,
            PresentationContexts = [.. request.PresentationContexts.Select(_negotiator.Negotiate)],
            UserInformation = new UserInformation
            {
                MaximumLength = _options.MaxPduLength,
                ImplementationClassUid = DicomImplementation.ClassUid,
                ImplementationVersionName = DicomImplementation.VersionName,
                RoleSelections = _negotiator.NegotiateRoles(request),
            },
        };
        fsm.Fire(AssociationEvent.LocalAssociateAccept);
        Interlocked.Increment(ref _accepted);
        try
        {
            using var timeout = new CancellationTokenSource(_options.Timeouts.Artim);
            await channel.WriteAsync(accept, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _established);
            throw;
        }

        var acceptedCount = accept.PresentationContexts.Count(p => p.Result == PresentationContextResult.Acceptance);
        LogAccepted(request.CallingAETitle, remote, acceptedCount, accept.PresentationContexts.Count);
        return new DicomAssociation(channel, fsm, request, accept, _options.Timeouts, _logger, remote);
    }

    private AAssociateRj? CheckRequest(AAssociateRq request)
    {
        if ((request.ProtocolVersion & 1) == 0)
        {
            return new AAssociateRj(RejectResult.Permanent, RejectSource.ServiceProviderAcse, RejectReasons.ProtocolVersionNotSupported);
        }

        if (request.ApplicationContextName != DicomNetworkConstants.ApplicationContextName)
        {
            return new AAssociateRj(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.ApplicationContextNameNotSupported);
        }

        if (_options.CheckCalledAETitle && !string.Equals(request.CalledAETitle, _options.AETitle, StringComparison.Ordinal))
        {
            return new AAssociateRj(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.CalledAETitleNotRecognized);
        }

        if (_options.AllowedCallingAETitles is { } allowed && !allowed.Contains(request.CallingAETitle))
        {
            return new AAssociateRj(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.CallingAETitleNotRecognized);
        }

        // The slot is taken here, atomically, so simultaneous requests cannot all squeeze past the limit.
        if (Interlocked.Increment(ref _established) > _options.MaxAssociations)
        {
            Interlocked.Decrement(ref _established);
            return new AAssociateRj(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReasons.LocalLimitExceeded);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{AETitle} listening on port {Port}")]
    private partial void LogListening(string aeTitle, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "{AETitle} stopped")]
    private partial void LogStopped(string aeTitle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Remote}: no A-ASSOCIATE-RQ within {Artim} (ARTIM); connection closed")]
    private partial void LogNoRequest(EndPoint? remote, TimeSpan artim);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Remote}: connection ended: {Detail}")]
    private partial void LogConnectionFailed(EndPoint? remote, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Remote}: connection failed")]
    private partial void LogConnectionError(EndPoint? remote, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Remote}: invalid PDU ({Reason}): {Detail}; aborting")]
    private partial void LogBadPeer(EndPoint? remote, AbortReason reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association rejected: {Calling} -> {Called} from {Remote}, source {Source}, reason {Reason}")]
    private partial void LogRejected(string calling, string called, EndPoint? remote, RejectSource source, byte reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Association accepted: {Calling} from {Remote}, {Accepted}/{Proposed} presentation contexts")]
    private partial void LogAccepted(string calling, EndPoint? remote, int accepted, int proposed);
}
