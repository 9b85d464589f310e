using Pacs.Dicom.IO;
using Pacs.Dicom.Network.Association;
using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Client;

/// <summary>
/// One C-FIND (PS3.4 C.4.1): enumerating it sends the request and yields each match as its pending response
/// arrives. <see cref="CancelAsync"/> sends C-CANCEL and the enumeration goes on to the final response (0xFE00);
/// cancelling the enumeration's token does the same, then throws <see cref="OperationCanceledException"/>.
/// Enumerate once.
/// </summary>
public sealed class DicomFindOperation : IAsyncEnumerable<DicomDataset>
{
    private const int MaxResultLength = 16 * 1024 * 1024;

    private readonly DicomClientAssociation _association;
    private readonly DicomPresentationContext _context;
    private readonly DicomCommand _command;
    private readonly DicomDataset _identifier;
    private int _started;
    private int _sent;
    private int _cancelSent;

    internal DicomFindOperation(DicomClientAssociation association, DicomPresentationContext context, DicomCommand command, DicomDataset identifier)
    {
        _association = association;
        _context = context;
        _command = command;
        _identifier = identifier;
    }

    /// <summary>The final response's status, once it arrived.</summary>
    public DicomStatus? FinalStatus { get; private set; }

    /// <summary>The final response's Error Comment (0000,0902), if any.</summary>
    public string? ErrorComment { get; private set; }

    /// <summary>Matches that came with 0xFF01 (optional keys not supported).</summary>
    public int PendingWarnings { get; private set; }

    /// <summary>Sends C-CANCEL for this C-FIND (once; ignored before the request went out or after it ended).</summary>
    public async Task CancelAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _sent) == 1 && FinalStatus is null && Interlocked.Exchange(ref _cancelSent, 1) == 0)
        {
            await _association.CancelAsync(_context.Id, _command.MessageID, cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerator<DicomDataset> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A C-FIND operation can be enumerated only once.");
        }

        using var identifier = new MemoryStream(DicomDatasetWriter.ToBytes(_identifier, _context.TransferSyntax!), writable: false);
        var responses = _association.RequestAsync(_context.Id, _command, identifier, CancellationToken.None).GetAsyncEnumerator(CancellationToken.None);
        await using (responses.ConfigureAwait(false))
        {
            var first = responses.MoveNextAsync();

            // RequestAsync set the Message ID synchronously, before its first await: a C-CANCEL can name it from now on.
            Volatile.Write(ref _sent, 1);
            using var registration = cancellationToken.Register(() => _ = CancelQuietlyAsync());
            var more = await first.ConfigureAwait(false);
            while (more)
            {
                var message = responses.Current;
                var status = message.Command.Status;
                if (status.IsFinal)
                {
                    await message.DrainDataSetAsync(CancellationToken.None).ConfigureAwait(false);
                    FinalStatus = status;
                    ErrorComment = message.Command.ErrorComment;
                    break;
                }

                DicomDataset? match = null;
                if (message.DataSet is { } dataSet)
                {
                    await using (dataSet.ConfigureAwait(false))
                    {
                        var bytes = await message.ReadDataSetAsync(MaxResultLength, CancellationToken.None).ConfigureAwait(false);
                        match = DicomDatasetReader.Read(bytes, message.PresentationContext.TransferSyntax!);
                    }
                }

                if (status.Code == DicomStatus.PendingWarning.Code)
                {
                    PendingWarnings++;
                }

                if (match is not null && !cancellationToken.IsCancellationRequested)
                {
                    yield return match;
                }

                more = await responses.MoveNextAsync().ConfigureAwait(false);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task CancelQuietlyAsync()
    {
        try
        {
            await CancelAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (DicomNetworkException)
        {
            // The association is gone; the enumeration sees that on its next read.
        }
    }
}
