using Pacs.Archive.Index;
using Pacs.Dicom;

namespace Pacs.Archive.Ingest;

/// <summary>
/// Reads the index's match keys out of a dataset header. Lenient on purpose: a malformed optional value (a bad date,
/// a non-numeric IS) leaves its column empty rather than refusing the instance; only the UIDs are mandatory.
/// </summary>
public static class IndexAttributeExtractor
{
    private enum Kind
    {
        Text,
        Date,
        Time,
        Integer,
        Double,
    }

    private static readonly (string Column, DicomTag Tag, Kind Kind)[] Table =
    [
        (IndexColumns.PatientId, DicomTag.PatientID, Kind.Text),
        (IndexColumns.IssuerOfPatientId, DicomTag.IssuerOfPatientID, Kind.Text),
        (IndexColumns.PatientName, DicomTag.PatientName, Kind.Text),
        (IndexColumns.OtherPatientNames, DicomTag.OtherPatientNames, Kind.Text),
        (IndexColumns.PatientBirthDate, DicomTag.PatientBirthDate, Kind.Date),
        (IndexColumns.PatientBirthTime, DicomTag.PatientBirthTime, Kind.Time),
        (IndexColumns.PatientSex, DicomTag.PatientSex, Kind.Text),
        (IndexColumns.EthnicGroup, DicomTag.EthnicGroup, Kind.Text),
        (IndexColumns.PatientComments, DicomTag.PatientComments, Kind.Text),
        (IndexColumns.StudyDate, DicomTag.StudyDate, Kind.Date),
        (IndexColumns.StudyTime, DicomTag.StudyTime, Kind.Time),
        (IndexColumns.AccessionNumber, DicomTag.AccessionNumber, Kind.Text),
        (IndexColumns.StudyId, DicomTag.StudyID, Kind.Text),
        (IndexColumns.StudyDescription, DicomTag.StudyDescription, Kind.Text),
        (IndexColumns.ReferringPhysicianName, DicomTag.ReferringPhysicianName, Kind.Text),
        (IndexColumns.NameOfPhysiciansReadingStudy, DicomTag.NameOfPhysiciansReadingStudy, Kind.Text),
        (IndexColumns.AdmittingDiagnosesDescription, DicomTag.AdmittingDiagnosesDescription, Kind.Text),
        (IndexColumns.PatientAge, DicomTag.PatientAge, Kind.Text),
        (IndexColumns.PatientSize, DicomTag.PatientSize, Kind.Double),
        (IndexColumns.PatientWeight, DicomTag.PatientWeight, Kind.Double),
        (IndexColumns.Occupation, DicomTag.Occupation, Kind.Text),
        (IndexColumns.AdditionalPatientHistory, DicomTag.AdditionalPatientHistory, Kind.Text),
        (IndexColumns.OtherStudyNumbers, DicomTag.OtherStudyNumbers, Kind.Text),
        (IndexColumns.TimezoneOffsetFromUtc, DicomTag.TimezoneOffsetFromUTC, Kind.Text),
        (IndexColumns.Modality, DicomTag.Modality, Kind.Text),
        (IndexColumns.SeriesNumber, DicomTag.SeriesNumber, Kind.Integer),
        (IndexColumns.SeriesDescription, DicomTag.SeriesDescription, Kind.Text),
        (IndexColumns.SeriesDate, DicomTag.SeriesDate, Kind.Date),
        (IndexColumns.SeriesTime, DicomTag.SeriesTime, Kind.Time),
        (IndexColumns.PerformedProcedureStepStartDate, DicomTag.PerformedProcedureStepStartDate, Kind.Date),
        (IndexColumns.PerformedProcedureStepStartTime, DicomTag.PerformedProcedureStepStartTime, Kind.Time),
        (IndexColumns.BodyPartExamined, DicomTag.BodyPartExamined, Kind.Text),
        (IndexColumns.Laterality, DicomTag.Laterality, Kind.Text),
        (IndexColumns.InstitutionName, DicomTag.InstitutionName, Kind.Text),
        (IndexColumns.InstitutionalDepartmentName, DicomTag.InstitutionalDepartmentName, Kind.Text),
        (IndexColumns.StationName, DicomTag.StationName, Kind.Text),
        (IndexColumns.Manufacturer, DicomTag.Manufacturer, Kind.Text),
        (IndexColumns.ManufacturerModelName, DicomTag.ManufacturerModelName, Kind.Text),
        (IndexColumns.ProtocolName, DicomTag.ProtocolName, Kind.Text),
        (IndexColumns.PerformingPhysicianName, DicomTag.PerformingPhysicianName, Kind.Text),
        (IndexColumns.OperatorsName, DicomTag.OperatorsName, Kind.Text),
        (IndexColumns.InstanceNumber, DicomTag.InstanceNumber, Kind.Integer),
        (IndexColumns.ContentDate, DicomTag.ContentDate, Kind.Date),
        (IndexColumns.ContentTime, DicomTag.ContentTime, Kind.Time),
        (IndexColumns.AcquisitionDate, DicomTag.AcquisitionDate, Kind.Date),
        (IndexColumns.AcquisitionTime, DicomTag.AcquisitionTime, Kind.Time),
        (IndexColumns.NumberOfFrames, DicomTag.NumberOfFrames, Kind.Integer),
        (IndexColumns.Rows, DicomTag.Rows, Kind.Integer),
        (IndexColumns.Columns, DicomTag.Columns, Kind.Integer),
        (IndexColumns.BitsAllocated, DicomTag.BitsAllocated, Kind.Integer),
        (IndexColumns.ImageType, DicomTag.ImageType, Kind.Text),
        (IndexColumns.ContentLabel, DicomTag.ContentLabel, Kind.Text),
        (IndexColumns.ContentDescription, DicomTag.ContentDescription, Kind.Text),
        (IndexColumns.CompletionFlag, DicomTag.CompletionFlag, Kind.Text),
        (IndexColumns.VerificationFlag, DicomTag.VerificationFlag, Kind.Text),
    ];

