using System.Globalization;
using System.Text.Json;

namespace Pacs.Dicom.Tests.Text;

/// <summary>
/// pydicom (Debian's python3-pydicom) and Python's own codecs as the independent reference: raw bytes
/// and decoded strings of the text elements of the sample files, decoding of bytes we encode, and the
/// code tables of the two-byte sets.
/// </summary>
internal static class PydicomReference
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys, json, codecs
        import pydicom
        from pydicom import charset

        TEXT_VRS = ('SH', 'LO', 'ST', 'LT', 'UC', 'UT', 'PN')

        def terms_of(value):
            if value is None:
                return []
            if isinstance(value, bytes):
                value = value.decode('ascii')
            if isinstance(value, str):
                return value.split('\\')
            return list(value)

        def walk(raw_ds, decoded_ds, terms, path, out):
            for tag in list(raw_ds.keys()):
                if tag.group == 2:
                    continue
                raw = raw_ds.get_item(tag)
                if raw.VR == 'SQ':
                    raw_items = raw_ds[tag].value
                    dec_items = decoded_ds[tag].value
                    for n, (ri, di) in enumerate(zip(raw_items, dec_items)):
                        item_terms = terms
                        if 0x00080005 in ri:
                            item_terms = terms_of(ri.get_item(0x00080005).value)
                        walk(ri, di, item_terms, path + ['%08x' % tag, str(n)], out)
                elif raw.VR in TEXT_VRS and isinstance(raw.value, bytes):
                    value = decoded_ds[tag].value
                    if isinstance(value, (list, pydicom.multival.MultiValue)):
                        text = '\\'.join(str(v) for v in value)
                    else:
                        text = '' if value is None else str(value)
                    out.append({'path': '/'.join(path + ['%08x' % tag]), 'vr': raw.VR, 'terms': terms,
                                'raw': raw.value.hex(), 'text': text})

        def samples(files):
            result = {}
            for f in files:
                raw_ds = pydicom.dcmread(f)
                terms = terms_of(raw_ds.get_item(0x00080005).value) if 0x00080005 in raw_ds else []
                decoded_ds = pydicom.dcmread(f)
                decoded_ds.decode()
                out = []
                walk(raw_ds, decoded_ds, terms, [], out)
                result[f] = out
            return result

        def decode(cases):
            out = []
            for case in cases:
                terms, kind, hexvalue = case.split('|')
                delimiters = {0x5c, 0x0d, 0x0a, 0x09, 0x0c}
                if kind == 'PersonName':
                    delimiters |= {0x5e, 0x3d}
                out.append(charset.decode_bytes(bytes.fromhex(hexvalue), charset.convert_encodings(terms.split('\\')), delimiters))
            return out

        def table(name):
            out = []
            for row in range(0x21, 0x7f):
                for cell in range(0x21, 0x7f):
                    if name == 'ISO 2022 IR 87':
                        data, codec = b'\x1b$B' + bytes([row, cell]) + b'\x1b(B', 'iso2022_jp'
                    elif name == 'ISO 2022 IR 159':
                        data, codec = b'\x1b$(D' + bytes([row, cell]) + b'\x1b(B', 'iso2022_jp_2'
                    elif name == 'ISO 2022 IR 149':
                        data, codec = bytes([row | 0x80, cell | 0x80]), 'euc_kr'
                    else:
                        data, codec = bytes([row | 0x80, cell | 0x80]), 'gb2312'
                    try:
                        out.append(data.decode(codec))
                    except UnicodeDecodeError:
                        out.append(None)
            return out

        mode = sys.argv[1]
        if mode == 'samples':
            print(json.dumps(samples(sys.argv[2:])))
        elif mode == 'decode':
            print(json.dumps(decode(sys.argv[2:])))
        else:
            print(json.dumps(table(sys.argv[2])))
        """;

    /// <summary>Every PN/SH/LO/ST/LT/UC/UT element of the files, with raw bytes and pydicom's decoding.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<SampleElement>> Samples(IEnumerable<string> files)
    {
        using var json = RunJson(["samples", .. files]);
        var result = new Dictionary<string, IReadOnlyList<SampleElement>>();
        foreach (var file in json.RootElement.EnumerateObject())
        {
            result[file.Name] = file.Value.EnumerateArray().Select(e => new SampleElement(
                e.GetProperty("path").GetString()!,
                e.GetProperty("vr").GetString()!,
                e.GetProperty("terms").EnumerateArray().Select(t => t.GetString()!).ToArray(),
                Convert.FromHexString(e.GetProperty("raw").GetString()!),
                e.GetProperty("text").GetString()!)).ToArray();
        }

        return result;
    }

    /// <summary>How pydicom decodes each value under the given Specific Character Set.</summary>
    public static IReadOnlyList<string> Decode(IEnumerable<(string Terms, string Kind, byte[] Value)> cases)
    {
        var args = cases.Select(c => $"{c.Terms}|{c.Kind}|{Convert.ToHexString(c.Value)}");
        using var json = RunJson(["decode", .. args]);
        return json.RootElement.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    /// <summary>
    /// Python's decoding of every 94×94 code (rows and cells 0x21–0x7E, row-major) of a two-byte set;
    /// null where Python has no character.
    /// </summary>
    public static IReadOnlyList<string?> CodeTable(string term)
    {
        using var json = RunJson(["table", term]);
        return json.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : e.GetString()).ToArray();
    }

    private static JsonDocument RunJson(string[] args)
    {
        var (exitCode, stdout, stderr) = TestData.Run(Python, ["-c", Script, .. args]);
        Assert.True(exitCode == 0, string.Create(CultureInfo.InvariantCulture, $"python3 exited with {exitCode}: {stderr}"));
        return JsonDocument.Parse(stdout);
    }
}

/// <summary>One text element of a sample file as pydicom sees it.</summary>
internal sealed record SampleElement(string Path, string VR, IReadOnlyList<string> Terms, byte[] Raw, string Text);
