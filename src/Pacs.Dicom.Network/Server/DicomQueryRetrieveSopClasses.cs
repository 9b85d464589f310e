namespace Pacs.Dicom.Network.Server;

/// <summary>The Query/Retrieve and Worklist SOP classes handlers offer by default (PS3.4 Annex C and K).</summary>
public static class DicomQueryRetrieveSopClasses
{
    public static IReadOnlyList<string> Find { get; } =
        [DicomUid.PatientRootQueryRetrieveInformationModelFind.Value, DicomUid.StudyRootQueryRetrieveInformationModelFind.Value];

    public static IReadOnlyList<string> Move { get; } =
        [DicomUid.PatientRootQueryRetrieveInformationModelMove.Value, DicomUid.StudyRootQueryRetrieveInformationModelMove.Value];

    public static IReadOnlyList<string> Get { get; } =
        [DicomUid.PatientRootQueryRetrieveInformationModelGet.Value, DicomUid.StudyRootQueryRetrieveInformationModelGet.Value];

    /// <summary>Modality Worklist Information Model – FIND, for find handlers that serve a worklist.</summary>
    public static string ModalityWorklistFind { get; } = DicomUid.ModalityWorklistInformationModelFind.Value;
}
