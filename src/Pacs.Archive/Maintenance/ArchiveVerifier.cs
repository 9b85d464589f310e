using System.Runtime.CompilerServices;
using Pacs.Archive.Ingest;
using Pacs.Archive.Index;
using Pacs.Archive.Storage;
using Pacs.Dicom;

namespace Pacs.Archive.Maintenance;

/// <summary>What is wrong with one indexed version or one blob.</summary>
public enum VerifyProblemKind
{
    /// <summary>The index promises a blob the store does not have.</summary>
    MissingBlob,

    /// <summary>The blob's size differs from the index's.</summary>
    SizeMismatch,

    /// <summary>The blob's dataset hash differs from the index's (the object changed after it was stored).</summary>
    HashMismatch,

    /// <summary>A blob no version row refers to.</summary>
    OrphanBlob,

    /// <summary>A reservation still <c>creating</c> past the age limit (a store that never finished).</summary>
    StaleReservation,
}

public sealed record VerifyProblem(VerifyProblemKind Kind, string BlobKey, string? SopInstanceUid, string Detail)
{
    /// <summary>Set when <see cref="ArchiveVerifyOptions.Repair"/> fixed it.</summary>
    public bool Repaired { get; init; }
}

public sealed record ArchiveVerifyOptions
{
    /// <summary>Remove orphan blobs and stale reservations, and drop index entries of instances whose blob is missing.</summary>
    public bool Repair { get; init; }

    /// <summary>Read every blob and compare its dataset hash (otherwise sizes only).</summary>
    public bool CheckHashes { get; init; } = true;

    /// <summary>Blobs and reservations younger than this are left alone: they may belong to stores in flight.</summary>
    public TimeSpan MinimumAge { get; init; } = TimeSpan.FromMinutes(10);

    public int Parallelism { get; init; } = 4;
}

public sealed record ArchiveVerifyReport(long VersionsChecked, long BlobsListed, IReadOnlyList<VerifyProblem> Problems)
{
    public bool IsClean => Problems.Count == 0;
}

/// <summary>
/// Checks that the index and the blob store agree (<c>pacs verify</c>): every created version has its blob with the
/// recorded size and dataset hash; every blob is referred to by a version row; no reservation is stale. Optionally repairs
/// what can be repaired without guessing: orphan blobs and stale reservations are removed, and an instance whose blob
/// is gone is removed from the index (its data cannot come back; keeping the row would promise what cannot be served).
/// A blob whose content differs is reported, never deleted.
/// </summary>
public sealed class ArchiveVerifier(IndexStore index, IBlobStore blobs)
{
    private const int KeyBatch = 500;

    public async Task<ArchiveVerifyReport> VerifyAsync(ArchiveVerifyOptions options, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<VerifyProblem>();
        // A box, not a local: the count is updated from the concurrent checks below.
        var checkedVersions = new StrongBox<long>(0);

        async Task CheckAndRecordAsync(StoredBlobRecord record)
        {
            var problem = await CheckAsync(record, options.CheckHashes, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                lock (problems)
                {
                    problems.Add(problem);
                }
            }

            // Counted apart from the report: `progress?.Report(Increment(…))` would skip the increment when progress is null.
            var count = Interlocked.Increment(ref checkedVersions.Value);
            progress?.Report(count);
        }


        var running = new List<Task>();
        await foreach (var record in index.ListCreatedVersionsAsync(cancellationToken).ConfigureAwait(false))
        {
            running.Add(CheckAndRecordAsync(record));
            if (running.Count >= Math.Max(1, options.Parallelism))
            {
                var done = await Task.WhenAny(running).ConfigureAwait(false);
                running.Remove(done);
                await done.ConfigureAwait(false);
            }
        }

        await Task.WhenAll(running).ConfigureAwait(false);

        foreach (var key in await index.ListStaleReservationsAsync(options.MinimumAge, cancellationToken).ConfigureAwait(false))
        {
            problems.Add(new VerifyProblem(VerifyProblemKind.StaleReservation, key, null, "reservation still 'creating'"));
        }

        var listed = await FindOrphansAsync(options.MinimumAge, problems, cancellationToken).ConfigureAwait(false);
        if (options.Repair)
        {
            await RepairAsync(problems, options.MinimumAge, cancellationToken).ConfigureAwait(false);
        }

        problems.Sort((a, b) => (a.Kind, a.BlobKey).CompareTo((b.Kind, b.BlobKey)));
        return new ArchiveVerifyReport(Interlocked.Read(ref checkedVersions.Value), listed, problems);
    }

