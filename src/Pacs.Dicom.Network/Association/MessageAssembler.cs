using System.Buffers;
using System.IO.Pipelines;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Association;

/// <summary>
/// Reassembles DIMSE messages from PDVs (PS3.7 Annex E, PS3.8 Annex E): command fragments are collected in memory
/// (a command set is small, and bounded here), dataset fragments are pushed through a pipe to whoever consumes the
/// message, so a large dataset is never held whole. Only the association's read loop calls it.
/// </summary>
internal sealed class MessageAssembler
{
    /// <summary>A command set is a few hundred bytes; anything near this is an attack or garbage.</summary>
    public const int MaxCommandLength = 64 * 1024;

    private static readonly PipeOptions DataSetPipeOptions = new(pauseWriterThreshold: 4 * 1024 * 1024, resumeWriterThreshold: 2 * 1024 * 1024, useSynchronizationContext: false);

    private readonly IReadOnlyDictionary<byte, DicomPresentationContext> _contexts;
    private readonly ArrayBufferWriter<byte> _command = new(1024);
    private DicomPresentationContext? _context;
    private Pipe? _dataSet;

    public MessageAssembler(IReadOnlyDictionary<byte, DicomPresentationContext> contexts) => _contexts = contexts;

    /// <summary>Adds one PDV; returns a message when its command has just completed.</summary>
    public async ValueTask<DimseMessage?> AddAsync(byte contextId, bool isCommand, bool isLast, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!_contexts.TryGetValue(contextId, out var pc) || !pc.IsAccepted)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"PDV on presentation context {contextId}, which was not accepted.");
        }

        if (_context is not null && _context.Id != contextId)
        {
            throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"PDV on presentation context {contextId} inside a message on context {_context.Id}.");
        }

        _context = pc;
        if (isCommand)
        {
            if (_dataSet is not null)
            {
                throw new DicomPduException(AbortReason.UnexpectedPduParameter, "Command fragment received while a dataset was expected.");
            }

            if (_command.WrittenCount + data.Length > MaxCommandLength)
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"Command set longer than {MaxCommandLength} bytes.");
            }

            _command.Write(data.Span);
            if (!isLast)
            {
                return null;
            }

            DicomCommand command;
            try
            {
                command = DicomCommand.Decode(_command.WrittenSpan);
            }
            catch (DicomException e)
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, "Invalid command set: " + e.Message);
            }

            _command.ResetWrittenCount();
            if (!command.HasDataSet)
            {
                _context = null;
                return new DimseMessage(pc, command, null);
            }

            _dataSet = new Pipe(DataSetPipeOptions);
            return new DimseMessage(pc, command, _dataSet.Reader.AsStream());
        }

        if (_dataSet is null)
        {
            throw new DicomPduException(AbortReason.UnexpectedPduParameter, "Dataset fragment received without a command announcing it.");
        }

        // A consumer that stopped reading (completed its reader) just makes the rest be discarded.
        await _dataSet.Writer.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        if (isLast)
        {
            await _dataSet.Writer.CompleteAsync().ConfigureAwait(false);
            _dataSet = null;
            _context = null;
        }

        return null;
    }

    /// <summary>The association ended inside a message: whoever reads the dataset gets an error instead of a short dataset.</summary>
    public void Fail(Exception error)
    {
        _dataSet?.Writer.Complete(new IOException("The association ended before the dataset was complete.", error));
        _dataSet = null;
    }
}
