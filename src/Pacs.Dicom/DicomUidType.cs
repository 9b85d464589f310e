namespace Pacs.Dicom;

/// <summary>The "UID Type" column of PS3.6 Table A-1.</summary>
public enum DicomUidType
{
    Other = 0,
    TransferSyntax,
    SOPClass,
    MetaSOPClass,
    WellKnownSOPInstance,
    ServiceClass,
    ApplicationContextName,
    ApplicationHostingModel,
    CodingScheme,
    ContextGroupName,
    LdapOid,
    MappingResource,
    SynchronizationFrameOfReference,
}
