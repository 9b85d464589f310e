using System.Text;
using Npgsql;
using Pacs.Archive.Ingest;
using Pacs.Dicom;
using Pacs.Web.Hosting;

namespace Pacs.Web.Wado;

/// <summary>One instance of a study or series as its metadata needs it: identity, stored version, and the index's DICOM JSON.</summary>
public sealed record StoredMetadataRow(
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid,
    string BlobKey,
    long Size,
    string TransferSyntaxUid,
    int? Rows,
    int? BitsAllocated,
    string? Metadata);

/// <summary>
/// Reads the metadata of every instance of a study or series in one statement (the <c>instance.metadata</c> column, no
/// blob opened) and turns its stored bulk data references into the instance's BulkDataURIs.
/// </summary>
public sealed class StoredMetadataReader(IPacsWebArchive archive)
{
    private const string BulkDataKey = "\"BulkDataURI\"";

    /// <summary>The instances in retrieve order (series number, instance number); empty when the study or series is unknown.</summary>
    public async Task<IReadOnlyList<StoredMetadataRow>> ReadAsync(string study, string? series, CancellationToken cancellationToken)
    {
        await using var command = archive.Index.DataSource.CreateCommand($"""
            SELECT st.study_instance_uid, se.series_instance_uid, i.sop_instance_uid, v.blob_key, v.size, v.transfer_syntax_uid,
                   i.rows, i.bits_allocated, i.metadata::text
              FROM study st
              JOIN series se ON se.study_pk = st.study_pk
              JOIN instance i ON i.series_pk = se.series_pk
              JOIN instance_version v ON v.version_pk = i.current_version_pk
             WHERE st.study_instance_uid = @study{(series is null ? string.Empty : " AND se.series_instance_uid = @series")}
             ORDER BY se.series_number NULLS LAST, se.series_pk, i.instance_number NULLS LAST, i.instance_pk
            """);
        command.Parameters.AddWithValue("study", study);
        if (series is not null)
        {
            command.Parameters.AddWithValue("series", series);
        }

        var rows = new List<StoredMetadataRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new StoredMetadataRow(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetString(5),
                NullableInt(reader, 6), NullableInt(reader, 7), reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return rows;
    }

    /// <summary>
    /// The stored JSON with each <c>bulk/{path}</c> reference rewritten to <c>{instanceUrl}/bulkdata/{tag/item/tag}</c>
    /// (the form <see cref="BulkDataPath"/> resolves), and the Pixel Data reference the index leaves out (ingest reads the
    /// header only) added for an image. Text surgery, not a parse: a bare <c>"BulkDataURI"</c> can only be a member name,
    /// since quotes inside JSON strings are escaped.
    /// </summary>
    public static string Rewrite(StoredMetadataRow row, string instanceUrl)
    {
        ArgumentNullException.ThrowIfNull(row);
        var json = row.Metadata ?? throw new ArgumentException("The row has no stored metadata.", nameof(row));
        var result = new StringBuilder(json.Length + 256);
        var copied = 0;
        for (var at = json.IndexOf(BulkDataKey, StringComparison.Ordinal); at >= 0; at = json.IndexOf(BulkDataKey, copied, StringComparison.Ordinal))
        {
            var value = at + BulkDataKey.Length;
            while (value < json.Length && json[value] is ' ' or ':')
            {
                value++;
            }

            var start = value + 1;
            if (value >= json.Length || json[value] != '"' || string.CompareOrdinal(json, start, InstanceMetadata.BulkDataPrefix, 0, InstanceMetadata.BulkDataPrefix.Length) != 0)
            {
                result.Append(json, copied, value - copied);
                copied = value;
                continue;
            }

            var end = json.IndexOf('"', start);
            if (end < 0)
            {
                break;
            }

            result.Append(json, copied, start - copied).Append(instanceUrl).Append("/bulkdata/");
            foreach (var c in json.AsSpan(start + InstanceMetadata.BulkDataPrefix.Length, end - start - InstanceMetadata.BulkDataPrefix.Length))
            {
                // 52009230[0].00289110[0].00280030 -> 52009230/0/00289110/0/00280030
                switch (c)
                {
                    case '[' or '.':
                        result.Append('/');
                        break;
                    case ']':
                        break;
                    default:
                        result.Append(c);
                        break;
                }
            }

            copied = end;
        }

        result.Append(json, copied, json.Length - copied);
        if (row.Rows is not null && !json.Contains("\"7FE00010\":", StringComparison.Ordinal))
        {
            AppendPixelData(result, row, instanceUrl);
        }

        return result.ToString();
    }

    /// <summary>
    /// Pixel Data as a BulkDataURI, with the VR the stored object most likely has: OB when encapsulated, OW in Implicit
    /// VR (PS3.5 A.1), otherwise OW above 8 bits allocated and OB at 8 (what writers choose; the index keeps no VR).
    /// </summary>
    private static void AppendPixelData(StringBuilder json, StoredMetadataRow row, string instanceUrl)
    {
        var ts = DicomTransferSyntax.Lookup(row.TransferSyntaxUid);
        var vr = ts is { IsEncapsulated: true } ? "OB"
            : row.TransferSyntaxUid == DicomTransferSyntax.ImplicitVRLittleEndian.UidValue || row.BitsAllocated is null or > 8 ? "OW"
            : "OB";
        var close = json.Length - 1;
        while (close > 0 && json[close] != '}')
        {
            close--;
        }

        var empty = json.ToString(0, close).TrimEnd().EndsWith('{');
        json.Insert(close, $"{(empty ? string.Empty : ", ")}\"7FE00010\": {{\"vr\": \"{vr}\", \"BulkDataURI\": \"{instanceUrl}/bulkdata/7FE00010\"}}");
    }

    private static int? NullableInt(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
}
