using Microsoft.Extensions.Logging;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Server;

/// <summary>
/// The association a C-MOVE SCP opens to the move destination (PS3.4 C.4.2.2): one context per SOP class and
/// transfer syntax of the instances, plus a native fallback for native data the destination may not take as is.
/// </summary>
internal sealed partial class MoveDestinationTarget : ISubOperationTarget
{
    private const int MaxContexts = 128;

    private readonly DicomClientAssociation _association;
    private readonly string _originatorAETitle;
    private readonly ILogger _logger;

    private MoveDestinationTarget(DicomClientAssociation association, string originatorAETitle, ILogger logger)
    {
        _association = association;
        _originatorAETitle = originatorAETitle;
        _logger = logger;
    }

    public static async Task<MoveDestinationTarget> ConnectAsync(DicomRemoteNode destination, DicomServerOptions options,
        IReadOnlyList<DicomRetrieveInstance> instances, ILogger logger, CancellationToken cancellationToken)
    {
        var client = new DicomClient(new DicomClientOptions
        {
            Host = destination.Host,
            Port = destination.Port,
            CallingAETitle = options.AETitle,
            CalledAETitle = destination.AETitle,
            Tls = null,
        }, logger);
        var association = await client.ConnectAsync(ProposedContexts(instances), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new MoveDestinationTarget(association, options.AETitle, logger);
    }

    private static List<(string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes)> ProposedContexts(IReadOnlyList<DicomRetrieveInstance> instances)
    {
        var exact = instances.Select(i => (i.SopClassUid, i.TransferSyntax.UidValue)).Distinct().ToList();
        var native = instances.Where(i => SubOperationEncoding.CanTranscode(i.TransferSyntax, DicomTransferSyntax.ExplicitVRLittleEndian))
            .Select(i => i.SopClassUid).Distinct(StringComparer.Ordinal);
        IReadOnlyList<string> fallback = [DicomTransferSyntax.ExplicitVRLittleEndian.UidValue, DicomTransferSyntax.ImplicitVRLittleEndian.UidValue];
        return [.. exact.Select(e => (e.SopClassUid, (IReadOnlyList<string>)[e.UidValue]))
            .Concat(native.Select(sop => (sop, fallback)))
            .Take(MaxContexts)];
    }

    public async Task<DicomStatus> StoreAsync(DicomRetrieveInstance instance, ushort originatorMessageId, CancellationToken cancellationToken)
    {
        if (_association.Association.Completion.IsCompleted)
        {
            return DicomStatus.ProcessingFailure;
        }

        if (SubOperationEncoding.ChooseContext(_association.Association.PresentationContexts.Values, instance) is not { } pc)
        {
            LogNotAccepted(_association.Association.CalledAETitle, instance.SopClassUid, instance.TransferSyntax.UidValue);
            return DicomStatus.SopClassNotSupported;
        }

        Stream dataSet;
        try
        {
            dataSet = await SubOperationEncoding.OpenAsync(instance, pc, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogInstanceUnreadable(instance.SopInstanceUid, e.Message);
            return DicomStatus.ProcessingFailure;
        }

        await using (dataSet.ConfigureAwait(false))
        {
            try
            {
                var command = DicomCommand.CStore(0, instance.SopClassUid, instance.SopInstanceUid, DicomPriority.Medium, _originatorAETitle, originatorMessageId);
                return await DicomClientAssociation.FinalStatusAsync(_association.RequestAsync(pc.Id, command, dataSet, cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DicomNetworkException or IOException)
            {
                // The destination went away: this and every later sub-operation fail, the C-MOVE itself goes on answering.
                LogDestinationLost(_association.Association.CalledAETitle, e.Message);
                return DicomStatus.ProcessingFailure;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _association.ReleaseAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomNetworkException or IOException or OperationCanceledException)
        {
            LogDestinationLost(_association.Association.CalledAETitle, e.Message);
        }

        await _association.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Move destination {Destination} accepted no context for {SopClass} in {TransferSyntax}")]
    private partial void LogNotAccepted(string destination, string sopClass, string transferSyntax);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {SopInstanceUid} cannot be opened for a sub-operation: {Reason}")]
    private partial void LogInstanceUnreadable(string sopInstanceUid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Move destination {Destination}: {Reason}")]
    private partial void LogDestinationLost(string destination, string reason);
}
