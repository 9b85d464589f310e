namespace Pacs.Archive.Index;

/// <summary>Column names of the index's typed match keys, as the commit function reads them from the attribute document.</summary>
public static class IndexColumns
{
    public const string PatientId = "patient_id";
    public const string IssuerOfPatientId = "issuer_of_patient_id";
    public const string PatientName = "patient_name";
    public const string OtherPatientNames = "other_patient_names";
    public const string OtherPatientIds = "other_patient_ids";
    public const string PatientBirthDate = "patient_birth_date";
    public const string PatientBirthTime = "patient_birth_time";
    public const string PatientSex = "patient_sex";
    public const string EthnicGroup = "ethnic_group";
    public const string PatientComments = "patient_comments";

    public const string StudyDate = "study_date";
    public const string StudyTime = "study_time";
    public const string AccessionNumber = "accession_number";
    public const string IssuerOfAccessionNumber = "issuer_of_accession_number";
    public const string StudyId = "study_id";
    public const string StudyDescription = "study_description";
    public const string ReferringPhysicianName = "referring_physician_name";
    public const string NameOfPhysiciansReadingStudy = "name_of_physicians_reading_study";
    public const string AdmittingDiagnosesDescription = "admitting_diagnoses_description";
    public const string PatientAge = "patient_age";
    public const string PatientSize = "patient_size";
    public const string PatientWeight = "patient_weight";
    public const string Occupation = "occupation";
    public const string AdditionalPatientHistory = "additional_patient_history";
    public const string OtherStudyNumbers = "other_study_numbers";
    public const string TimezoneOffsetFromUtc = "timezone_offset_from_utc";

    public const string Modality = "modality";
    public const string SeriesNumber = "series_number";
    public const string SeriesDescription = "series_description";
    public const string SeriesDate = "series_date";
    public const string SeriesTime = "series_time";
    public const string PerformedProcedureStepStartDate = "performed_procedure_step_start_date";
    public const string PerformedProcedureStepStartTime = "performed_procedure_step_start_time";
    public const string BodyPartExamined = "body_part_examined";
    public const string Laterality = "laterality";
    public const string InstitutionName = "institution_name";
    public const string InstitutionalDepartmentName = "institutional_department_name";
    public const string StationName = "station_name";
    public const string Manufacturer = "manufacturer";
    public const string ManufacturerModelName = "manufacturer_model_name";
    public const string ProtocolName = "protocol_name";
    public const string PerformingPhysicianName = "performing_physician_name";
    public const string OperatorsName = "operators_name";
    public const string ScheduledProcedureStepIds = "scheduled_procedure_step_ids";
    public const string RequestedProcedureIds = "requested_procedure_ids";

    public const string SopClassUid = "sop_class_uid";
    public const string InstanceNumber = "instance_number";
    public const string ContentDate = "content_date";
    public const string ContentTime = "content_time";
    public const string AcquisitionDate = "acquisition_date";
    public const string AcquisitionTime = "acquisition_time";
    public const string NumberOfFrames = "number_of_frames";
    public const string Rows = "rows";
    public const string Columns = "columns";
    public const string BitsAllocated = "bits_allocated";
    public const string ImageType = "image_type";
    public const string ContentLabel = "content_label";
    public const string ContentDescription = "content_description";
    public const string CompletionFlag = "completion_flag";
    public const string VerificationFlag = "verification_flag";
    public const string ConceptNameCodeValue = "concept_name_code_value";
    public const string ConceptNameCodingSchemeDesignator = "concept_name_coding_scheme_designator";
}
