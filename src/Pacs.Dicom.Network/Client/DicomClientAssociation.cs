using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pacs.Dicom.Network.Association;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Server;

namespace Pacs.Dicom.Network.Client;

/// <summary>
/// An association opened by <see cref="DicomClient"/>: sends requests and matches responses to them by message ID;
/// C-STORE requests the peer sends on it (C-GET sub-operations) go to the store handler given at connect time.
/// </summary>
public sealed partial class DicomClientAssociation : IAsyncDisposable, IAssociationListener
{
    private readonly ConcurrentDictionary<ushort, Channel<DimseMessage>> _pending = new();
    private readonly ConcurrentDictionary<Task, bool> _subOperations = new();
    private readonly TimeSpan _responseTimeout;
    private readonly IDicomStoreHandler? _storeHandler;
    private readonly ILogger _logger;
    private readonly Task _readLoop;
    private int _messageId;

    internal DicomClientAssociation(DicomAssociation association, TimeSpan responseTimeout, IDicomStoreHandler? storeHandler, ILogger logger)
    {
        Association = association;
        _responseTimeout = responseTimeout;
        _storeHandler = storeHandler;
        _logger = logger;
        _readLoop = RunAsync();
    }

    public DicomAssociation Association { get; }

    bool IAssociationListener.HasOperationsInProgress => !_pending.IsEmpty || !_subOperations.IsEmpty;

    /// <summary>The next Message ID (1…65535, then wraps) for a request on this association.</summary>
    public ushort NextMessageId()
    {
        var id = (ushort)Interlocked.Increment(ref _messageId);
        return id == 0 ? (ushort)Interlocked.Increment(ref _messageId) : id;
    }

