using Pacs.Dicom;
using Pacs.Dicom.IO;

namespace Pacs.Archive.Ingest;

/// <summary>The start of a stored object: 128-byte preamble, "DICM" and a regenerated File Meta Information (PS3.10 7.1).</summary>
internal static class StoredFileHeader
{
    public static byte[] Build(string? sopClassUid, string? sopInstanceUid, DicomTransferSyntax ts, string? sourceAeTitle)
    {
        var meta = new DicomDataset();
        meta.AddOrUpdate(DicomTag.FileMetaInformationGroupLength, DicomVR.UL, 0u);
        meta.AddOrUpdate(DicomTag.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        if (sopClassUid is not null)
        {
            meta.AddOrUpdate(DicomTag.MediaStorageSOPClassUID, DicomVR.UI, sopClassUid);
        }

        if (sopInstanceUid is not null)
        {
            meta.AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        }

        meta.AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, ts.UidValue);
        meta.AddOrUpdate(DicomTag.ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid);
        meta.AddOrUpdate(DicomTag.ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);
        if (!string.IsNullOrWhiteSpace(sourceAeTitle))
        {
            meta.AddOrUpdate(DicomTag.SourceApplicationEntityTitle, DicomVR.AE, sourceAeTitle.Trim());
        }

        var encoded = DicomDatasetWriter.ToBytes(meta, DicomTransferSyntax.ExplicitVRLittleEndian);
        var header = new byte[132 + encoded.Length];
        "DICM"u8.CopyTo(header.AsSpan(128));
        encoded.CopyTo(header, 132);
        return header;
    }
}
