namespace Pacs.Archive.Query;

/// <summary>The information model of a query (PS3.4 C.6): Patient Root has a Patient level; Study Root folds patient attributes into the study.</summary>
public enum QueryRoot
{
    PatientRoot,
    StudyRoot,
}
