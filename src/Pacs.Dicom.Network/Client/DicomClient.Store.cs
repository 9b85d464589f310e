using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Client;

/// <summary>Progress of a multi-file C-STORE.</summary>
public readonly record struct DicomStoreProgress(int Completed, int Failed, int Total, long Bytes);

/// <summary>Outcome of one file of a multi-file C-STORE; <see cref="Error"/> is set when it never reached the peer.</summary>
public sealed record DicomStoreFileResult(string Path, DicomStatus? Status, string? Error)
{
    public bool Succeeded => Status is { Kind: DicomStatusKind.Success or DicomStatusKind.Warning };
}

public sealed partial class DicomClient
{
    /// <summary>
    /// Sends many Part 10 files on as few associations as possible: one presentation context per (SOP class,
    /// transfer syntax) pair found in the files, at most 128 per association (PS3.8 9.3.2.2). Files are sent as
    /// stored (no transcoding); a file whose context the peer rejected is reported, not sent.
    /// </summary>
    public async Task<IReadOnlyList<DicomStoreFileResult>> StoreFilesAsync(IEnumerable<string> paths, IProgress<DicomStoreProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var results = new List<DicomStoreFileResult>();
        var files = new List<(string Path, Part10Header Header, long Length)>();
        foreach (var path in paths)
        {
            try
            {
                var stream = File.OpenRead(path);
                await using (stream.ConfigureAwait(false))
                {
                    files.Add((path, await Part10Header.ReadAsync(stream, cancellationToken).ConfigureAwait(false), stream.Length));
                }
            }
            catch (Exception e) when (e is DicomException or IOException or UnauthorizedAccessException)
            {
                results.Add(new DicomStoreFileResult(path, null, e.Message));
            }
        }

        var total = files.Count + results.Count;
        var completed = 0;
        var failed = results.Count;
        long bytes = 0;

        void Record(DicomStoreFileResult result, long length)
        {
            results.Add(result);
            if (result.Succeeded)
            {
                completed++;
                bytes += length;
            }
            else
            {
                failed++;
            }

            progress?.Report(new DicomStoreProgress(completed, failed, total, bytes));
        }

        foreach (var batch in Batches(files))
        {
            var contexts = batch.Select(f => (f.Header.SopClassUid, f.Header.TransferSyntaxUid)).Distinct()
                .Select(c => (c.SopClassUid, (IReadOnlyList<string>)[c.TransferSyntaxUid])).ToList();
            var next = 0;
            while (next < batch.Count)
            {
                // A file the peer cannot parse makes it abort; the rest of the batch goes on a new association.
                var association = await ConnectAsync(contexts, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (association.ConfigureAwait(false))
                {
                    for (; next < batch.Count; next++)
                    {
                        var (path, header, length) = batch[next];
                        DicomStoreFileResult result;
                        try
                        {
                            result = await StoreOneAsync(association, path, header, length, cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is DicomNetworkException or IOException)
                        {
                            result = new DicomStoreFileResult(path, null, e.Message);
                            next++;
                            Record(result, length);
                            break;
                        }

                        Record(result, length);
                    }

                    if (next == batch.Count && association.Association.State == Association.AssociationState.Established)
                    {
                        await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        return results;
    }

    private static async Task<DicomStoreFileResult> StoreOneAsync(DicomClientAssociation association, string path, Part10Header header, long length,
        CancellationToken cancellationToken)
    {
        var ts = DicomTransferSyntax.Parse(header.TransferSyntaxUid);
        if (((length - header.DataSetOffset) & 1) != 0 && !ts.IsDeflated)
        {
            // PS3.5 7.1: a dataset has even length; peers abort on an odd PDV stream, losing the whole association.
            return new DicomStoreFileResult(path, null, "The dataset has an odd length; the file is malformed.");
        }

        if (association.Association.FindContext(header.SopClassUid, ts) is null)
        {
            return new DicomStoreFileResult(path, null, $"The peer rejected {header.SopClassUid} in {header.TransferSyntaxUid}.");
        }

        return new DicomStoreFileResult(path, await association.StoreFileAsync(path, cancellationToken).ConfigureAwait(false), null);
    }

    private static IEnumerable<List<(string Path, Part10Header Header, long Length)>> Batches(List<(string Path, Part10Header Header, long Length)> files)
    {
        var batch = new List<(string, Part10Header, long)>();
        var contexts = new HashSet<(string, string)>();
        foreach (var file in files)
        {
            var key = (file.Header.SopClassUid, file.Header.TransferSyntaxUid);
            if (!contexts.Contains(key) && contexts.Count == 128)
            {
                yield return batch;
                batch = [];
                contexts.Clear();
            }

            contexts.Add(key);
            batch.Add(file);
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }
}
