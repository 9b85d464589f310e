using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Pacs.Archive.Query;
using Pacs.Dicom;
using Pacs.Web.Hosting;
using Pacs.Web.Http;

namespace Pacs.Web.Qido;

/// <summary>
/// QIDO-RS (PS3.18 10.6): the query string becomes the <see cref="ArchiveQuery"/> C-FIND uses, so matching (wildcards,
/// ranges, UID lists, sequences, fuzzy names) is the archive's; this layer adds the resource's level and UIDs, the
/// server's result cap with its Warning, and a RetrieveURL for each result.
/// </summary>
public sealed class QidoHandler(IPacsWebArchive archive, IOptions<PacsWebOptions> options)
{
    private const string TruncatedWarning = "The number of results exceeded the maximum supported by the server. Additional results can be requested.";

    private readonly PacsWebOptions _options = options.Value;

    public async Task<IResult> SearchAsync(HttpContext context, QueryLevel level, string? study, string? series)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!DicomDatasetResult.IsAcceptable(context.Request))
        {
            return DicomWebErrors.NotAcceptable("Query results are sent as application/dicom+json or multipart/related; type=\"application/dicom+xml\".");
        }

        if (DicomWebErrors.InvalidUid(("StudyInstanceUID", study), ("SeriesInstanceUID", series)) is { } invalid)
        {
            return invalid;
        }

        QueryParameters parameters;
        ArchiveQuery query;
        try
        {
            parameters = QueryParameters.Parse(Pairs(context.Request.Query));
            query = parameters.ToQuery(level, study, series);
        }
        catch (QueryException ex)
        {
            return DicomWebErrors.BadRequest(ex.Message);
        }

        // One row more than will be sent tells whether the answer is cut, without a second (count) query.
        var max = Math.Max(_options.MaxQueryResults, 1);
        var limit = Math.Min(query.Limit ?? max, max);
        var results = new List<DicomDataset>();
        try
        {
            await foreach (var result in archive.Query.QueryAsync(query with { Limit = limit + 1 }, context.RequestAborted).ConfigureAwait(false))
            {
                results.Add(result);
            }
        }
        catch (QueryException ex)
        {
            return DicomWebErrors.BadRequest(ex.Message);
        }

        var warnings = new List<string>();
        if (results.Count > limit)
        {
            results.RemoveRange(limit, results.Count - limit);
            warnings.Add(Warning(context, TruncatedWarning));
        }

        if (parameters.UnsupportedKeys.Count > 0)
        {
            warnings.Add(Warning(context, $"The following attributes are not supported for matching and matched universally: {string.Join(", ", parameters.UnsupportedKeys.Select(t => t.ToHex()))}."));
        }

        if (warnings.Count > 0)
        {
            context.Response.Headers.Warning = warnings.ToArray();
        }

        var baseUrl = DicomWebUrls.Base(context.Request, _options);
        foreach (var result in results)
        {
            Complete(result, level, baseUrl, study, series);
        }

        return new DicomDatasetResult(results, null, null);
    }

    /// <summary>
    /// Drops the C-FIND Query/Retrieve Level (QIDO-RS responses have none) and adds the RetrieveURL (0008,1190) of the
    /// result's WADO-RS resource (PS3.18 Table 10.6.3-3..5).
    /// </summary>
    private static void Complete(DicomDataset result, QueryLevel level, string baseUrl, string? study, string? series)
    {
        result.Remove(DicomTag.QueryRetrieveLevel);
        var studyUid = result.TryGetString(DicomTag.StudyInstanceUID, out var s) && s.Length > 0 ? s : study;
        var seriesUid = result.TryGetString(DicomTag.SeriesInstanceUID, out var se) && se.Length > 0 ? se : series;
        var instanceUid = result.TryGetString(DicomTag.SOPInstanceUID, out var i) && i.Length > 0 ? i : null;
        string? url = level switch
        {
            QueryLevel.Study when studyUid is not null => DicomWebUrls.Study(baseUrl, studyUid),
            QueryLevel.Series when studyUid is not null && seriesUid is not null => DicomWebUrls.Series(baseUrl, studyUid, seriesUid),
            QueryLevel.Image when studyUid is not null && seriesUid is not null && instanceUid is not null => DicomWebUrls.Instance(baseUrl, studyUid, seriesUid, instanceUid),
            _ => null,
        };
        if (url is not null)
        {
            result.AddOrUpdate(DicomTag.RetrieveURL, DicomVR.UR, url);
        }
    }

    private static string Warning(HttpContext context, string text) => $"299 {context.Request.Host}: \"{text}\"";

    private static IEnumerable<(string Key, string Value)> Pairs(IQueryCollection query)
    {
        foreach (var (key, values) in query)
        {
            if (values.Count == 0)
            {
                yield return (key, string.Empty);
                continue;
            }

            foreach (var value in values)
            {
                yield return (key, value ?? string.Empty);
            }
        }
    }
}
