using System.Net;
using Microsoft.Extensions.Logging;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Association;

/// <summary>
/// An established association, on either side. One read loop receives PDUs and reassembles DIMSE messages;
/// any task may send messages, one whole message at a time. Every event passes through the PS3.8 state machine.
/// </summary>
public sealed partial class DicomAssociation : IAsyncDisposable
{
    /// <summary>A PDV item's length (4 bytes), presentation context ID and message control header.</summary>
    private const int PdvHeaderLength = 6;

    private readonly PduChannel _channel;
    private readonly AssociationStateMachine _fsm;
    private readonly Lock _stateLock = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ILogger _logger;
    private readonly DicomAssociationTimeouts _timeouts;
    private readonly Dictionary<byte, DicomPresentationContext> _contexts;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MessageAssembler _assembler;
    private readonly byte[] _pdvHeader = new byte[PdvHeaderLength];
    private int _disposed;

    internal DicomAssociation(PduChannel channel, AssociationStateMachine fsm, AAssociateRq request, AAssociateAc accept,
        DicomAssociationTimeouts timeouts, ILogger logger, EndPoint? remoteEndPoint)
    {
        _channel = channel;
        _fsm = fsm;
        _timeouts = timeouts;
        _logger = logger;
        Request = request;
        Accept = accept;
        RemoteEndPoint = remoteEndPoint;
        _contexts = BuildContexts(request, accept);
        _assembler = new MessageAssembler(_contexts);
    }

    public AAssociateRq Request { get; }

    public AAssociateAc Accept { get; }

    public string CallingAETitle => Request.CallingAETitle;

    public string CalledAETitle => Request.CalledAETitle;

    public EndPoint? RemoteEndPoint { get; }

    public bool IsRequestor => _fsm.IsRequestor;

    public AssociationState State
    {
        get
        {
            lock (_stateLock)
            {
                return _fsm.State;
            }
        }
    }

    public IReadOnlyDictionary<byte, DicomPresentationContext> PresentationContexts => _contexts;

    /// <summary>The largest P-DATA-TF variable field the peer accepts (0 = no limit).</summary>
    public uint PeerMaxPduLength => IsRequestor ? Accept.UserInformation.MaximumLength : Request.UserInformation.MaximumLength;

    /// <summary>The largest P-DATA-TF this side accepts.</summary>
    public uint LocalMaxPduLength => IsRequestor ? Request.UserInformation.MaximumLength : Accept.UserInformation.MaximumLength;

    /// <summary>Completes when the association is over, however it ended.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The accepted context for an abstract syntax, preferring <paramref name="transferSyntax"/> when given.</summary>
    public DicomPresentationContext? FindContext(string abstractSyntax, DicomTransferSyntax? transferSyntax = null)
    {
        DicomPresentationContext? any = null;
        foreach (var pc in _contexts.Values)
        {
            if (pc.IsAccepted && pc.AbstractSyntax == abstractSyntax)
            {
                if (transferSyntax is null || pc.TransferSyntax!.Equals(transferSyntax))
                {
                    return pc;
                }

                any ??= pc;
            }
        }

        return transferSyntax is null ? any : null;
    }

    /// <summary>Requests an orderly release (requestor side) and waits until the peer answered and the transport closed.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        lock (_stateLock)
        {
            if (_fsm.State != AssociationState.Established)
            {
                return;
            }

            _fsm.Fire(AssociationEvent.LocalReleaseRequest);
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _channel.WriteAsync(new AReleaseRq(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }

        LogReleaseRequested(CalledAETitle);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeouts.Artim);
        try
        {
            await Completion.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await AbortAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A-ABORT from this side (service-user source); the transport closes afterwards.</summary>
    public async Task AbortAsync()
    {
        bool send;
        lock (_stateLock)
        {
            send = _fsm.CanFire(AssociationEvent.LocalAbort) && _fsm.Fire(AssociationEvent.LocalAbort) == AssociationAction.AA1;
        }

        if (send)
        {
            await TrySendAbortAsync(AbortSource.ServiceUser, AbortReason.NotSpecified).ConfigureAwait(false);
        }

        await _closing.CancelAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (State is AssociationState.Established)
        {
            await AbortAsync().ConfigureAwait(false);
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        await _channel.DisposeAsync().ConfigureAwait(false);
        _assembler.Fail(new DicomNetworkException("The association was closed."));
        _closing.Dispose();
        _sendLock.Dispose();
    }

    private static Dictionary<byte, DicomPresentationContext> BuildContexts(AAssociateRq request, AAssociateAc accept)
    {
        var proposed = request.PresentationContexts.ToDictionary(p => p.Id);
        var result = new Dictionary<byte, DicomPresentationContext>();
        foreach (var answer in accept.PresentationContexts)
        {
            if (!proposed.TryGetValue(answer.Id, out var proposal))
            {
                continue;
            }

            var ts = answer.Result == PresentationContextResult.Acceptance ? DicomTransferSyntax.Parse(answer.TransferSyntax) : null;
            result[answer.Id] = new DicomPresentationContext(answer.Id, proposal.AbstractSyntax, answer.Result, ts);
        }

        return result;
    }

    private async Task TrySendAbortAsync(AbortSource source, AbortReason reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_timeouts.Artim);
            await _channel.WriteAsync(new AAbort(source, reason), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            LogAbortNotSent(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A-RELEASE-RQ sent to {CalledAE}")]
    private partial void LogReleaseRequested(string calledAE);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A-ABORT could not be sent: {Reason}")]
    private partial void LogAbortNotSent(string reason);
}
