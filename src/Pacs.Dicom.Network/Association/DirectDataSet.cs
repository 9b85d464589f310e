using System.Buffers;
using Pacs.Dicom.IO;

namespace Pacs.Dicom.Network.Association;

/// <summary>
/// A dataset its consumer reads straight off the connection: for each fragment the read loop hands over the
/// connection's read side and waits until the consumer has read the fragment's bytes, then reads the next headers
/// itself. The bytes go from the socket into the consumer's buffer (for a C-STORE, the staged blob's) with no copy or
/// queue between, and the hand-overs run inline, not as thread-pool hops.
/// </summary>
/// <remarks>
/// Only for consumers that start reading at once and need nothing else from the association meanwhile (a C-STORE
/// handler): until the consumer has read a fragment, the association receives nothing else. A consumer that disposes
/// the stream early has the rest read off the wire and dropped by the loop.
/// </remarks>
internal sealed class DirectDataSet : ForwardReadStream, IDataSetReceiver
{
    private readonly Lock _lock = new();
    private PduChannel? _channel;
    private CancellationToken _readToken;
    private TaskCompletionSource _fragmentGiven = new();
    private TaskCompletionSource? _fragmentDone;
    private int _remaining;
    private bool _last;
    private bool _complete;
    private bool _abandoned;
    private bool _disposed;
    private Exception? _failure;

    public Stream Stream => this;

    /// <summary>Loop side: lends the connection for one fragment and waits until the consumer has read it (or gave up).</summary>
    public async ValueTask ReceiveAsync(PduChannel channel, int length, bool isLast, CancellationToken readToken, CancellationToken waitToken)
    {
        TaskCompletionSource? done = null;
        TaskCompletionSource given;
        lock (_lock)
        {
            given = _fragmentGiven;
            if (length == 0 || _abandoned || _failure is not null)
            {
                // Nothing to lend: an empty fragment only tells the consumer whether the dataset ends here.
                _complete |= isLast && length == 0 && !_abandoned && _failure is null;
                _fragmentGiven = new TaskCompletionSource();
            }
            else
            {
                _channel = channel;
                _readToken = readToken;
                _remaining = length;
                _last = isLast;
                done = _fragmentDone = new TaskCompletionSource();
            }
        }

        if (done is null)
        {
            given.TrySetResult();
            await channel.SkipAsync(length, readToken).ConfigureAwait(false);
            return;
        }

        // Continuations run inline: the consumer goes on reading on this thread, and the loop goes on where the consumer
        // finished, as one sequence of reads rather than two tasks signalling each other through the thread pool.
        given.TrySetResult();
        using (waitToken.Register(static state => ((TaskCompletionSource)state!).TrySetCanceled(), done))
        {
            await done.Task.ConfigureAwait(false);
        }

        int left;
        lock (_lock)
        {
            left = _remaining;
        }

        if (left > 0)
        {
            // The consumer disposed of the stream inside the fragment.
            await channel.SkipAsync(left, readToken).ConfigureAwait(false);
        }
    }

    public void Fail(Exception error)
    {
        TaskCompletionSource given;
        lock (_lock)
        {
            if (_complete)
            {
                return;
            }

            _failure ??= error;
            given = _fragmentGiven;
        }

        given.TrySetResult();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        PduChannel channel;
        CancellationToken readToken;
        int wanted;
        while (true)
        {
            Task waiting;
            lock (_lock)
            {
                if (_disposed)
                {
                    // Whoever disposed of it is done with it; a drain after that finds nothing left to read.
                    return 0;
                }

                if (_abandoned)
                {
                    throw new IOException("The dataset was abandoned when a read of it was cancelled.");
                }

                if (_failure is { } failure)
                {
                    throw new IOException("The association ended before the dataset was complete.", failure);
                }

                if (_remaining > 0)
                {
                    channel = _channel!;
                    readToken = _readToken;
                    wanted = Math.Min(buffer.Length, _remaining);
                    break;
                }

                if (_complete)
                {
                    return 0;
                }

                waiting = _fragmentGiven.Task;
            }

            if (cancellationToken.CanBeCanceled)
            {
                await waiting.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await waiting.ConfigureAwait(false);
            }
        }

        if (wanted == 0)
        {
            return 0;
        }

        int n;
        try
        {
            // The loop's limit on reads off the connection applies here too: a peer that stops sending inside a
            // fragment is aborted, not waited for with an association and a staged blob held.
            if (cancellationToken.CanBeCanceled)
            {
                using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, readToken);
                n = await channel.ReadSomeAsync(buffer[..wanted], both.Token).ConfigureAwait(false);
            }
            else
            {
                n = await channel.ReadSomeAsync(buffer[..wanted], readToken).ConfigureAwait(false);
            }

            if (n == 0)
            {
                throw new EndOfStreamException("The connection closed inside a PDU.");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            HandBack(e);
            throw new IOException("The association ended before the dataset was complete.", e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The consumer gave up: the loop drops the rest.
            Abandon();
            throw;
        }
        catch (OperationCanceledException e)
        {
            // The peer stalled (or the association is closing): the loop aborts the association.
            HandBack(e);
            throw new IOException("The peer stopped sending inside the dataset.", e);
        }

        bool finished;
        lock (_lock)
        {
            _remaining -= n;
            finished = _remaining == 0;
            if (finished && _last)
            {
                _complete = true;
            }
        }

        if (finished)
        {
            HandBack(null);
        }

        return n;
    }

    public override int Read(Span<byte> buffer)
    {
        // Consumers read asynchronously; this is for the odd synchronous reader only.
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var n = ReadAsync(rented.AsMemory(0, buffer.Length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                _disposed = true;
            }

            Abandon();
        }

        base.Dispose(disposing);
    }

    private void Abandon()
    {
        lock (_lock)
        {
            if (_abandoned || _complete)
            {
                return;
            }

            _abandoned = true;
        }

        HandBack(null);
    }

    /// <summary>Consumer side: gives the connection back to the loop, which was waiting for this fragment.</summary>
    private void HandBack(Exception? error)
    {
        TaskCompletionSource? done;
        lock (_lock)
        {
            done = _fragmentDone;
            _fragmentDone = null;
            _channel = null;
            if (error is not null)
            {
                // The connection is the loop's again and the fragment is lost: any further read fails.
                _failure ??= error;
            }

            if (done is not null)
            {
                _fragmentGiven = new TaskCompletionSource();
            }
        }

        if (done is null)
        {
            return;
        }

        if (error is null)
        {
            done.TrySetResult();
        }
        else
        {
            done.TrySetException(error);
        }
    }
}