    /// <summary>
    /// Sends a request (its Message ID is set here) and yields its responses, pending ones included, up to the final
    /// one. A response's dataset must be read before asking for the next response.
    /// </summary>
    public async IAsyncEnumerable<DimseMessage> RequestAsync(byte presentationContextId, DicomCommand command, Stream? dataSet,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var id = NextMessageId();
        command.MessageID = id;
        // A C-STORE's caller (a C-MOVE sending its next sub-operation) goes on from its response on the read loop's own
        // thread instead of being queued to another: it halves the context switches of a C-MOVE (11 to 5 per instance).
        // Safe because whatever the caller does next (open the next blob, send it, or read the dataset a stray response
        // carries, which the loop feeds) either finishes or awaits, and an await hands the thread back to the loop.
        var responses = Channel.CreateUnbounded<DimseMessage>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = command.CommandField == DicomCommandField.CStoreRequest,
        });
        _pending[id] = responses;
        try
        {
            await Association.SendAsync(presentationContextId, command, dataSet, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var response = await ReadResponseAsync(responses.Reader, cancellationToken).ConfigureAwait(false);
                yield return response;
                if (response.Command.Status.IsFinal)
                {
                    yield break;
                }
            }
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Sends C-CANCEL-RQ for a running C-FIND/C-MOVE/C-GET (PS3.7 9.3.2.3).</summary>
    public Task CancelAsync(byte presentationContextId, ushort messageId, CancellationToken cancellationToken = default) =>
        Association.SendAsync(presentationContextId, DicomCommand.CCancel(messageId), (Stream?)null, cancellationToken);

    public async Task<DicomStatus> EchoAsync(CancellationToken cancellationToken = default)
    {
        var pc = Association.FindContext(DicomUid.Verification.Value)
            ?? throw new DicomNetworkException("The peer did not accept the Verification SOP class.");
        return await FinalStatusAsync(RequestAsync(pc.Id, DicomCommand.CEcho(0), null, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>C-STORE of a dataset already encoded in <paramref name="transferSyntax"/>.</summary>
    public async Task<DicomStatus> StoreAsync(string sopClassUid, string sopInstanceUid, DicomTransferSyntax transferSyntax, Stream dataSet,
        DicomPriority priority = DicomPriority.Medium, CancellationToken cancellationToken = default)
    {
        var pc = Association.FindContext(sopClassUid, transferSyntax)
            ?? throw new DicomNetworkException($"No accepted presentation context for {sopClassUid} in {transferSyntax.UidValue}.");
        var command = DicomCommand.CStore(0, sopClassUid, sopInstanceUid, priority);
        return await FinalStatusAsync(RequestAsync(pc.Id, command, dataSet, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>C-STORE of a Part 10 file: the dataset is streamed from disk as stored, in the file's transfer syntax.</summary>
    public async Task<DicomStatus> StoreFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var header = await Part10Header.ReadAsync(file, cancellationToken).ConfigureAwait(false);
            var ts = DicomTransferSyntax.Parse(header.TransferSyntaxUid);
            var odd = ((file.Length - header.DataSetOffset) & 1) != 0;
            if (odd && !ts.IsDeflated)
            {
                throw new DicomException($"{path}: the dataset has an odd length; the file is malformed.");
            }

            Stream dataSet = odd ? new EvenPaddingStream(file) : file;
            return await StoreAsync(header.SopClassUid, header.SopInstanceUid, ts, dataSet, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public Task ReleaseAsync(CancellationToken cancellationToken = default) => Association.ReleaseAsync(cancellationToken);

    public Task AbortAsync() => Association.AbortAsync();

    public async ValueTask DisposeAsync()
    {
        await Association.DisposeAsync().ConfigureAwait(false);
        await _readLoop.ConfigureAwait(false);
    }

    ValueTask IAssociationListener.OnMessageAsync(DimseMessage message, CancellationToken cancellationToken)
    {
        var command = message.Command;
        if (!command.IsRequest)
        {
            if (_pending.TryGetValue(command.MessageIDBeingRespondedTo, out var responses) && responses.Writer.TryWrite(message))
            {
                return ValueTask.CompletedTask;
            }

            LogUnmatchedResponse(command);

            // Drained off the read loop: the loop itself feeds the dataset, so awaiting it here would deadlock.
            _ = Task.Run(async () =>
            {
                try
                {
                    await DrainAsync(message).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The association ended inside the dataset; nothing is waiting for it.
                }
            }, CancellationToken.None);
            return ValueTask.CompletedTask;
        }

        var task = HandleRequestAsync(message, cancellationToken);
        _subOperations[task] = true;
        _ = task.ContinueWith(t => _subOperations.TryRemove(t, out _), TaskScheduler.Default);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// A C-STORE sub-operation of a C-GET is handled at once; responses are not, as they wait in a queue until the
    /// caller reads them.
    /// </summary>
    bool IAssociationListener.ReadsDataSetDirectly(DicomCommand command) => command.CommandField == DicomCommandField.CStoreRequest;

    Task IAssociationListener.WhenIdleAsync() => Task.WhenAll(_subOperations.Keys);

    internal static async Task<DicomStatus> FinalStatusAsync(IAsyncEnumerable<DimseMessage> responses)
    {
        var status = DicomStatus.Success;
        await foreach (var response in responses.ConfigureAwait(false))
        {
            await DrainAsync(response).ConfigureAwait(false);
            status = response.Command.Status;
        }

        return status;
    }

    private static async Task DrainAsync(DimseMessage message)
    {
        if (message.DataSet is { } dataSet)
        {
            await dataSet.CopyToAsync(Stream.Null).ConfigureAwait(false);
            await dataSet.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<DimseMessage> ReadResponseAsync(ChannelReader<DimseMessage> reader, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_responseTimeout);
        try
        {
            return await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw new DicomNetworkException("The association ended before the final response arrived.", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await Association.AbortAsync().ConfigureAwait(false);
            throw new DicomNetworkException($"No DIMSE response within {_responseTimeout}; the association was aborted.");
        }
    }

    private async Task HandleRequestAsync(DimseMessage message, CancellationToken cancellationToken)
    {
        var command = message.Command;
        var status = DicomStatus.UnrecognizedOperation;
        try
        {
            if (command.CommandField == DicomCommandField.CStoreRequest && _storeHandler is not null && message.DataSet is not null
                && command.AffectedSOPClassUID is { } sopClass && command.AffectedSOPInstanceUID is { } sopInstance)
            {
                var info = new DicomAssociationInfo(Association.CallingAETitle, Association.CalledAETitle, Association.RemoteEndPoint);
                var request = new DicomStoreRequest(info, sopClass, sopInstance, message.PresentationContext.TransferSyntax!, command.MessageID,
                    command.Priority, command.MoveOriginatorApplicationEntityTitle, command.MoveOriginatorMessageID);
                status = await _storeHandler.OnStoreAsync(request, message.DataSet, cancellationToken).ConfigureAwait(false);
            }

            await DrainAsync(message).ConfigureAwait(false);
            await Association.SendAsync(message.PresentationContext.Id, DicomCommand.Response(command, status), (Stream?)null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomNetworkException or IOException or OperationCanceledException)
        {
            LogSubOperationAbandoned(command, e.Message);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await Association.RunAsync(this, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            foreach (var responses in _pending.Values)
            {
                responses.Writer.TryComplete();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Response {Command} matches no outstanding request")]
    private partial void LogUnmatchedResponse(DicomCommand command);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Command} from the peer abandoned: {Reason}")]
    private partial void LogSubOperationAbandoned(DicomCommand command, string reason);
}
