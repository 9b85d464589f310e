namespace Pacs.Dicom.Network.Tests.Support;

/// <summary>
/// Compares Part 10 files dataset for dataset with pydicom (an independent reader): every element outside group
/// 0002, ignoring group lengths and Data Set Trailing Padding (FFFC,FFFC), which PS3.10 7.2 lets a receiver drop;
/// byte-swapped OW values are compared in value order when the byte orders differ.
/// </summary>
public static class DatasetComparer
{
    private const string Script = """
import sys, pydicom
from pydicom.sequence import Sequence

def swap(b, size):
    return b''.join(b[i:i+size][::-1] for i in range(0, len(b), size))

def value(elem, be):
    v = elem.value
    if isinstance(v, (bytes, bytearray)) and be and elem.VR in ('OW', 'US or OW', 'OB or OW'):
        return swap(bytes(v), 2).rstrip(b'\x00')
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).rstrip(b'\x00')
    return v

def compare(a, b, bea, beb, path, out):
    ta = set(t for t in a.keys() if t.element != 0 and t.group != 2 and t != 0xFFFCFFFC)
    tb = set(t for t in b.keys() if t.element != 0 and t.group != 2 and t != 0xFFFCFFFC)
    for t in sorted(ta ^ tb):
        out.append(f"{path}{t}: present on one side only")
    for t in sorted(ta & tb):
        ea, eb = a[t], b[t]
        if ea.VR == 'SQ' or eb.VR == 'SQ':
            sa, sb = ea.value or [], eb.value or []
            if len(sa) != len(sb):
                out.append(f"{path}{t}: {len(sa)} vs {len(sb)} items")
                continue
            for i, (ia, ib) in enumerate(zip(sa, sb)):
                compare(ia, ib, bea, beb, f"{path}{t}[{i}].", out)
        elif value(ea, bea) != value(eb, beb):
            out.append(f"{path}{t}: values differ")

bad = 0
for line in sys.stdin:
    a, b = line.rstrip('\n').split('\t')
    try:
        da, db = pydicom.dcmread(a, force=True), pydicom.dcmread(b, force=True)
        da.walk(lambda ds, e: None); db.walk(lambda ds, e: None)
    except Exception as e:
        bad += 1
        print(f"DIFF {a} {b}: pydicom cannot read: {e!r}")
        continue
    bea = da.file_meta.TransferSyntaxUID == '1.2.840.10008.1.2.2'
    beb = db.file_meta.TransferSyntaxUID == '1.2.840.10008.1.2.2'
    out = []
    compare(da, db, bea, beb, '', out)
    if out:
        bad += 1
        print(f"DIFF {a} {b}: {'; '.join(out[:5])}")
print(f"COMPARED bad={bad}")
""";

    /// <summary>Returns pydicom's report; the last line is "COMPARED bad=N".</summary>
    public static async Task<string> CompareAsync(IEnumerable<(string Expected, string Actual)> pairs)
    {
        var scriptPath = Path.Combine(Path.GetTempPath(), "pacs-net-compare.py");
        await File.WriteAllTextAsync(scriptPath, Script);
        var listPath = Path.Combine(Path.GetTempPath(), $"pacs-net-pairs-{Guid.NewGuid():N}.tsv");
        await File.WriteAllLinesAsync(listPath, pairs.Select(p => $"{p.Expected}\t{p.Actual}"));
        try
        {
            var (_, output) = await ExternalProcess.RunAsync(TimeSpan.FromMinutes(3), "/bin/sh", "-c", $"/usr/bin/python3 '{scriptPath}' < '{listPath}'");
            return output;
        }
        finally
        {
            File.Delete(listPath);
        }
    }
}
