using System.Buffers;
using System.IO.Hashing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pacs.Archive.Index;
using Pacs.Archive.Storage;
using Pacs.Dicom;
using Pacs.Dicom.IO;

namespace Pacs.Archive.Ingest;

/// <summary>
/// The ingest protocol of ARCHITECTURE.md: parse the header and validate → reserve a version (<c>creating</c>) → write the
/// blob (received dataset bytes behind a regenerated File Meta Information; pixel data untouched) → commit (<c>created</c>,
/// aggregates) → result. A success result is returned only after the blob is durable and the commit transaction is.
/// </summary>
public sealed partial class IngestPipeline
{
    private const int ReceiveBufferSize = 64 * 1024;
    private readonly IBlobStore _blobs;
    private readonly IndexStore _index;
    private readonly IngestOptions _options;
    private readonly ILogger _logger;

    public IngestPipeline(IBlobStore blobs, IndexStore index, IngestOptions? options = null, ILogger<IngestPipeline>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(index);
        _blobs = blobs;
        _index = index;
        _options = options ?? new IngestOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Ingests a Part 10 file (import): its dataset bytes are stored as they are, behind a regenerated meta.</summary>
    public Task<IngestResult> IngestFileAsync(string path, string? sourceAeTitle, CancellationToken cancellationToken = default) =>
        IngestFileAsync(path, sourceAeTitle, skipIfStored: false, cancellationToken);

    /// <summary>
    /// Ingests a Part 10 file; with <paramref name="skipIfStored"/>, a file whose content the archive already holds as
    /// the current version is recognised before anything is written (<see cref="IngestStatus.AlreadyStored"/>), which
    /// makes a repeated import cheap.
    /// </summary>
    public async Task<IngestResult> IngestFileAsync(string path, string? sourceAeTitle, bool skipIfStored, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            long offset;
            string transferSyntax;
            try
            {
                (offset, transferSyntax) = await Part10Layout.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
            }
            catch (DicomException ex)
            {
                return new IngestResult(IngestStatus.CannotUnderstand, ex.Message);
            }

            stream.Position = offset;
            return await IngestAsync(new IngestRequest(stream, DicomTransferSyntax.Parse(transferSyntax), sourceAeTitle) { SkipIfStored = skipIfStored }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dataset = request.Dataset;
        if (!dataset.CanSeek)
        {
            throw new ArgumentException("The dataset stream must be seekable (a spool file).", nameof(request));
        }

        var start = dataset.Position;
        var length = dataset.Length - start;
        var ts = request.TransferSyntax;

        // 1–2. Header only (values past the threshold and everything from Pixel Data on stay in the stream), validated.
        var (identified, attributes, metadata) = await IdentifyAsync(request, dataset, start, length, cancellationToken).ConfigureAwait(false);
        if (attributes is null)
        {
            return identified;
        }

        if (request.SkipIfStored && await IsStoredAsync(dataset, start, attributes.SopInstanceUid, ts, cancellationToken).ConfigureAwait(false))
        {
            return identified with { Status = IngestStatus.AlreadyStored };
        }

        var prefix = StoredFileHeader.Build(attributes.SopClassUid, attributes.SopInstanceUid, ts, request.SourceAeTitle);
        return await ArchiveAsync(identified, attributes, metadata, ts, request.SourceAeTitle,
            (key, token) => PutCopyAsync(key, prefix, dataset, start, length, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ingests a dataset as it arrives (C-STORE): <see cref="ReceiveAsync"/> then
    /// <see cref="StoreAsync(ReceivedInstance, CancellationToken)"/>. Read errors of <see cref="IngestRequest.Dataset"/>
    /// propagate (the sender is gone); the stream need not be seekable.
    /// </summary>
    public async Task<IngestResult> IngestStreamAsync(IngestRequest request, CancellationToken cancellationToken = default)
    {
        var received = await ReceiveAsync(request, cancellationToken).ConfigureAwait(false);
        await using (received.ConfigureAwait(false))
        {
            return await StoreAsync(received, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Receives a dataset as it arrives: its bytes are written once, straight into a staged blob behind a File Meta
    /// Information built from the request's SOP Class and Instance UIDs, hashed on the way, and read back from there for
    /// the header. Nothing is reserved or visible until <see cref="StoreAsync(ReceivedInstance, CancellationToken)"/>.
    /// Read errors of <see cref="IngestRequest.Dataset"/> propagate, after the staged bytes are discarded.
    /// </summary>
    public async Task<ReceivedInstance> ReceiveAsync(IngestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sopClassUid = request.AffectedSopClassUid;
        var sopInstanceUid = request.AffectedSopInstanceUid;
        if (!request.AffectedUidsFromFileMeta && (sopClassUid is null || sopInstanceUid is null))
        {
            throw new ArgumentException("A streamed ingest needs the request's SOP Class and Instance UIDs for the File Meta Information.", nameof(request));
        }

        var ts = request.TransferSyntax;
        var prefix = StoredFileHeader.Build(sopClassUid, sopInstanceUid, ts, request.SourceAeTitle);
        IStagedBlob staged;
        try
        {
            staged = await _blobs.StageAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStorageUnavailable(_logger, ex, sopInstanceUid ?? "(unnamed instance)");
            return new ReceivedInstance(new IngestResult(IngestStatus.StorageUnavailable, "Storage unavailable."));
        }

        var keep = false;
        try
        {
            var written = await CopyIntoAsync(staged.Content, prefix, request.Dataset, sopInstanceUid ?? "(unnamed instance)", cancellationToken).ConfigureAwait(false);
            if (written is null)
            {
                return new ReceivedInstance(new IngestResult(IngestStatus.StorageUnavailable, "Storage unavailable."));
            }

            var (identified, attributes, metadata) = await IdentifyAsync(request, staged.Content, prefix.Length, written.Length - prefix.Length, cancellationToken).ConfigureAwait(false);
            if (attributes is null)
            {
                return new ReceivedInstance(identified);
            }

            keep = true;
            var content = new StagedContent(written.Length, written.DatasetHash, prefix.Length, sopClassUid, sopInstanceUid);
            return new ReceivedInstance(identified, staged, request, content, attributes, metadata);
        }
        finally
        {
            if (!keep)
            {
                await staged.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Archives a received instance: <see cref="PrepareAsync"/> then <see cref="CommitAsync(PreparedInstance, CancellationToken)"/>.
    /// A failed receive's result is returned as it is.
    /// </summary>
    public async Task<IngestResult> StoreAsync(ReceivedInstance instance, CancellationToken cancellationToken = default) =>
        await CommitAsync(await PrepareAsync(instance, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Reserves a version for a received instance and makes its staged blob durable under the version's key (or, when
    /// the dataset disagreed with the UIDs its meta was built from, stores a copy behind a corrected meta) — still
    /// invisible until <see cref="CommitAsync(PreparedInstance, CancellationToken)"/>, or dropped by
    /// <see cref="AbandonAsync(PreparedInstance)"/>. A failed receive's result is passed on.
    /// </summary>
    public async Task<PreparedInstance> PrepareAsync(ReceivedInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance is not { Attributes: { } attributes, Staged: { } staged, Content: { } content, Request: { } request })
        {
            return new PreparedInstance(instance.Result);
        }

        var ts = request.TransferSyntax;
        var metaAgrees = content.PrefixSopClassUid == attributes.SopClassUid && content.PrefixSopInstanceUid == attributes.SopInstanceUid;
        return await WriteAsync(instance.Result, attributes, instance.Metadata, ts, request.SourceAeTitle, metaAgrees ? CommitStagedAsync : CopyStagedAsync, cancellationToken).ConfigureAwait(false);

        async Task<WrittenBlob> CommitStagedAsync(string key, CancellationToken token)
        {
            var info = await staged.CommitAsync(key, token).ConfigureAwait(false);
            if (info.Length != content.Length)
            {
                throw new IOException($"The blob store kept {info.Length} bytes of {content.Length} for {key}.");
            }

            return new WrittenBlob(content.Length, content.DatasetHash);
        }

        Task<WrittenBlob> CopyStagedAsync(string key, CancellationToken token) =>
            PutCopyAsync(key, StoredFileHeader.Build(attributes.SopClassUid, attributes.SopInstanceUid, ts, request.SourceAeTitle), staged.Content, content.PrefixLength, content.Length - content.PrefixLength, token);
    }

    /// <summary>Puts the prefix and <paramref name="length"/> dataset bytes from <paramref name="start"/> under the key.</summary>
    private async Task<WrittenBlob> PutCopyAsync(string key, byte[] prefix, Stream dataset, long start, long length, CancellationToken cancellationToken)
    {
        dataset.Position = start;
        using var content = new StoredObjectStream(prefix, dataset, length);
        var info = await _blobs.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
        if (!content.IsComplete || info.Length != content.Length)
        {
            throw new IOException($"The blob store kept {info.Length} bytes of {content.Length} for {key}.");
        }

        return new WrittenBlob(info.Length, content.GetDatasetHash());
    }

    /// <summary>
    /// Copies the prefix and the dataset into the staged content, hashing the dataset; null when the content could not
    /// be written (storage failure), after logging why.
    /// </summary>
    private async Task<WrittenBlob?> CopyIntoAsync(Stream target, byte[] prefix, Stream dataset, string sopInstanceUid, CancellationToken cancellationToken)
    {
        var content = DatasetHash.CreateHasher();
        if (!TryWrite(target, prefix, sopInstanceUid))
        {
            return null;
        }

        if (target is IBufferWriter<byte> writer)
        {
            return await ReadIntoAsync(writer, content, prefix.Length, dataset, sopInstanceUid, cancellationToken).ConfigureAwait(false);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        try
        {

            long length = prefix.Length;
            int n;
            while ((n = await dataset.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var chunk = buffer.AsMemory(0, n);
                content.Append(chunk.Span);
                if (!TryWrite(target, chunk.Span, sopInstanceUid))
                {
                    return null;
                }

                length += n;
            }

            return new WrittenBlob(length, content.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the dataset straight into the staged content's own buffer (one copy fewer), hashing it there.</summary>
    private async Task<WrittenBlob?> ReadIntoAsync(IBufferWriter<byte> target, XxHash128 content, long length, Stream dataset, string sopInstanceUid, CancellationToken cancellationToken)
    {
        while (true)
        {
            Memory<byte> free;
            try
            {
                free = target.GetMemory();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogStorageUnavailable(_logger, ex, sopInstanceUid);
                return null;
            }

            var n = await dataset.ReadAsync(free, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return new WrittenBlob(length, content.GetHashAndReset());
            }

            content.Append(free.Span[..n]);
            try
            {
                target.Advance(n);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogStorageUnavailable(_logger, ex, sopInstanceUid);
                return null;
            }

            length += n;
        }
    }

    /// <summary>
    /// Writes into the staged file synchronously: a write to the page cache takes microseconds, and on Linux an
    /// "asynchronous" file write is a hop to another thread-pool thread and back for every chunk (context switches were
    /// a tenth of the server's CPU during ingest).
    /// </summary>
    private bool TryWrite(Stream target, ReadOnlySpan<byte> bytes, string sopInstanceUid)
    {
        try
        {
            target.Write(bytes);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogStorageUnavailable(_logger, ex, sopInstanceUid);
            return false;
        }
    }

    /// <summary>
    /// Steps 1–2: reads the header of the dataset (<paramref name="length"/> bytes from <paramref name="start"/>) and
    /// checks what the archive needs. On success the attributes are set and the result names the instance; otherwise
    /// the result is the failure to answer with.
    /// </summary>
    private async Task<(IngestResult Result, IndexAttributes? Attributes, string? Metadata)> IdentifyAsync(
        IngestRequest request, Stream dataset, long start, long length, CancellationToken cancellationToken)
    {
        DicomDataset header;
        string? metadata;
        try
        {
            (header, metadata) = await ReadHeaderAsync(dataset, start, length, request.TransferSyntax, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomException ex)
        {
            return (new IngestResult(IngestStatus.CannotUnderstand, ex.Message), null, null);
        }

        IndexAttributes attributes;
        try
        {
            attributes = IndexAttributeExtractor.Extract(header);
        }
        catch (DicomException ex)
        {
            return (new IngestResult(IngestStatus.InvalidDataset, ex.Message), null, null);
        }

        var identified = Identify(attributes);
        return CheckAffected(request, attributes) is { } mismatch
            ? (identified with { Status = IngestStatus.InvalidDataset, ErrorComment = mismatch }, null, null)
            : (identified, attributes, metadata);
    }

    private static IngestResult Identify(IndexAttributes attributes) => new(IngestStatus.Stored)
    {
        StudyInstanceUid = attributes.StudyInstanceUid,
        SeriesInstanceUid = attributes.SeriesInstanceUid,
        SopInstanceUid = attributes.SopInstanceUid,
        SopClassUid = attributes.SopClassUid,
    };

    private static string? CheckAffected(IngestRequest request, IndexAttributes attributes) =>
        request.AffectedUidsFromFileMeta ? null
        : request.AffectedSopInstanceUid is { } instance && instance != attributes.SopInstanceUid
            ? $"SOP Instance UID {attributes.SopInstanceUid} differs from the request's {instance}."
            : request.AffectedSopClassUid is { } sopClass && sopClass != attributes.SopClassUid
                ? $"SOP Class UID {attributes.SopClassUid} differs from the request's {sopClass}."
                : null;

    /// <summary>
    /// Steps 3–5 for an identified, valid instance: reserve a version, write its blob (by <paramref name="writeBlob"/>,
    /// under the reservation's key) while the reservation row is recorded, then commit.
    /// </summary>
    private async Task<IngestResult> ArchiveAsync(IngestResult identified, IndexAttributes attributes, string? metadata, DicomTransferSyntax ts, string? sourceAeTitle,
        Func<string, CancellationToken, Task<WrittenBlob>> writeBlob, CancellationToken cancellationToken)
    {
        var prepared = await WriteAsync(identified, attributes, metadata, ts, sourceAeTitle, writeBlob, cancellationToken).ConfigureAwait(false);
        return await CommitAsync(prepared, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Steps 3–4: reserve a version and write the blob under its key while the reservation row is recorded. The result
    /// is a written, still invisible instance for <see cref="CommitAsync(PreparedInstance, CancellationToken)"/>, or
    /// the failure (nothing left behind).
    /// </summary>
    private async Task<PreparedInstance> WriteAsync(IngestResult identified, IndexAttributes attributes, string? metadata, DicomTransferSyntax ts, string? sourceAeTitle,
        Func<string, CancellationToken, Task<WrittenBlob>> writeBlob, CancellationToken cancellationToken)
    {
        // 3. Reserve: the version number (and so the blob key) is known at once; the reservation row is written while
        //    the blob is (4), both must succeed before the commit.
        Reservation reservation;
        try
        {
            reservation = await _index.PrepareReservationAsync(attributes.StudyInstanceUid, attributes.SeriesInstanceUid, attributes.SopInstanceUid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogIndexUnavailable(_logger, ex, attributes.SopInstanceUid);
            return new PreparedInstance(identified with { Status = IngestStatus.IndexUnavailable, ErrorComment = "Index database unavailable." });
        }

        var recorded = _index.RecordReservationAsync(reservation, ts.UidValue, sourceAeTitle, cancellationToken);

        // 4. Write the blob, hashing it on the way.
        WrittenBlob written;
        try
        {
            written = await writeBlob(reservation.BlobKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStorageUnavailable(_logger, ex, reservation.BlobKey);
            await AbandonAsync(reservation, recorded).ConfigureAwait(false);
            return new PreparedInstance(identified with { Status = IngestStatus.StorageUnavailable, ErrorComment = "Storage unavailable." });
        }
        catch (OperationCanceledException)
        {
            await AbandonAsync(reservation, recorded).ConfigureAwait(false);
            throw;
        }

        try
        {
            await recorded.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // No row refers to the blob: remove it now (or the orphan sweep will).
            LogIndexUnavailable(_logger, ex, attributes.SopInstanceUid);
            await TryDeleteBlobAsync(reservation.BlobKey).ConfigureAwait(false);
            return new PreparedInstance(identified with { Status = IngestStatus.IndexUnavailable, ErrorComment = "Index database unavailable." });
        }

        return new PreparedInstance(identified, reservation, attributes, metadata, written.Length, written.DatasetHash);
    }

    /// <summary>
    /// Step 5: commits a written instance, which makes it visible (many concurrent commits share one transaction). A
    /// failed preparation's result is returned as it is.
    /// </summary>
    public async Task<IngestResult> CommitAsync(PreparedInstance prepared, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (prepared is not { Reservation: { } reservation, Attributes: { } attributes })
        {
            return prepared.Result;
        }

        var identified = prepared.Result;

        // On failure the blob and the reservation stay for the sweeper: the commit may have happened.
        CommitResult commit;
        try
        {
            commit = await _index.CommitAsync(new CommitRequest(reservation, attributes, prepared.Length, prepared.DatasetHash, _options.DuplicatePolicy, prepared.Metadata), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogIndexUnavailable(_logger, ex, attributes.SopInstanceUid);
            return identified with { Status = IngestStatus.IndexUnavailable, ErrorComment = "Index database unavailable." };
        }

        if (commit.ObsoleteBlobKey is { } obsolete)
        {
            await TryDeleteBlobAsync(obsolete).ConfigureAwait(false);
        }

        var status = commit.Outcome switch
        {
            CommitOutcome.Created => IngestStatus.Stored,
            CommitOutcome.Replaced => IngestStatus.Replaced,
            CommitOutcome.Duplicate => IngestStatus.AlreadyStored,
            CommitOutcome.Kept => IngestStatus.KeptExisting,
            CommitOutcome.Rejected => IngestStatus.RejectedDuplicate,
            _ => IngestStatus.IndexUnavailable,
        };
        var stored = commit.Outcome is CommitOutcome.Created or CommitOutcome.Replaced;
        return identified with
        {
            Status = status,
            ErrorComment = status switch
            {
                IngestStatus.RejectedDuplicate => "The SOP Instance is already archived with different content.",
                IngestStatus.IndexUnavailable => "The reservation expired before the commit.",
                _ => null,
            },
            Version = commit.CurrentVersion,
            BlobKey = stored ? reservation.BlobKey : null,
        };
    }

    /// <summary>
    /// Drops a written instance that will not be committed (its request turned out malformed): its blob is deleted and
    /// its reservation forgotten; what cannot be removed now is left to the sweeper. Never visible either way.
    /// </summary>
    public async Task AbandonAsync(PreparedInstance prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (prepared.Reservation is { } reservation)
        {
            await AbandonAsync(reservation, Task.CompletedTask).ConfigureAwait(false);
        }
    }

    private async Task<(DicomDataset Header, string? Metadata)> ReadHeaderAsync(Stream dataset, long start, long length, DicomTransferSyntax ts, CancellationToken cancellationToken)
    {
        // The toolkit's streaming reader works on Part 10 input: put a minimal meta in front of the spooled dataset.
        var view = new PrefixedStream(StoredFileHeader.Build(sopClassUid: null, sopInstanceUid: null, ts, sourceAeTitle: null), dataset, start, length);
        await using (view.ConfigureAwait(false))
        {
            var options = new DicomReadOptions { StopBeforePixelData = true, BulkDataThreshold = _options.HeaderBulkDataThreshold };
            var file = await DicomFile.OpenAsync(view, options, cancellationToken).ConfigureAwait(false);

            // While the view is open (values left in the spool are read through it), the metadata comes from this one parse.
            var metadata = _options.StoreMetadata ? InstanceMetadata.ToJson(file.Dataset, _options.MetadataBulkDataThreshold) : null;
            return (file.Dataset, metadata);
        }
    }

    private async Task<bool> IsStoredAsync(Stream dataset, long start, string sopInstanceUid, DicomTransferSyntax ts, CancellationToken cancellationToken)
    {
        dataset.Position = start;
        var hash = await DatasetHash.ComputeAsync(dataset, cancellationToken).ConfigureAwait(false);
        try
        {
            return await _index.HasContentAsync(sopInstanceUid, hash, ts.UidValue, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unknown: store it; the commit recognises a duplicate anyway.
            LogIndexUnavailable(_logger, ex, sopInstanceUid);
            return false;
        }
    }

    private async Task AbandonAsync(Reservation reservation, Task recorded)
    {
        // Only forget the reservation once the blob is known to be gone; otherwise the sweeper finds both later.
        try
        {
            await recorded.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // No row was written: only the blob (if any) is left to remove.
            LogLeftForSweeper(_logger, ex, reservation.BlobKey);
            await TryDeleteBlobAsync(reservation.BlobKey).ConfigureAwait(false);
            return;
        }

        try
        {
            await _blobs.DeleteAsync(reservation.BlobKey, CancellationToken.None).ConfigureAwait(false);
            await _index.CancelReservationAsync(reservation, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogLeftForSweeper(_logger, ex, reservation.BlobKey);
        }
    }

    private async Task TryDeleteBlobAsync(string key)
    {
        try
        {
            await _blobs.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogLeftForOrphanSweep(_logger, ex, key);
        }
    }

    /// <summary>
    /// What a blob write produced: its size and the <see cref="Ingest.DatasetHash"/> of its dataset part, which the index
    /// records (<c>dataset_hash</c>) both for verify and to recognise a resend: one hash pass per instance.
    /// </summary>
    private sealed record WrittenBlob(long Length, byte[] DatasetHash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index unavailable while storing {SopInstanceUid}")]
    private static partial void LogIndexUnavailable(ILogger logger, Exception exception, string sopInstanceUid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob store unavailable while writing {BlobKey}")]
    private static partial void LogStorageUnavailable(ILogger logger, Exception exception, string blobKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reservation {BlobKey} left for the sweeper")]
    private static partial void LogLeftForSweeper(ILogger logger, Exception exception, string blobKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unreferenced blob {BlobKey} left for the orphan sweep")]
    private static partial void LogLeftForOrphanSweep(ILogger logger, Exception exception, string blobKey);
}