    private async Task<VerifyProblem?> CheckAsync(StoredBlobRecord record, bool checkHash, CancellationToken cancellationToken)
    {
        var info = await blobs.GetInfoAsync(record.BlobKey, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return new VerifyProblem(VerifyProblemKind.MissingBlob, record.BlobKey, record.SopInstanceUid, "no blob");
        }

        if (info.Length != record.Size)
        {
            return new VerifyProblem(VerifyProblemKind.SizeMismatch, record.BlobKey, record.SopInstanceUid, $"{info.Length} bytes, index says {record.Size}");
        }

        if (!checkHash)
        {
            return null;
        }

        // The recorded hash is of the dataset (the bytes after the File Meta Information the archive wrote), which is
        // also how a resend is recognised; the meta in front of it must still parse.
        byte[]? hash;
        try
        {
            var (offset, _) = await StoredObjectLayout.ProbeAsync(blobs, record.BlobKey, cancellationToken).ConfigureAwait(false);
            var stream = await blobs.OpenReadAsync(record.BlobKey, offset, info.Length - offset, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                hash = await DatasetHash.ComputeLikeAsync(record.DatasetHash, stream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (BlobNotFoundException)
        {
            return new VerifyProblem(VerifyProblemKind.MissingBlob, record.BlobKey, record.SopInstanceUid, "no blob");
        }
        catch (DicomException ex)
        {
            return new VerifyProblem(VerifyProblemKind.HashMismatch, record.BlobKey, record.SopInstanceUid, $"no readable File Meta Information: {ex.Message}");
        }

        var algorithm = DatasetHash.NameOf(record.DatasetHash);
        if (hash is null)
        {
            return new VerifyProblem(VerifyProblemKind.HashMismatch, record.BlobKey, record.SopInstanceUid, $"the index holds an {algorithm}");
        }

        return hash.AsSpan().SequenceEqual(record.DatasetHash)
            ? null
            : new VerifyProblem(VerifyProblemKind.HashMismatch, record.BlobKey, record.SopInstanceUid,
                $"{algorithm} {Convert.ToHexStringLower(hash)}, index says {Convert.ToHexStringLower(record.DatasetHash)}");
    }

    private async Task<long> FindOrphansAsync(TimeSpan minimumAge, List<VerifyProblem> problems, CancellationToken cancellationToken)
    {
        var limit = DateTimeOffset.UtcNow - minimumAge;
        var batch = new List<string>(KeyBatch);
        long listed = 0;
        await foreach (var blob in blobs.ListAsync(string.Empty, cancellationToken).ConfigureAwait(false))
        {
            listed++;
            if (blob.LastModified >= limit)
            {
                continue;
            }

            batch.Add(blob.Key);
            if (batch.Count == KeyBatch)
            {
                await AddUnreferencedAsync(batch, problems, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        await AddUnreferencedAsync(batch, problems, cancellationToken).ConfigureAwait(false);
        return listed;
    }

    private async Task AddUnreferencedAsync(List<string> keys, List<VerifyProblem> problems, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        foreach (var key in await index.FindUnreferencedBlobKeysAsync(keys, cancellationToken).ConfigureAwait(false))
        {
            problems.Add(new VerifyProblem(VerifyProblemKind.OrphanBlob, key, null, "no index row refers to it"));
        }
    }

    private async Task RepairAsync(List<VerifyProblem> problems, TimeSpan minimumAge, CancellationToken cancellationToken)
    {
        var staleKeys = (await index.DeleteStaleReservationsAsync(minimumAge, cancellationToken: cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < problems.Count; i++)
        {
            var p = problems[i];
            switch (p.Kind)
            {
                case VerifyProblemKind.OrphanBlob:
                    // Checked again right before the delete: a store may have committed a key since it was listed.
                    if ((await index.FindUnreferencedBlobKeysAsync([p.BlobKey], cancellationToken).ConfigureAwait(false)).Count == 1)
                    {
                        await blobs.DeleteAsync(p.BlobKey, cancellationToken).ConfigureAwait(false);
                        problems[i] = p with { Repaired = true };
                    }

                    break;
                case VerifyProblemKind.StaleReservation when staleKeys.Contains(p.BlobKey):
                    await blobs.DeleteAsync(p.BlobKey, cancellationToken).ConfigureAwait(false);
                    problems[i] = p with { Repaired = true };
                    break;
                case VerifyProblemKind.MissingBlob when p.SopInstanceUid is not null:
                    foreach (var key in await index.DeleteInstanceAsync(p.SopInstanceUid, cancellationToken).ConfigureAwait(false))
                    {
                        await blobs.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                    }

                    problems[i] = p with { Repaired = true };
                    break;
            }
        }
    }
}
