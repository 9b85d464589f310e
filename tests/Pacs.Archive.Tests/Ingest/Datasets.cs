using Pacs.Dicom;
using Pacs.Dicom.IO;

namespace Pacs.Archive.Tests.Ingest;

/// <summary>Datasets built with the toolkit, encoded as an SCP receives them: no meta, explicit VR little endian.</summary>
internal static class Datasets
{
    public static DicomDataset Synthetic(string study, string series, string sop, string patientName = "Test^Patient", string patientId = "P1", string modality = "OT")
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 192");
        ds.AddOrUpdate(DicomTag.SOPClassUID, DicomUid.SecondaryCaptureImageStorage.Value);
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, sop);
        ds.AddOrUpdate(DicomTag.StudyDate, "20240315");
        ds.AddOrUpdate(DicomTag.StudyTime, "101530");
        ds.AddOrUpdate(DicomTag.Modality, modality);
        ds.AddOrUpdate(DicomTag.PatientName, patientName);
        ds.AddOrUpdate(DicomTag.PatientID, patientId);
        ds.AddOrUpdate(DicomTag.StudyInstanceUID, study);
        ds.AddOrUpdate(DicomTag.SeriesInstanceUID, series);
        ds.AddOrUpdate(DicomTag.SeriesNumber, "1");
        ds.AddOrUpdate(DicomTag.InstanceNumber, "1");
        ds.AddOrUpdate(DicomTag.PixelData, DicomVR.OW, new byte[64]);
        return ds;
    }

    public static MemoryStream Encode(DicomDataset dataset) =>
        new(DicomDatasetWriter.ToBytes(dataset, DicomTransferSyntax.ExplicitVRLittleEndian), writable: false);

    /// <summary>
    /// The request a C-STORE SCP makes for <see cref="Pacs.Archive.Ingest.IngestPipeline.IngestStreamAsync"/>: the
    /// encoded dataset as a stream that cannot seek (as the network's), with the command's SOP Class and Instance UIDs.
    /// </summary>
    public static Pacs.Archive.Ingest.IngestRequest Streamed(DicomDataset dataset, string? sourceAeTitle, string? affectedSopInstanceUid = null) =>
        new(new ForwardOnlyStream(Encode(dataset)), DicomTransferSyntax.ExplicitVRLittleEndian, sourceAeTitle)
        {
            AffectedSopClassUid = dataset.GetString(DicomTag.SOPClassUID),
            AffectedSopInstanceUid = affectedSopInstanceUid ?? dataset.GetString(DicomTag.SOPInstanceUID),
        };

    /// <summary>CT_small with new Study/Series/SOP Instance UIDs (the pixel data is the sample's).</summary>
    public static DicomDataset CtWithUids(DicomDataset template, string study, string series, string sop)
    {
        var ds = template.Clone();
        ds.AddOrUpdate(DicomTag.StudyInstanceUID, study);
        ds.AddOrUpdate(DicomTag.SeriesInstanceUID, series);
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, sop);
        return ds;
    }
}
