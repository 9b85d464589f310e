using Pacs.Dicom.IO;
using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Client;

/// <summary>C-FIND, C-MOVE and C-GET as an SCU (PS3.4 Annex C).</summary>
public sealed partial class DicomClientAssociation
{
    private const int MaxResponseIdentifierLength = 4 * 1024 * 1024;

    /// <summary>A C-FIND on the accepted context of <paramref name="sopClassUid"/>; enumerate the result to run it.</summary>
    public DicomFindOperation FindAsync(string sopClassUid, DicomDataset identifier, DicomPriority priority = DicomPriority.Medium)
    {
        var pc = Association.FindContext(sopClassUid)
            ?? throw new DicomNetworkException($"The peer did not accept {sopClassUid}.");
        return new DicomFindOperation(this, pc, DicomCommand.CFind(0, sopClassUid, priority), identifier);
    }

    /// <summary>
    /// C-MOVE of what <paramref name="identifier"/> matches to <paramref name="destinationAETitle"/>. Cancelling the token
    /// sends C-CANCEL; the result then carries the SCP's final status (0xFE00 normally).
    /// </summary>
    public Task<DicomRetrieveResult> MoveAsync(string destinationAETitle, DicomDataset identifier, string? sopClassUid = null,
        IProgress<DicomRetrieveProgress>? progress = null, DicomPriority priority = DicomPriority.Medium, CancellationToken cancellationToken = default)
    {
        var sopClass = sopClassUid ?? DicomUid.StudyRootQueryRetrieveInformationModelMove.Value;
        return RetrieveAsync(DicomCommand.CMove(0, sopClass, destinationAETitle, priority), identifier, progress, cancellationToken);
    }

    /// <summary>
    /// C-GET: the SCP sends the matches as C-STORE sub-operations on this association, which go to the store
    /// handler given when it was opened (see <see cref="DicomClient.GetAsync"/>).
    /// </summary>
    public Task<DicomRetrieveResult> GetAsync(DicomDataset identifier, string? sopClassUid = null, IProgress<DicomRetrieveProgress>? progress = null,
        DicomPriority priority = DicomPriority.Medium, CancellationToken cancellationToken = default)
    {
        var sopClass = sopClassUid ?? DicomUid.StudyRootQueryRetrieveInformationModelGet.Value;
        return RetrieveAsync(DicomCommand.CGet(0, sopClass, priority), identifier, progress, cancellationToken);
    }

    private async Task<DicomRetrieveResult> RetrieveAsync(DicomCommand command, DicomDataset identifier, IProgress<DicomRetrieveProgress>? progress,
        CancellationToken cancellationToken)
    {
        var pc = Association.FindContext(command.AffectedSOPClassUID!)
            ?? throw new DicomNetworkException($"The peer did not accept {command.AffectedSOPClassUID}.");
        using var stream = new MemoryStream(DicomDatasetWriter.ToBytes(identifier, pc.TransferSyntax!), writable: false);
        var cancelSent = 0;
        async Task SendCancelAsync()
        {
            if (Interlocked.Exchange(ref cancelSent, 1) == 0)
            {
                try
                {
                    await CancelAsync(pc.Id, command.MessageID, CancellationToken.None).ConfigureAwait(false);
                }
                catch (DicomNetworkException)
                {
                    // The association is gone; the response loop reports it.
                }
            }
        }

        var responses = RequestAsync(pc.Id, command, stream, CancellationToken.None).GetAsyncEnumerator(CancellationToken.None);
        await using (responses.ConfigureAwait(false))
        {
            var next = responses.MoveNextAsync();
            using var registration = cancellationToken.Register(() => _ = SendCancelAsync());
            while (await next.ConfigureAwait(false))
            {
                var message = responses.Current;
                var response = message.Command;
                var counters = new DicomRetrieveProgress(response.Status, response.NumberOfRemainingSuboperations,
                    response.NumberOfCompletedSuboperations ?? 0, response.NumberOfFailedSuboperations ?? 0, response.NumberOfWarningSuboperations ?? 0);
                if (response.Status.IsFinal)
                {
                    IReadOnlyList<string> failed = [];
                    if (message.DataSet is { } dataSet)
                    {
                        await using (dataSet.ConfigureAwait(false))
                        {
                            var bytes = await message.ReadDataSetAsync(MaxResponseIdentifierLength, CancellationToken.None).ConfigureAwait(false);
                            var list = DicomDatasetReader.Read(bytes, message.PresentationContext.TransferSyntax!);
                            failed = list.Contains(DicomTag.FailedSOPInstanceUIDList) ? list.GetStrings(DicomTag.FailedSOPInstanceUIDList) : [];
                        }
                    }

                    return new DicomRetrieveResult(response.Status, counters.Remaining, counters.Completed, counters.Failed, counters.Warning,
                        failed, response.ErrorComment);
                }

                await message.DrainDataSetAsync(CancellationToken.None).ConfigureAwait(false);
                progress?.Report(counters);
                next = responses.MoveNextAsync();
            }
        }

        throw new DicomNetworkException("The association ended before the final response arrived.");
    }
}
