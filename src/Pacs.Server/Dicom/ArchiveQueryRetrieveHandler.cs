using System.Runtime.CompilerServices;
using Npgsql;
using Pacs.Archive.Query;
using Pacs.Archive.Retrieve;
using Pacs.Dicom;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Server;
using Pacs.Server.Hosting;

namespace Pacs.Server.Dicom;

/// <summary>
/// C-FIND, C-MOVE and C-GET SCP for Patient Root and Study Root: C-FIND runs through the archive's one query model
/// (the same as QIDO-RS); C-MOVE and C-GET list the matching instances and hand the protocol layer a way to open
/// each stored dataset as it is, so sub-operations stream blobs without re-encoding.
/// </summary>
public sealed partial class ArchiveQueryRetrieveHandler(ArchiveRuntime archive, ILogger<ArchiveQueryRetrieveHandler> logger)
    : IDicomFindHandler, IDicomMoveHandler, IDicomGetHandler
{
    public async IAsyncEnumerable<DicomDataset> OnFindAsync(DicomFindRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArchiveQuery query;
        try
        {
            query = ArchiveQuery.FromIdentifier(request.Identifier, RootOf(request.SopClassUid));
        }
        catch (Exception ex) when (ex is QueryException or DicomException)
        {
            LogBadIdentifier(request.Association.CallingAETitle, ex.Message);
            throw new DicomServiceException(DicomStatus.DataSetDoesNotMatchSopClass, Truncate(ex.Message));
        }

        if (query.UnsupportedMatchingKeys.Count > 0)
        {
            request.OptionalKeysNotSupported = true;
        }

        // A yield cannot sit inside a try with a catch, so the enumerator is driven by hand to map database failures.
        var results = archive.Query.QueryAsync(query, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (results.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await results.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (IsUnavailable(ex))
                {
                    LogIndexUnavailable(ex, "C-FIND");
                    throw new DicomServiceException(DicomStatus.OutOfResourcesUnableToCalculateMatches, "The index is unavailable.");
                }

                if (!more)
                {
                    yield break;
                }

                yield return results.Current;
            }
        }
    }

    public ValueTask<IReadOnlyList<DicomRetrieveInstance>> OnMoveAsync(DicomRetrieveRequest request, CancellationToken cancellationToken) =>
        ListAsync(request, cancellationToken);

    public ValueTask<IReadOnlyList<DicomRetrieveInstance>> OnGetAsync(DicomRetrieveRequest request, CancellationToken cancellationToken) =>
        ListAsync(request, cancellationToken);

    private async ValueTask<IReadOnlyList<DicomRetrieveInstance>> ListAsync(DicomRetrieveRequest request, CancellationToken cancellationToken)
    {
        IReadOnlyList<RetrieveInstance> instances;
        try
        {
            instances = await archive.Retrieve.ListInstancesAsync(request.Identifier, RootOf(request.SopClassUid), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is QueryException or DicomException)
        {
            LogBadIdentifier(request.Association.CallingAETitle, ex.Message);
            throw new DicomServiceException(DicomStatus.DataSetDoesNotMatchSopClass, Truncate(ex.Message));
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            LogIndexUnavailable(ex, "retrieve");
            throw new DicomServiceException(DicomStatus.OutOfResourcesUnableToCalculateMatches, "The index is unavailable.");
        }

        var result = new List<DicomRetrieveInstance>(instances.Count);
        var readAhead = archive.Retrieve.ReadAhead(instances);
        for (var i = 0; i < instances.Count; i++)
        {
            var (instance, index) = (instances[i], i);
            result.Add(new DicomRetrieveInstance(
                instance.SopClassUid,
                instance.SopInstanceUid,
                DicomTransferSyntax.Parse(instance.TransferSyntaxUid),
                async ct =>
                {
                    readAhead.Opening(index);
                    return (await archive.Retrieve.OpenDatasetAsync(instance, ct).ConfigureAwait(false)).Dataset;
                }));
        }

        return result;
    }

    private static QueryRoot RootOf(string sopClassUid) =>
        sopClassUid == DicomUid.PatientRootQueryRetrieveInformationModelFind.Value
        || sopClassUid == DicomUid.PatientRootQueryRetrieveInformationModelMove.Value
        || sopClassUid == DicomUid.PatientRootQueryRetrieveInformationModelGet.Value
            ? QueryRoot.PatientRoot
            : QueryRoot.StudyRoot;

    private static bool IsUnavailable(Exception ex) => ex is NpgsqlException or TimeoutException or IOException;

    // Error Comment (0000,0902) is LO: 64 characters at most.
    private static string Truncate(string message) => message.Length <= 64 ? message : message[..64];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected identifier from {CallingAE}: {Reason}")]
    private partial void LogBadIdentifier(string callingAE, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Index unavailable during {Operation}")]
    private partial void LogIndexUnavailable(Exception exception, string operation);
}
