using Microsoft.AspNetCore.Http;
using Pacs.Archive.Maintenance;
using Pacs.Web.Hosting;
using Pacs.Web.Http;
using Pacs.Web.Wado;

namespace Pacs.Web.Admin;

/// <summary>DELETE of a study, series or instance: index first, then the blobs (see <see cref="ArchiveDeletion"/>).</summary>
public sealed class DeleteHandler(IPacsWebArchive archive, InstanceLocator locator)
{
    public async Task<IResult> DeleteStudyAsync(string study, CancellationToken cancellationToken)
    {
        if (DicomWebErrors.InvalidUid(("StudyInstanceUID", study)) is { } invalid)
        {
            return invalid;
        }

        if (!await locator.StudyExistsAsync(study, cancellationToken).ConfigureAwait(false))
        {
            return DicomWebErrors.NotFound($"No study {study}.");
        }

        await Deletion.DeleteStudyAsync(study, cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    public async Task<IResult> DeleteSeriesAsync(string study, string series, CancellationToken cancellationToken)
    {
        if (DicomWebErrors.InvalidUid(("StudyInstanceUID", study), ("SeriesInstanceUID", series)) is { } invalid)
        {
            return invalid;
        }

        if (await locator.StudyOfSeriesAsync(series, cancellationToken).ConfigureAwait(false) != study)
        {
            return DicomWebErrors.NotFound($"No series {series} in study {study}.");
        }

        await Deletion.DeleteSeriesAsync(series, cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    public async Task<IResult> DeleteInstanceAsync(string study, string series, string instance, CancellationToken cancellationToken)
    {
        if (DicomWebErrors.InvalidUid(("StudyInstanceUID", study), ("SeriesInstanceUID", series), ("SOPInstanceUID", instance)) is { } invalid)
        {
            return invalid;
        }

        if (await locator.FindAsync(study, series, instance, cancellationToken).ConfigureAwait(false) is null)
        {
            return DicomWebErrors.NotFound($"No instance {instance} in series {series} of study {study}.");
        }

        await Deletion.DeleteInstanceAsync(instance, cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    private ArchiveDeletion Deletion => new(archive.Index, archive.Blobs);
}
