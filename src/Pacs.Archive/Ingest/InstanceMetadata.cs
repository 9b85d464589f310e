using Pacs.Dicom;
using Pacs.Dicom.Serialization;

namespace Pacs.Archive.Ingest;

/// <summary>
/// The per-instance metadata kept in the index: the header as DICOM JSON (PS3.18 F) with large binary values replaced
/// by relative references <c>bulk/{tag path}</c> (e.g. <c>bulk/7FE00010</c>, <c>bulk/52009230[0].00289110[0].00280030</c>),
/// which WADO-RS metadata rewrites into URLs of the instance's bulk data resource.
/// </summary>
public static class InstanceMetadata
{
    /// <summary>The prefix of the bulk data references in stored metadata.</summary>
    public const string BulkDataPrefix = "bulk/";

    public static string ToJson(DicomDataset header, long bulkDataThreshold)
    {
        ArgumentNullException.ThrowIfNull(header);
        var options = new DicomJsonOptions
        {
            BulkDataMode = DicomBulkDataMode.BulkDataUri,
            BulkDataThreshold = bulkDataThreshold,
            BulkDataUriProvider = static context => BulkDataPrefix + context.PathText,
        };
        return WithoutNul(DicomJson.Serialize(header, options));
    }

    /// <summary>
    /// Drops escaped NUL characters (some writers pad values with NUL), which PostgreSQL's jsonb refuses. An escape
    /// starts at a backslash preceded by an even number of backslashes; "\\u0000" is a backslash and text, not a NUL.
    /// </summary>
    internal static string WithoutNul(string json)
    {
        const string Nul = "\\u0000";
        var i = json.IndexOf(Nul, StringComparison.Ordinal);
        if (i < 0)
        {
            return json;
        }

        var result = new System.Text.StringBuilder(json.Length);
        var copied = 0;
        for (; i >= 0; i = json.IndexOf(Nul, i + 1, StringComparison.Ordinal))
        {
            var backslashes = 0;
            for (var j = i - 1; j >= 0 && json[j] == '\\'; j--)
            {
                backslashes++;
            }

            if (backslashes % 2 == 0)
            {
                result.Append(json, copied, i - copied);
                copied = i + Nul.Length;
            }
        }

        result.Append(json, copied, json.Length - copied);
        return result.ToString();
    }
}
