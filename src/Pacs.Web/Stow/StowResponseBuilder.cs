using Microsoft.AspNetCore.Http;
using Pacs.Dicom;

namespace Pacs.Web.Stow;

/// <summary>The Store Instances Response Module (PS3.18 10.5.3, Table 10.5.3-1) for a set of outcomes.</summary>
public static class StowResponseBuilder
{
    /// <summary>200 when every instance was stored, 409 when none was, 202 otherwise (PS3.18 10.5.3).</summary>
    public static int StatusCode(IReadOnlyCollection<StowOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var stored = outcomes.Count(o => o.Stored);
        return stored == outcomes.Count ? StatusCodes.Status200OK : stored == 0 ? StatusCodes.Status409Conflict : StatusCodes.Status202Accepted;
    }

    /// <param name="studiesUrl">The absolute URL of the studies resource, e.g. https://host/dicomweb/studies.</param>
    /// <param name="requestStudy">The study of a /studies/{study} request, else null.</param>
    public static DicomDataset Build(IReadOnlyCollection<StowOutcome> outcomes, string studiesUrl, string? requestStudy)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var response = new DicomDataset();
        var studies = outcomes.Where(o => o.Stored).Select(o => o.StudyInstanceUid).Distinct().ToList();
        var study = requestStudy ?? (studies.Count == 1 ? studies[0] : null);
        if (study is not null)
        {
            response.AddOrUpdate(DicomTag.RetrieveURL, DicomVR.UR, $"{studiesUrl}/{study}");
        }

        var failed = new List<DicomDataset>();
        var referenced = new List<DicomDataset>();
        foreach (var outcome in outcomes)
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTag.ReferencedSOPClassUID, DicomVR.UI, outcome.SopClassUid ?? string.Empty);
            item.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, DicomVR.UI, outcome.SopInstanceUid ?? string.Empty);
            if (outcome.FailureReason is { } reason)
            {
                item.AddOrUpdate(DicomTag.FailureReason, DicomVR.US, reason);
                failed.Add(item);
            }
            else
            {
                item.AddOrUpdate(DicomTag.RetrieveURL, DicomVR.UR, $"{studiesUrl}/{outcome.StudyInstanceUid}/series/{outcome.SeriesInstanceUid}/instances/{outcome.SopInstanceUid}");
                referenced.Add(item);
            }
        }

        // Both sequences are always present, empty when nothing belongs in them, as clients test for them.
        response.AddOrUpdate(DicomTag.FailedSOPSequence, [.. failed]);
        response.AddOrUpdate(DicomTag.ReferencedSOPSequence, [.. referenced]);
        return response;
    }
}
