using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pacs.Dicom.Tests.Serialization;

/// <summary>
/// The independent references for DICOM JSON: DCMTK's dcm2json (3.6.7) per file, pydicom's Dataset.to_json() for all
/// files in one Python run. Both are computed once per test run.
/// </summary>
internal static partial class JsonReferences
{
    private static readonly ConcurrentDictionary<string, Dcm2JsonResult> Dcmtk = new();
    private static readonly Lazy<Dictionary<string, string?>> Pydicom = new(RunPydicom);

    /// <summary>
    /// dcm2json's output in compact form. DCMTK 3.6.7 stops at encapsulated Pixel Data ("InlineBinary encoding not
    /// supported for compressed pixel data", exit code 81) leaving a dangling comma before the closing brace; that one
    /// pattern is repaired so the attributes it did write can be compared. Its output is read as UTF-8 with invalid
    /// bytes replaced (it copies non-ASCII bytes of CS values unconverted).
    /// </summary>
    public static Dcm2JsonResult Dcm2Json(string path) => Dcmtk.GetOrAdd(path, static p =>
    {
        var (code, stdout, stderr) = TestData.Run("dcm2json", "-fc", p);
        var stoppedAtPixelData = code != 0 && stderr.Contains("compressed pixel data", StringComparison.Ordinal);
        if (stoppedAtPixelData)
        {
            stdout = DanglingComma().Replace(stdout, "}");
        }

        if ((code != 0 && !stoppedAtPixelData) || stdout.Length == 0)
        {
            return new Dcm2JsonResult(null, false, stderr);
        }

        return new Dcm2JsonResult(JsonDocument.Parse(stdout).RootElement.Clone(), stoppedAtPixelData, stderr);
    });

    /// <summary>pydicom's to_json() of a sample (read with force=True), or null when pydicom failed.</summary>
    public static JsonElement? PydicomJson(string path)
    {
        var name = Path.GetFileName(path);
        return Pydicom.Value.TryGetValue(name, out var json) && json is not null ? JsonDocument.Parse(json).RootElement.Clone() : null;
    }

    /// <summary>The terms of the top-level Specific Character Set as dcmdump prints them (empty first term kept), or null when absent; +p prefixes nested ones with their path.</summary>
    public static string[]? DcmdumpSpecificCharacterSet(string path)
    {
        var (code, stdout, stderr) = TestData.Run("dcmdump", "-q", "+p", "+P", "0008,0005", path);
        Assert.True(code == 0, $"dcmdump failed on {path}: {stderr}");
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("(0008,0005)", StringComparison.Ordinal));
        if (line is null || !line.Contains('[', StringComparison.Ordinal))
        {
            return null;
        }

        var value = line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.LastIndexOf(']')];
        return [.. value.Split('\\').Select(t => t.Trim(' '))];
    }

    /// <summary>Runs any JSON-producing Python snippet on a file (pydicom for hand-made files).</summary>
    public static JsonElement PydicomJsonOf(string path)
    {
        var (code, stdout, stderr) = TestData.Run("/usr/bin/python3", "-c",
            "import sys, warnings; warnings.simplefilter('ignore'); import pydicom; print(pydicom.dcmread(sys.argv[1], force=True).to_json())", path);
        Assert.True(code == 0, $"pydicom failed on {path}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static Dictionary<string, string?> RunPydicom()
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
        out[name] = pydicom.dcmread(os.path.join(d, name), force=True).to_json()
    except Exception as e:
        out[name] = None
print(json.dumps(out))
""";
        var (code, stdout, stderr) = TestData.Run("/usr/bin/python3", "-c", script, TestData.SamplesDirectory);
        Assert.True(code == 0, $"pydicom run failed: {stderr}");
        return JsonSerializer.Deserialize<Dictionary<string, string?>>(stdout)!;
    }

    [GeneratedRegex(@",\s*}\s*$")]
    private static partial Regex DanglingComma();
}

/// <summary>dcm2json's JSON (null when it failed) and whether it stopped at encapsulated Pixel Data.</summary>
internal sealed record Dcm2JsonResult(JsonElement? Json, bool StoppedAtPixelData, string StdErr);
