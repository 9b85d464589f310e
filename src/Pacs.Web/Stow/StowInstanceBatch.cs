using Pacs.Archive.Ingest;

namespace Pacs.Web.Stow;

/// <summary>
/// The application/dicom parts of one STOW-RS request. Each received instance is prepared (version reserved, blob
/// durable under its key, nothing visible) while the rest of the body still streams in, a few at a time; once the body
/// has proved well-formed every prepared instance is committed at once (the commits share transactions). A request
/// that breaks off is never committed: disposing the batch abandons what was prepared, so it stores nothing.
/// </summary>
internal sealed class StowInstanceBatch(IngestPipeline ingest, string? study, int parallelism, Func<IngestResult, StowOutcome> toOutcome) : IAsyncDisposable
{
    private readonly SemaphoreSlim _lanes = new(Math.Max(1, parallelism));
    private readonly List<Part> _parts = [];
    private bool _committed;

    public int Count => _parts.Count;

    public void Add(StowOutcome failure) => _parts.Add(new Part(null, Task.FromResult(new Step(null, failure))));

    /// <summary>
    /// Adds a received instance and starts preparing it on the thread pool: the preparation's fsyncs and renames are
    /// synchronous calls, which must not hold up the reading of the next part.
    /// </summary>
    public void Add(ReceivedInstance instance, CancellationToken cancellationToken) =>
        _parts.Add(new Part(instance, Task.Run(() => PrepareAsync(instance, cancellationToken), CancellationToken.None)));

    /// <summary>Commits every prepared instance; the outcomes keep the order of the parts.</summary>
    public async Task<StowOutcome[]> CommitAsync(CancellationToken cancellationToken)
    {
        _committed = true;
        return await Task.WhenAll(_parts.Select(async part =>
        {
            var step = await part.Preparing.ConfigureAwait(false);
            return step.Outcome ?? toOutcome(await ingest.CommitAsync(step.Prepared!, cancellationToken).ConfigureAwait(false));
        })).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var part in _parts)
        {
            Step? step = null;
            try
            {
                step = await part.Preparing.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // The request was aborted while this part was being written; the pipeline cleaned up after itself.
            }

            if (!_committed && step?.Prepared is { IsPrepared: true } prepared)
            {
                await ingest.AbandonAsync(prepared).ConfigureAwait(false);
            }

            if (part.Instance is { } instance)
            {
                await instance.DisposeAsync().ConfigureAwait(false);
            }
        }

        _lanes.Dispose();
    }

    private async Task<Step> PrepareAsync(ReceivedInstance instance, CancellationToken cancellationToken)
    {
        var identified = instance.Result;
        if (!instance.IsReceived)
        {
            return new Step(null, toOutcome(identified));
        }

        // The URL's study is checked before anything is reserved, so a mismatching instance leaves no trace.
        if (study is not null && identified.StudyInstanceUid != study)
        {
            return new Step(null, new StowOutcome(identified.SopClassUid, identified.SopInstanceUid, identified.StudyInstanceUid, null,
                StowFailureReason.StudyInstanceUidMismatch, $"Study Instance UID {identified.StudyInstanceUid} differs from {study} in the request URL."));
        }

        if (!_lanes.Wait(0, CancellationToken.None))
        {
            // Every lane is busy: the part gives back its file handle and buffer while it waits (a request may hold
            // thousands). A part prepared at once keeps them, and a small one is then written once, at its key.
            instance.Park();
            await _lanes.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var prepared = await ingest.PrepareAsync(instance, cancellationToken).ConfigureAwait(false);
            return prepared.IsPrepared ? new Step(prepared, null) : new Step(null, toOutcome(prepared.Result));
        }
        finally
        {
            _lanes.Release();
        }
    }

    private sealed record Part(ReceivedInstance? Instance, Task<Step> Preparing);

    /// <summary>A prepared instance to commit, or the part's outcome already known (a failure).</summary>
    private sealed record Step(PreparedInstance? Prepared, StowOutcome? Outcome);
}
