using System.IO.Pipelines;

namespace Pacs.Dicom.Network.Association;

/// <summary>
/// A dataset buffered in a pipe: the read loop moves on as soon as a fragment is in the pipe, up to the pause
/// threshold, whether or not the consumer reads yet (responses queued for a client, identifiers read later).
/// </summary>
internal sealed class PipedDataSet : IDataSetReceiver
{
    private static readonly PipeOptions Options = new(pauseWriterThreshold: 4 * 1024 * 1024, resumeWriterThreshold: 2 * 1024 * 1024, useSynchronizationContext: false);

    /// <summary>Socket reads into the pipe ask for this much room, so a large fragment is not read a few KB at a time.</summary>
    private const int ReadChunk = 64 * 1024;

    private const int MaxUnflushed = 1024 * 1024;

    private readonly Pipe _pipe = new(Options);

    public PipedDataSet() => Stream = _pipe.Reader.AsStream();

    public Stream Stream { get; }

    public async ValueTask ReceiveAsync(PduChannel channel, int length, bool isLast, CancellationToken readToken, CancellationToken waitToken)
    {
        var writer = _pipe.Writer;
        var unflushed = 0;
        while (length > 0)
        {
            var memory = writer.GetMemory(Math.Min(length, ReadChunk));
            var n = await channel.ReadSomeAsync(memory[..Math.Min(memory.Length, length)], readToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException("The connection closed inside a PDU.");
            }

            writer.Advance(n);
            length -= n;
            unflushed += n;
            if (unflushed >= MaxUnflushed && length > 0)
            {
                // A huge fragment (the peer's PDU limit may be none) still meets the pipe's back pressure.
                await writer.FlushAsync(waitToken).ConfigureAwait(false);
                unflushed = 0;
            }
        }

        // One flush (one wake-up of the consumer) per fragment; a consumer that stopped reading just has it dropped.
        await writer.FlushAsync(waitToken).ConfigureAwait(false);
        if (isLast)
        {
            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    public void Fail(Exception error) => _pipe.Writer.Complete(new IOException("The association ended before the dataset was complete.", error));
}