    /// <summary>
    /// The index attributes of <paramref name="dataset"/>; a <see cref="DicomException"/> when a UID the archive needs
    /// (Study, Series, SOP Instance, SOP Class) is missing or invalid.
    /// </summary>
    public static IndexAttributes Extract(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var study = RequiredUid(dataset, DicomTag.StudyInstanceUID, "Study Instance UID");
        var series = RequiredUid(dataset, DicomTag.SeriesInstanceUID, "Series Instance UID");
        var sop = RequiredUid(dataset, DicomTag.SOPInstanceUID, "SOP Instance UID");
        var sopClass = RequiredUid(dataset, DicomTag.SOPClassUID, "SOP Class UID");

        var columns = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (column, tag, kind) in Table)
        {
            var value = Read(dataset, tag, kind);
            if (value is not null)
            {
                columns[column] = value;
            }
        }

        AddSequenceValues(dataset, DicomTag.OtherPatientIDsSequence, DicomTag.PatientID, IndexColumns.OtherPatientIds, columns);
        AddSequenceValues(dataset, DicomTag.RequestAttributesSequence, DicomTag.ScheduledProcedureStepID, IndexColumns.ScheduledProcedureStepIds, columns);
        AddSequenceValues(dataset, DicomTag.RequestAttributesSequence, DicomTag.RequestedProcedureID, IndexColumns.RequestedProcedureIds, columns);
        if (FirstItem(dataset, DicomTag.IssuerOfAccessionNumberSequence) is { } issuer && Text(issuer, DicomTag.LocalNamespaceEntityID) is { } ns)
        {
            columns[IndexColumns.IssuerOfAccessionNumber] = ns;
        }

        if (FirstItem(dataset, DicomTag.ConceptNameCodeSequence) is { } concept)
        {
            columns[IndexColumns.ConceptNameCodeValue] = Text(concept, DicomTag.CodeValue);
            columns[IndexColumns.ConceptNameCodingSchemeDesignator] = Text(concept, DicomTag.CodingSchemeDesignator);
        }

        return new IndexAttributes(study, series, sop, sopClass, columns);
    }

    private static string RequiredUid(DicomDataset dataset, DicomTag tag, string name)
    {
        if (!dataset.TryGetString(tag, out var value) || value.Length == 0)
        {
            throw new DicomException($"{name} {tag} is missing or empty.");
        }

        if (!DicomUid.IsValid(value))
        {
            throw new DicomException($"{name} {tag} '{value}' is not a valid UID.");
        }

        return value;
    }

    private static object? Read(DicomDataset dataset, DicomTag tag, Kind kind)
    {
        try
        {
            switch (kind)
            {
                case Kind.Text:
                    return Text(dataset, tag);
                case Kind.Date:
                    return dataset.TryGetValue(tag, 0, out DateOnly date) ? date : null;
                case Kind.Time:
                    return dataset.TryGetValue(tag, 0, out TimeOnly time) ? time : null;
                case Kind.Integer:
                    return dataset.TryGetValue(tag, 0, out int number) ? number : null;
                case Kind.Double:
                    return dataset.TryGetValue(tag, 0, out double real) && double.IsFinite(real) ? real : null;
                default:
                    return null;
            }
        }
        catch (DicomException)
        {
            return null;
        }
    }

    private static string? Text(DicomDataset dataset, DicomTag tag)
    {
        if (!dataset.TryGetString(tag, out var value))
        {
            return null;
        }

        // PostgreSQL text cannot hold NUL, which some writers use as padding.
        value = value.Replace("\0", string.Empty, StringComparison.Ordinal).Trim();
        return value.Length == 0 ? null : value;
    }

    private static DicomDataset? FirstItem(DicomDataset dataset, DicomTag sequence) =>
        dataset.TryGetSequence(sequence, out var items) && items.Count > 0 ? items[0] : null;

    private static void AddSequenceValues(DicomDataset dataset, DicomTag sequence, DicomTag tag, string column, Dictionary<string, object?> columns)
    {
        if (!dataset.TryGetSequence(sequence, out var items))
        {
            return;
        }

        var values = new List<string>();
        foreach (var item in items)
        {
            if (Text(item, tag) is { } value && !values.Contains(value))
            {
                values.Add(value);
            }
        }

        if (values.Count > 0)
        {
            columns[column] = values.ToArray();
        }
    }
}
