using System.Buffers;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Association;

/// <summary>
/// Reassembles DIMSE messages from PDVs (PS3.7 Annex E, PS3.8 Annex E) as they are read off the connection: command
/// fragments are collected in memory (a command set is small, and bounded here); dataset fragments go to whoever
/// consumes the message — read by the consumer itself straight off the connection when it asked for that, otherwise
/// through a pipe — so a large dataset is never held whole. Only the association's read loop calls it.
/// </summary>
internal sealed class MessageAssembler
{
    /// <summary>A command set is a few hundred bytes; anything near this is an attack or garbage.</summary>
    public const int MaxCommandLength = 64 * 1024;

    private readonly IReadOnlyDictionary<byte, DicomPresentationContext> _contexts;
    private readonly ArrayBufferWriter<byte> _command = new(1024);
    private DicomPresentationContext? _context;
    private IDataSetReceiver? _dataSet;

    public MessageAssembler(IReadOnlyDictionary<byte, DicomPresentationContext> contexts) => _contexts = contexts;

    /// <summary>
    /// Adds one PDV whose <paramref name="length"/> data bytes are the next on <paramref name="channel"/> (and are read
    /// by the time this returns); returns a message when its command has just completed. <paramref name="readsDirectly"/>
    /// says, for a command with a dataset, whether its consumer reads the dataset straight off the connection.
    /// <paramref name="readToken"/> limits reads off the connection, <paramref name="waitToken"/> waits for the consumer.
    /// </summary>
    public async ValueTask<DimseMessage?> AddAsync(byte contextId, bool isCommand, bool isLast, int length, PduChannel channel,
        Func<DicomCommand, bool> readsDirectly, CancellationToken readToken, CancellationToken waitToken)
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

            if (_command.WrittenCount + length > MaxCommandLength)
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"Command set longer than {MaxCommandLength} bytes.");
            }

            await channel.ReadExactlyAsync(_command.GetMemory(length)[..length], readToken).ConfigureAwait(false);
            _command.Advance(length);
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

            _dataSet = readsDirectly(command) ? new DirectDataSet() : new PipedDataSet();
            return new DimseMessage(pc, command, _dataSet.Stream);
        }

        if (_dataSet is null)
        {
            throw new DicomPduException(AbortReason.UnexpectedPduParameter, "Dataset fragment received without a command announcing it.");
        }

        // Cleared only once the fragment is through: a connection lost inside it must still fail the consumer.
        await _dataSet.ReceiveAsync(channel, length, isLast, readToken, waitToken).ConfigureAwait(false);
        if (isLast)
        {
            _dataSet = null;
            _context = null;
        }

        return null;
    }

    /// <summary>The association ended inside a message: whoever reads the dataset gets an error instead of a short dataset.</summary>
    public void Fail(Exception error)
    {
        _dataSet?.Fail(error);
        _dataSet = null;
    }
}
