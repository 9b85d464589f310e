using System.Collections.Frozen;
using Pacs.Archive.Index;
using Pacs.Dicom;

namespace Pacs.Archive.Query;

/// <summary>
/// The whitelist of indexed attributes (PS3.4 C.6.1.1 / C.6.2.1 keys, PS3.18 Table 10.6.1-5) with their tables and
/// columns. Attributes not listed are not matched on (universal matching, PS3.4 C.2.2.1) and are returned from the
/// instance metadata when it is there.
/// </summary>
public static class QueryAttributes
{
    private static readonly QueryAttribute[] All =
    [
        new(DicomTag.PatientID, QueryLevel.Patient, IndexColumns.PatientId, QueryValueKind.Text),
        new(DicomTag.IssuerOfPatientID, QueryLevel.Patient, IndexColumns.IssuerOfPatientId, QueryValueKind.Text),
        new(DicomTag.PatientName, QueryLevel.Patient, IndexColumns.PatientName, QueryValueKind.PersonName) { SearchKeyColumn = "patient_name_key" },
        new(DicomTag.OtherPatientNames, QueryLevel.Patient, IndexColumns.OtherPatientNames, QueryValueKind.PersonName),
        new(DicomTag.PatientBirthDate, QueryLevel.Patient, IndexColumns.PatientBirthDate, QueryValueKind.Date),
        new(DicomTag.PatientBirthTime, QueryLevel.Patient, IndexColumns.PatientBirthTime, QueryValueKind.Time),
        new(DicomTag.PatientSex, QueryLevel.Patient, IndexColumns.PatientSex, QueryValueKind.Text),
        new(DicomTag.EthnicGroup, QueryLevel.Patient, IndexColumns.EthnicGroup, QueryValueKind.Text),
        new(DicomTag.PatientComments, QueryLevel.Patient, IndexColumns.PatientComments, QueryValueKind.Text),
        new(DicomTag.NumberOfPatientRelatedStudies, QueryLevel.Patient, "number_of_patient_related_studies", QueryValueKind.Count),
        new(DicomTag.NumberOfPatientRelatedSeries, QueryLevel.Patient, "number_of_patient_related_series", QueryValueKind.Count),
        new(DicomTag.NumberOfPatientRelatedInstances, QueryLevel.Patient, "number_of_patient_related_instances", QueryValueKind.Count),
        new(DicomTag.PatientID, QueryLevel.Patient, IndexColumns.OtherPatientIds, QueryValueKind.TextArray) { Sequence = DicomTag.OtherPatientIDsSequence },

        new(DicomTag.StudyInstanceUID, QueryLevel.Study, "study_instance_uid", QueryValueKind.Uid),
        new(DicomTag.StudyDate, QueryLevel.Study, IndexColumns.StudyDate, QueryValueKind.Date),
        new(DicomTag.StudyTime, QueryLevel.Study, IndexColumns.StudyTime, QueryValueKind.Time),
        new(DicomTag.AccessionNumber, QueryLevel.Study, IndexColumns.AccessionNumber, QueryValueKind.Text),
        new(DicomTag.StudyID, QueryLevel.Study, IndexColumns.StudyId, QueryValueKind.Text),
        new(DicomTag.StudyDescription, QueryLevel.Study, IndexColumns.StudyDescription, QueryValueKind.Text),
        new(DicomTag.ReferringPhysicianName, QueryLevel.Study, IndexColumns.ReferringPhysicianName, QueryValueKind.PersonName) { SearchKeyColumn = "referring_physician_name_key" },
        new(DicomTag.NameOfPhysiciansReadingStudy, QueryLevel.Study, IndexColumns.NameOfPhysiciansReadingStudy, QueryValueKind.PersonName),
        new(DicomTag.AdmittingDiagnosesDescription, QueryLevel.Study, IndexColumns.AdmittingDiagnosesDescription, QueryValueKind.Text),
        new(DicomTag.PatientAge, QueryLevel.Study, IndexColumns.PatientAge, QueryValueKind.Text),
        new(DicomTag.PatientSize, QueryLevel.Study, IndexColumns.PatientSize, QueryValueKind.Double),
        new(DicomTag.PatientWeight, QueryLevel.Study, IndexColumns.PatientWeight, QueryValueKind.Double),
        new(DicomTag.Occupation, QueryLevel.Study, IndexColumns.Occupation, QueryValueKind.Text),
        new(DicomTag.AdditionalPatientHistory, QueryLevel.Study, IndexColumns.AdditionalPatientHistory, QueryValueKind.Text),
        new(DicomTag.OtherStudyNumbers, QueryLevel.Study, IndexColumns.OtherStudyNumbers, QueryValueKind.Text),
        new(DicomTag.TimezoneOffsetFromUTC, QueryLevel.Study, IndexColumns.TimezoneOffsetFromUtc, QueryValueKind.Text),
        new(DicomTag.ModalitiesInStudy, QueryLevel.Study, "modalities_in_study", QueryValueKind.ArrayOverlap),
        new(DicomTag.SOPClassesInStudy, QueryLevel.Study, "sop_classes_in_study", QueryValueKind.ArrayOverlap),
        new(DicomTag.NumberOfStudyRelatedSeries, QueryLevel.Study, "number_of_study_related_series", QueryValueKind.Count),
        new(DicomTag.NumberOfStudyRelatedInstances, QueryLevel.Study, "number_of_study_related_instances", QueryValueKind.Count),
        new(DicomTag.LocalNamespaceEntityID, QueryLevel.Study, IndexColumns.IssuerOfAccessionNumber, QueryValueKind.Text) { Sequence = DicomTag.IssuerOfAccessionNumberSequence },

        new(DicomTag.SeriesInstanceUID, QueryLevel.Series, "series_instance_uid", QueryValueKind.Uid),
        new(DicomTag.Modality, QueryLevel.Series, IndexColumns.Modality, QueryValueKind.Text),
        new(DicomTag.SeriesNumber, QueryLevel.Series, IndexColumns.SeriesNumber, QueryValueKind.Integer),
        new(DicomTag.SeriesDescription, QueryLevel.Series, IndexColumns.SeriesDescription, QueryValueKind.Text),
        new(DicomTag.SeriesDate, QueryLevel.Series, IndexColumns.SeriesDate, QueryValueKind.Date),
        new(DicomTag.SeriesTime, QueryLevel.Series, IndexColumns.SeriesTime, QueryValueKind.Time),
        new(DicomTag.PerformedProcedureStepStartDate, QueryLevel.Series, IndexColumns.PerformedProcedureStepStartDate, QueryValueKind.Date),
        new(DicomTag.PerformedProcedureStepStartTime, QueryLevel.Series, IndexColumns.PerformedProcedureStepStartTime, QueryValueKind.Time),
        new(DicomTag.BodyPartExamined, QueryLevel.Series, IndexColumns.BodyPartExamined, QueryValueKind.Text),
        new(DicomTag.Laterality, QueryLevel.Series, IndexColumns.Laterality, QueryValueKind.Text),
        new(DicomTag.InstitutionName, QueryLevel.Series, IndexColumns.InstitutionName, QueryValueKind.Text),
        new(DicomTag.InstitutionalDepartmentName, QueryLevel.Series, IndexColumns.InstitutionalDepartmentName, QueryValueKind.Text),
        new(DicomTag.StationName, QueryLevel.Series, IndexColumns.StationName, QueryValueKind.Text),
        new(DicomTag.Manufacturer, QueryLevel.Series, IndexColumns.Manufacturer, QueryValueKind.Text),
        new(DicomTag.ManufacturerModelName, QueryLevel.Series, IndexColumns.ManufacturerModelName, QueryValueKind.Text),
        new(DicomTag.ProtocolName, QueryLevel.Series, IndexColumns.ProtocolName, QueryValueKind.Text),
        new(DicomTag.PerformingPhysicianName, QueryLevel.Series, IndexColumns.PerformingPhysicianName, QueryValueKind.PersonName) { SearchKeyColumn = "performing_physician_name_key" },
        new(DicomTag.OperatorsName, QueryLevel.Series, IndexColumns.OperatorsName, QueryValueKind.PersonName),
        new(DicomTag.NumberOfSeriesRelatedInstances, QueryLevel.Series, "number_of_series_related_instances", QueryValueKind.Count),
        new(DicomTag.ScheduledProcedureStepID, QueryLevel.Series, IndexColumns.ScheduledProcedureStepIds, QueryValueKind.TextArray) { Sequence = DicomTag.RequestAttributesSequence },
        new(DicomTag.RequestedProcedureID, QueryLevel.Series, IndexColumns.RequestedProcedureIds, QueryValueKind.TextArray) { Sequence = DicomTag.RequestAttributesSequence },

        new(DicomTag.SOPInstanceUID, QueryLevel.Image, "sop_instance_uid", QueryValueKind.Uid),
        new(DicomTag.SOPClassUID, QueryLevel.Image, IndexColumns.SopClassUid, QueryValueKind.Uid),
        new(DicomTag.InstanceNumber, QueryLevel.Image, IndexColumns.InstanceNumber, QueryValueKind.Integer),
        new(DicomTag.ContentDate, QueryLevel.Image, IndexColumns.ContentDate, QueryValueKind.Date),
        new(DicomTag.ContentTime, QueryLevel.Image, IndexColumns.ContentTime, QueryValueKind.Time),
        new(DicomTag.AcquisitionDate, QueryLevel.Image, IndexColumns.AcquisitionDate, QueryValueKind.Date),
        new(DicomTag.AcquisitionTime, QueryLevel.Image, IndexColumns.AcquisitionTime, QueryValueKind.Time),
        new(DicomTag.NumberOfFrames, QueryLevel.Image, IndexColumns.NumberOfFrames, QueryValueKind.Integer),
        new(DicomTag.Rows, QueryLevel.Image, IndexColumns.Rows, QueryValueKind.Integer),
        new(DicomTag.Columns, QueryLevel.Image, IndexColumns.Columns, QueryValueKind.Integer),
        new(DicomTag.BitsAllocated, QueryLevel.Image, IndexColumns.BitsAllocated, QueryValueKind.Integer),
        new(DicomTag.ImageType, QueryLevel.Image, IndexColumns.ImageType, QueryValueKind.Text),
        new(DicomTag.ContentLabel, QueryLevel.Image, IndexColumns.ContentLabel, QueryValueKind.Text),
        new(DicomTag.ContentDescription, QueryLevel.Image, IndexColumns.ContentDescription, QueryValueKind.Text),
        new(DicomTag.CompletionFlag, QueryLevel.Image, IndexColumns.CompletionFlag, QueryValueKind.Text),
        new(DicomTag.VerificationFlag, QueryLevel.Image, IndexColumns.VerificationFlag, QueryValueKind.Text),
        new(DicomTag.AvailableTransferSyntaxUID, QueryLevel.Image, "transfer_syntax_uid", QueryValueKind.Uid),
        new(DicomTag.CodeValue, QueryLevel.Image, IndexColumns.ConceptNameCodeValue, QueryValueKind.Text) { Sequence = DicomTag.ConceptNameCodeSequence },
        new(DicomTag.CodingSchemeDesignator, QueryLevel.Image, IndexColumns.ConceptNameCodingSchemeDesignator, QueryValueKind.Text) { Sequence = DicomTag.ConceptNameCodeSequence },
    ];

