namespace Pacs.Dicom.Network.Tests.Support;

/// <summary>One sample as pydicom (an independent reader) sees it: the expectations of query/retrieve tests come from here.</summary>
public sealed record IndexedSample(string Path, string TransferSyntax, string SopInstanceUid, string StudyInstanceUid, string SeriesInstanceUid, string PatientId, string Modality);

public static class PydicomIndex
{
    private const string Script = """
import sys, glob, os, pydicom, warnings
warnings.simplefilter('ignore')
for f in sorted(glob.glob(os.path.join(sys.argv[1], '*'))):
    try:
        d = pydicom.dcmread(f, stop_before_pixels=True)
        ts = d.file_meta.TransferSyntaxUID
    except Exception:
        continue
    vals = [str(d.get(k, '') or '') for k in ('SOPInstanceUID', 'StudyInstanceUID', 'SeriesInstanceUID', 'PatientID', 'Modality')]
    print('\t'.join([f, str(ts)] + vals))
""";

    /// <summary>Part 10 samples with Patient ID, study and series whose SOP Instance UID is unique among the samples.</summary>
    public static async Task<IReadOnlyList<IndexedSample>> LoadAsync()
    {
        var scriptPath = Path.Combine(Path.GetTempPath(), $"pacs-net-index-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(scriptPath, Script);
        try
        {
            var (code, output) = await ExternalProcess.RunAsync(TimeSpan.FromMinutes(2), "/usr/bin/python3", scriptPath, TestData.SamplesDirectory);
            Assert.True(code == 0, output);
            var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Where(c => c.Length == 7)
                .Select(c => new IndexedSample(c[0], c[1], c[2], c[3], c[4], c[5], c[6])).ToList();
            return [.. rows.Where(r => r.StudyInstanceUid.Length > 0 && r.SeriesInstanceUid.Length > 0 && r.PatientId.Length > 0)
                .GroupBy(r => r.SopInstanceUid).Where(g => g.Count() == 1 && rows.Count(r => r.SopInstanceUid == g.Key) == 1).Select(g => g.Single())];
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }
}
