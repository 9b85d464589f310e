using Pacs.Dicom.IO;

namespace Pacs.Dicom.Tests.IO;

public class RoundTripTests
{
    public static IEnumerable<object[]> Files() => SampleCatalog.AllFiles();

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Read_write_read_gives_the_same_dataset_in_own_explicit_and_implicit_syntax(string name)
    {
        DicomFile original;
        try
        {
            original = await DicomFile.OpenAsync(TestData.Sample(name));
        }
        catch (DicomException) when (SampleCatalog.IsRejectedByDcmdump(name))
        {
            return;
        }

        var targets = new[]
        {
            (original.TransferSyntax, true, DicomSequenceLength.AsRead),
            (DicomTransferSyntax.ExplicitVRLittleEndian, true, DicomSequenceLength.AsRead),

            // Implicit VR loses the VR of private elements, and a defined-length private sequence would come back as UN.
            (DicomTransferSyntax.ImplicitVRLittleEndian, false, DicomSequenceLength.Undefined),
        };
        foreach (var (ts, compareVR, lengths) in targets)
        {
            using var stream = new MemoryStream();
            await original.SaveAsync(stream, new DicomWriteOptions { TransferSyntax = ts, SequenceLength = lengths });
            var reread = DicomFile.Open(stream.ToArray());
            Assert.Equal(ts.UidValue, reread.TransferSyntax.UidValue);
            DatasetComparer.AssertEqual(original.Dataset, reread.Dataset, compareVR && ts.IsExplicitVR == original.TransferSyntax.IsExplicitVR);
        }
    }

    [Fact]
    public async Task Files_written_by_DCMTK_are_written_back_byte_for_byte()
    {
        var directory = Directory.CreateTempSubdirectory("pacs-roundtrip-");
        var checkedFiles = new List<string>();
        try
        {
            foreach (var path in TestData.AllSampleFiles())
            {
                var name = Path.GetFileName(path);
                if (SampleCatalog.IsRejectedByDcmdump(name))
                {
                    continue;
                }

                // DCMTK's own output (same transfer syntax, explicit lengths, fresh meta) is canonical by construction.
                var canonical = Path.Combine(directory.FullName, name + ".dcm");
                var (code, _, _) = TestData.Run("dcmconv", path, canonical);
                if (code != 0 || !File.Exists(canonical))
                {
                    continue;
                }

                var expected = await File.ReadAllBytesAsync(canonical);
                var file = DicomFile.Open(expected);
                if (file.TransferSyntax.IsDeflated)
                {
                    continue;
                }

                var written = file.ToBytes();
                Assert.True(expected.AsSpan().SequenceEqual(written), $"{name}: DCMTK's rewrite is not written back byte for byte (first difference at {FirstDifference(expected, written)})");
                checkedFiles.Add(name);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        Assert.True(checkedFiles.Count >= 60, $"only {checkedFiles.Count} files checked");
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return n;
    }
}
