using Pacs.Web.Hosting;

namespace Pacs.Web.Wado;

/// <summary>
/// Looks instances up in the index by UID (one parameterised read, or none when <see cref="InstanceLocationCache"/> has
/// it), checking the study/series they belong to.
/// </summary>
public sealed class InstanceLocator(IPacsWebArchive archive, InstanceLocationCache cache)
{
    /// <summary>The instance when it exists and belongs to the given study and series; otherwise null.</summary>
    public async Task<InstanceLocation?> FindAsync(string studyInstanceUid, string? seriesInstanceUid, string sopInstanceUid, CancellationToken cancellationToken)
    {
        var feed = archive.Index.Changes;
        if (!cache.TryGet(feed, sopInstanceUid, out var location))
        {
            var generation = InstanceLocationCache.BeginRead(feed);
            location = await ReadAsync(sopInstanceUid, cancellationToken).ConfigureAwait(false);
            if (location is not null)
            {
                cache.Add(feed, location, generation);
            }
        }

        return location is not null && location.StudyInstanceUid == studyInstanceUid && (seriesInstanceUid is null || location.SeriesInstanceUid == seriesInstanceUid)
            ? location
            : null;
    }

    private async Task<InstanceLocation?> ReadAsync(string sopInstanceUid, CancellationToken cancellationToken)
    {
        await using var command = archive.Index.DataSource.CreateCommand("""
            SELECT st.study_instance_uid, se.series_instance_uid, i.sop_class_uid, v.version_pk, v.blob_key, v.size, v.transfer_syntax_uid
              FROM instance i
              JOIN series se ON se.series_pk = i.series_pk
              JOIN study st ON st.study_pk = se.study_pk
              JOIN instance_version v ON v.version_pk = i.current_version_pk
             WHERE i.sop_instance_uid = @uid
            """);
        command.Parameters.AddWithValue("uid", sopInstanceUid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new InstanceLocation(reader.GetString(0), reader.GetString(1), sopInstanceUid, reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetInt64(5), reader.GetString(6));
    }

    /// <summary>
    /// The first instance with pixel data (Rows indexed) of a study, or of one series of it, in retrieve order (series
    /// number, instance number): what a study or series is rendered as. Null when there is none.
    /// </summary>
    public async Task<InstanceLocation?> FirstImageAsync(string studyInstanceUid, string? seriesInstanceUid, CancellationToken cancellationToken)
    {
        await using var command = archive.Index.DataSource.CreateCommand($"""
            SELECT st.study_instance_uid, se.series_instance_uid, i.sop_instance_uid, i.sop_class_uid, v.version_pk, v.blob_key, v.size, v.transfer_syntax_uid
              FROM study st
              JOIN series se ON se.study_pk = st.study_pk
              JOIN instance i ON i.series_pk = se.series_pk
              JOIN instance_version v ON v.version_pk = i.current_version_pk
             WHERE st.study_instance_uid = @study AND i.rows IS NOT NULL{(seriesInstanceUid is null ? string.Empty : " AND se.series_instance_uid = @series")}
             ORDER BY se.series_number NULLS LAST, se.series_pk, i.instance_number NULLS LAST, i.instance_pk
             LIMIT 1
            """);
        command.Parameters.AddWithValue("study", studyInstanceUid);
        if (seriesInstanceUid is not null)
        {
            command.Parameters.AddWithValue("series", seriesInstanceUid);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new InstanceLocation(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetString(5), reader.GetInt64(6), reader.GetString(7))
            : null;
    }

    /// <summary>The Study Instance UID a series belongs to, or null when the series is unknown.</summary>
    public async Task<string?> StudyOfSeriesAsync(string seriesInstanceUid, CancellationToken cancellationToken)
    {
        await using var command = archive.Index.DataSource.CreateCommand("""
            SELECT st.study_instance_uid FROM series se JOIN study st ON st.study_pk = se.study_pk WHERE se.series_instance_uid = @uid
            """);
        command.Parameters.AddWithValue("uid", seriesInstanceUid);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>True when a study with this UID is indexed.</summary>
    public async Task<bool> StudyExistsAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        await using var command = archive.Index.DataSource.CreateCommand("SELECT 1 FROM study WHERE study_instance_uid = @uid");
        command.Parameters.AddWithValue("uid", studyInstanceUid);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