    private static readonly FrozenDictionary<DicomTag, QueryAttribute> TopLevel =
        All.Where(a => a.Sequence is null).ToFrozenDictionary(a => a.Tag);

    private static readonly FrozenDictionary<(DicomTag Sequence, DicomTag Tag), QueryAttribute> InSequence =
        All.Where(a => a.Sequence is not null).ToFrozenDictionary(a => (a.Sequence!.Value, a.Tag));

    private static readonly FrozenDictionary<DicomTag, QueryAttribute[]> BySequence =
        All.Where(a => a.Sequence is not null).GroupBy(a => a.Sequence!.Value).ToFrozenDictionary(g => g.Key, g => g.ToArray());

    /// <summary>The column of a top-level attribute, or null when it is not indexed.</summary>
    public static QueryAttribute? Find(DicomTag tag) => TopLevel.GetValueOrDefault(tag);

    /// <summary>The column of an attribute inside items of <paramref name="sequence"/>, or null.</summary>
    public static QueryAttribute? Find(DicomTag sequence, DicomTag tag) => InSequence.GetValueOrDefault((sequence, tag));

    /// <summary>The indexed attributes inside items of <paramref name="sequence"/> (empty when none are).</summary>
    public static IReadOnlyList<QueryAttribute> InItemsOf(DicomTag sequence) => BySequence.TryGetValue(sequence, out var list) ? list : [];

    /// <summary>Every top-level indexed attribute of a table, in table order.</summary>
    public static IEnumerable<QueryAttribute> OfTable(QueryLevel table) => All.Where(a => a.Table == table && a.Sequence is null);

    /// <summary>The unique key of a level (PS3.4 C.6.1.1 / C.6.2.1).</summary>
    public static QueryAttribute UniqueKey(QueryLevel level) => level switch
    {
        QueryLevel.Patient => TopLevel[DicomTag.PatientID],
        QueryLevel.Study => TopLevel[DicomTag.StudyInstanceUID],
        QueryLevel.Series => TopLevel[DicomTag.SeriesInstanceUID],
        _ => TopLevel[DicomTag.SOPInstanceUID],
    };

    /// <summary>The SQL alias and primary key of a table; fixed strings, never input.</summary>
    internal static (string Table, string Alias, string Key) Sql(QueryLevel table) => table switch
    {
        QueryLevel.Patient => ("patient", "p", "patient_pk"),
        QueryLevel.Study => ("study", "st", "study_pk"),
        QueryLevel.Series => ("series", "se", "series_pk"),
        _ => ("instance", "i", "instance_pk"),
    };
}
