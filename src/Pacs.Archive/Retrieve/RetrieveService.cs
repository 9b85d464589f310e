using Npgsql;
using NpgsqlTypes;
using Pacs.Archive.Index;
using Pacs.Archive.Ingest;
using Pacs.Archive.Query;
using Pacs.Archive.Storage;
using Pacs.Dicom;

namespace Pacs.Archive.Retrieve;

/// <summary>
/// The archive side of C-MOVE and C-GET (and WADO-RS): which instances a request selects, in a stable order (study, series
/// number, instance number), and their stored blobs, as whole Part 10 files or as dataset streams with their transfer
/// syntax for the network layer to send as stored.
/// </summary>
public sealed class RetrieveService
{
    /// <summary>The stored File Meta Information is regenerated on ingest and small; this much always holds it.</summary>

    private readonly NpgsqlDataSource _dataSource;
    private readonly IBlobStore _blobs;

    public RetrieveService(IndexStore index, IBlobStore blobs)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(blobs);
        _dataSource = index.DataSource;
        _blobs = blobs;
    }

    /// <summary>
    /// Reads a C-MOVE/C-GET identifier: Query/Retrieve Level and the unique keys of that level and above (lists allowed).
    /// A <see cref="QueryException"/> when the level is missing, the level's unique key is absent, or a hierarchical
    /// request lacks a parent unique key.
    /// </summary>
    public static RetrieveRequest ParseIdentifier(DicomDataset identifier, QueryRoot root, bool relational = false)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var level = ArchiveQuery.ParseLevel(identifier.GetStringOrDefault(DicomTag.QueryRetrieveLevel));
        var top = root == QueryRoot.StudyRoot ? QueryLevel.Study : QueryLevel.Patient;
        if (level < top)
        {
            throw new QueryException($"Query/Retrieve Level {level} does not exist in the {root} information model.");
        }

        string[] Values(DicomTag tag) =>
            identifier.TryGetString(tag, out var text) ? MatchPatterns.ListItems(text) : [];

        var request = new RetrieveRequest
        {
            PatientId = root == QueryRoot.PatientRoot && identifier.TryGetString(DicomTag.PatientID, out var id) && id.Trim().Length > 0 ? id.Trim() : null,
            StudyInstanceUids = level >= QueryLevel.Study ? Values(DicomTag.StudyInstanceUID) : [],
            SeriesInstanceUids = level >= QueryLevel.Series ? Values(DicomTag.SeriesInstanceUID) : [],
            SopInstanceUids = level >= QueryLevel.Image ? Values(DicomTag.SOPInstanceUID) : [],
        };

        var present = new Dictionary<QueryLevel, bool>
        {
            [QueryLevel.Patient] = request.PatientId is not null,
            [QueryLevel.Study] = request.StudyInstanceUids.Count > 0,
            [QueryLevel.Series] = request.SeriesInstanceUids.Count > 0,
            [QueryLevel.Image] = request.SopInstanceUids.Count > 0,
        };
        if (!present[level])
        {
            throw new QueryException($"A {level} level retrieve needs the unique key {QueryAttributes.UniqueKey(level).Tag}.");
        }

        for (var l = top; l < level && !relational; l++)
        {
            if (!present[l])
            {
                throw new QueryException($"A hierarchical {level} level retrieve needs the unique key {QueryAttributes.UniqueKey(l).Tag}.");
            }
        }

        return request;
    }

    /// <summary>The instances a request selects, ordered by study, series number, instance number (then by key).</summary>
    public async Task<IReadOnlyList<RetrieveInstance>> ListInstancesAsync(RetrieveRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = new List<RetrieveInstance>();
        if (request.IsEmpty)
        {
            return result;
        }

        var conditions = new List<string>();
        await using var command = _dataSource.CreateCommand();
        void AddList(string column, IReadOnlyList<string> values, string name)
        {
            if (values.Count > 0)
            {
                conditions.Add($"{column} = ANY (@{name})");
                command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() });
            }
        }

        if (request.PatientId is not null)
        {
            conditions.Add("p.patient_id = @patient");
            command.Parameters.Add(new NpgsqlParameter("patient", NpgsqlDbType.Text) { Value = request.PatientId });
        }

        AddList("st.study_instance_uid", request.StudyInstanceUids, "studies");
        AddList("se.series_instance_uid", request.SeriesInstanceUids, "series");
        AddList("i.sop_instance_uid", request.SopInstanceUids, "instances");
        command.CommandText = $"""
            SELECT st.study_instance_uid, se.series_instance_uid, i.sop_class_uid, i.sop_instance_uid, v.transfer_syntax_uid, v.blob_key, v.size
              FROM instance i
              JOIN instance_version v ON v.version_pk = i.current_version_pk
              JOIN series se ON se.series_pk = i.series_pk
              JOIN study st ON st.study_pk = se.study_pk
              JOIN patient p ON p.patient_pk = st.patient_pk
             WHERE {string.Join(" AND ", conditions)}
             ORDER BY st.study_pk, se.series_number NULLS LAST, se.series_pk, i.instance_number NULLS LAST, i.instance_pk
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new RetrieveInstance(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetInt64(6)));
        }

        return result;
    }

    /// <summary>Read-ahead for sending <paramref name="instances"/> in their order (see <see cref="RetrieveReadAhead"/>).</summary>
    public RetrieveReadAhead ReadAhead(IReadOnlyList<RetrieveInstance> instances) => new(_blobs, instances);

    /// <summary>The instances a C-MOVE/C-GET identifier selects.</summary>
    public Task<IReadOnlyList<RetrieveInstance>> ListInstancesAsync(DicomDataset identifier, QueryRoot root, bool relational = false, CancellationToken cancellationToken = default) =>
        ListInstancesAsync(ParseIdentifier(identifier, root, relational), cancellationToken);

    /// <summary>The stored Part 10 file as it is (preamble, regenerated meta, dataset).</summary>
    public Task<Stream> OpenFileAsync(RetrieveInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return _blobs.OpenReadAsync(instance.BlobKey, cancellationToken);
    }

    /// <summary>
    /// The dataset part of the stored file, from the first element after the File Meta Information to the end, with the
    /// transfer syntax the meta declares: what a C-STORE sub-operation sends without re-encoding.
    /// </summary>
    public async Task<RetrievedDataset> OpenDatasetAsync(RetrieveInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);

        // The index records the stored object's length at commit (what the blob store confirmed).
        var size = instance.Size;
        if (_blobs.ReadsAreSeekable)
        {
            var whole = await _blobs.OpenReadAsync(instance.BlobKey, cancellationToken).ConfigureAwait(false);
            // A file: the meta is read in place and the same handle sends the dataset (one open, no probe copy).
            try
            {
                var (datasetOffset, syntax) = await Part10Layout.ReadAsync(whole, cancellationToken).ConfigureAwait(false);
                whole.Position = datasetOffset;
                return new RetrievedDataset(instance, new SubStream(whole, size - datasetOffset), size - datasetOffset, DicomTransferSyntax.Parse(syntax));
            }
            catch
            {
                await whole.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        var (offset, transferSyntax) = await StoredObjectLayout.ProbeAsync(_blobs, instance.BlobKey, cancellationToken).ConfigureAwait(false);
        var stream = await _blobs.OpenReadAsync(instance.BlobKey, offset, size - offset, cancellationToken).ConfigureAwait(false);
        return new RetrievedDataset(instance, stream, size - offset, DicomTransferSyntax.Parse(transferSyntax));
    }
}
