using Pacs.Dicom;
using Pacs.Dicom.IO;

namespace Pacs.Web.Tests;

/// <summary>What the tests need to know about a sample, read with our reader (itself tested against DCMTK and pydicom).</summary>
public sealed record SampleInfo(string Name, byte[] Bytes, DicomFile File, long DatasetOffset)
{
    public string Study => File.Dataset.GetString(DicomTag.StudyInstanceUID);

    public string Series => File.Dataset.GetString(DicomTag.SeriesInstanceUID);

    public string Instance => File.Dataset.GetString(DicomTag.SOPInstanceUID);

    public string InstancePath => $"/dicomweb/studies/{Study}/series/{Series}/instances/{Instance}";

    /// <summary>The encoded dataset after the File Meta Information, as stored and retrieved unchanged.</summary>
    public ReadOnlySpan<byte> DatasetBytes => Bytes.AsSpan((int)DatasetOffset);
}

/// <summary>The samples of ../shared/dicom-samples that an archive must accept.</summary>
public static class Samples
{
    public static SampleInfo? TryLoad(string name)
    {
        var bytes = System.IO.File.ReadAllBytes(TestData.Sample(name));
        try
        {
            var file = DicomFile.Open(bytes);
            using var stream = new MemoryStream(bytes);
            var (offset, _) = Pacs.Archive.Ingest.Part10Layout.ReadAsync(stream).GetAwaiter().GetResult();
            return file.Dataset.TryGetString(DicomTag.StudyInstanceUID, out var s) && DicomUid.IsValid(s)
                && file.Dataset.TryGetString(DicomTag.SeriesInstanceUID, out var se) && DicomUid.IsValid(se)
                && file.Dataset.TryGetString(DicomTag.SOPInstanceUID, out var i) && DicomUid.IsValid(i)
                && file.Dataset.TryGetString(DicomTag.SOPClassUID, out var c) && DicomUid.IsValid(c)
                ? new SampleInfo(name, bytes, file, offset) : null;
        }
        catch (DicomException)
        {
            return null;
        }
    }

    /// <summary>Part 10 samples with the four UIDs an archive needs, valid: every one of them must be stored.</summary>
    public static IEnumerable<SampleInfo> Archivable() =>
        TestData.AllSampleFiles().Select(f => TryLoad(Path.GetFileName(f))).OfType<SampleInfo>();
}
