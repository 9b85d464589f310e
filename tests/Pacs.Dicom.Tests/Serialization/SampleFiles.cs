using Pacs.Dicom.IO;

namespace Pacs.Dicom.Tests.Serialization;

/// <summary>The sample files our Part 10 reader reads, as test data.</summary>
internal static class SampleFiles
{
    public static IEnumerable<object[]> Readable() =>
        TestData.AllSampleFiles().Where(CanRead).Select(f => new object[] { Path.GetFileName(f) });

    public static DicomFile Open(string name) => DicomFile.Open(TestData.Sample(name));

    private static bool CanRead(string path)
    {
        try
        {
            _ = DicomFile.Open(path);
            return true;
        }
        catch (DicomException)
        {
            return false;
        }
    }
}
