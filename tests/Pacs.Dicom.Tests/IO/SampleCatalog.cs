using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pacs.Dicom.Tests.IO;

/// <summary>The sample files and what the independent references (MANIFEST.md, pydicom) say about them.</summary>
internal static partial class SampleCatalog
{
    private static readonly Lazy<HashSet<string>> Rejected = new(ReadRejectedList);
    private static readonly Lazy<Dictionary<string, JsonElement>> Pydicom = new(RunPydicom);

    public static IEnumerable<object[]> AllFiles() =>
        TestData.AllSampleFiles().Select(f => new object[] { Path.GetFileName(f) });

    /// <summary>Files MANIFEST.md lists under "Files that dcmdump ... rejects".</summary>
    public static bool IsRejectedByDcmdump(string name) => Rejected.Value.Contains(name);

    /// <summary>pydicom's view of a file: top-level tags and a few values, or null when pydicom failed.</summary>
    public static JsonElement? PydicomView(string name) =>
        Pydicom.Value.TryGetValue(name, out var v) && !v.TryGetProperty("error", out _) ? v : null;

    /// <summary>The top-level tags dcmdump prints (lines starting at column 0), meta group excluded.</summary>
    public static HashSet<string> DcmdumpTopLevelTags(string name)
    {
        var (code, stdout, stderr) = TestData.Run("dcmdump", "-q", "+uc", TestData.Sample(name));
        Assert.True(code == 0, $"dcmdump failed on {name}: {stderr}");
        return [.. DcmdumpLine().Matches(stdout).Select(m => (m.Groups[1].Value + m.Groups[2].Value).ToUpperInvariant())
            .Where(t => !t.StartsWith("0002", StringComparison.Ordinal) && !t.StartsWith("FFFE", StringComparison.Ordinal))];
    }

    [GeneratedRegex(@"^\(([0-9a-fA-F]{4}),([0-9a-fA-F]{4})\)", RegexOptions.Multiline)]
    private static partial Regex DcmdumpLine();

    private static HashSet<string> ReadRejectedList()
    {
        var text = File.ReadAllText(Path.Combine(TestData.SamplesDirectory, "MANIFEST.md"));
        var start = text.IndexOf("## Files that dcmdump", StringComparison.Ordinal);
        var end = text.IndexOf("## Files dcmdump reads", start, StringComparison.Ordinal);
        var section = text[start..end];
        return [.. RejectedLine().Matches(section).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"^- `([^`]+)`", RegexOptions.Multiline)]
    private static partial Regex RejectedLine();

    private static Dictionary<string, JsonElement> RunPydicom()
    {
        const string script = """
import json, os, sys, warnings
warnings.simplefilter('ignore')
import pydicom
out = {}
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    if name.endswith('.md') or name.endswith('.txt'):
        continue
    try:
        ds = pydicom.dcmread(os.path.join(d, name), force=True)
        view = {'tags': ['%08X' % int(e.tag) for e in ds]}
        for kw in ('SOPInstanceUID', 'PatientID', 'Rows', 'Columns', 'StudyDate', 'Modality'):
            v = ds.data_element(kw) if kw in ds else None
            if v is not None and v.value is not None and str(v.value) != '':
                view[kw] = str(v.value)
        fm = getattr(ds, 'file_meta', None)
        if fm is not None and 'TransferSyntaxUID' in fm:
            view['ts'] = str(fm.TransferSyntaxUID)
        out[name] = view
    except Exception as ex:
        out[name] = {'error': str(ex)}
print(json.dumps(out))
""";
        var (code, stdout, stderr) = TestData.Run("/usr/bin/python3", "-c", script, TestData.SamplesDirectory);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
