using System.Text.Json;

namespace Pacs.Cli.Tests;

public sealed class FileCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("pacs-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Help_lists_the_file_commands()
    {
        var (code, stdout, _) = CliRunner.Pacs("--help");
        Assert.Equal(0, code);
        Assert.Contains("dump", stdout, StringComparison.Ordinal);
        Assert.Contains("json", stdout, StringComparison.Ordinal);
        Assert.Contains("roundtrip", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        var (code, _, stderr) = CliRunner.Pacs("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("unknown command", stderr, StringComparison.Ordinal);
    }

    /// <summary>Our listing names the same elements with the same values as dcmdump's for the classic CT file.</summary>
    [Fact]
    public void Dump_lists_the_elements_dcmdump_lists()
    {
        var file = CliRunner.Sample("pyd_CT_small.dcm");
        var (code, ours, _) = CliRunner.Pacs("dump", file);
        var (dcmCode, theirs, _) = CliRunner.Run("dcmdump", "-q", file);
        Assert.Equal(0, code);
        Assert.Equal(0, dcmCode);

        var ourLines = ours.Split('\n').Where(l => l.StartsWith('(')).ToArray();
        var theirLines = theirs.Split('\n').Where(l => l.StartsWith('(')).ToArray();
        Assert.Equal(theirLines.Select(l => l[..11]), ourLines.Select(l => l[..11]));
        Assert.Contains(ourLines, l => l.StartsWith("(0010,0010) PN [CompressedSamples^CT1]", StringComparison.Ordinal));
        Assert.Contains(ourLines, l => l.StartsWith("(0028,0010) US 128", StringComparison.Ordinal) && l.EndsWith("Rows", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_writes_one_file_per_input_and_reports_unreadable_ones_without_stopping()
    {
        var good = CliRunner.Sample("pyd_MR_small.dcm");
        var bad = Path.Combine(_temp, "not-dicom.dcm");
        File.WriteAllText(bad, "this is not a DICOM file at all, just some text that goes on for a while......................................................................................................");
        var alsoGood = CliRunner.Sample("pyd_chrH31.dcm");

        var (code, _, stderr) = CliRunner.Pacs("json", "--out", _temp, good, bad, alsoGood);

        Assert.Equal(1, code);
        var errorLines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(errorLines);
        Assert.StartsWith(bad + ": ", errorLines[0], StringComparison.Ordinal);
        foreach (var path in new[] { good, alsoGood })
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp, Path.GetFileName(path) + ".json")));
            Assert.Equal("UI", doc.RootElement.GetProperty("00080018").GetProperty("vr").GetString());
        }

        using var mr = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp, "pyd_MR_small.dcm.json")));
        var (_, dcm2json, _) = CliRunner.Run("dcm2json", good);
        using var reference = JsonDocument.Parse(dcm2json);
        Assert.Equal(
            reference.RootElement.GetProperty("00100010").GetProperty("Value")[0].GetProperty("Alphabetic").GetString(),
            mr.RootElement.GetProperty("00100010").GetProperty("Value")[0].GetProperty("Alphabetic").GetString());
        Assert.Equal(
            reference.RootElement.GetProperty("00280010").GetProperty("Value")[0].GetInt32(),
            mr.RootElement.GetProperty("00280010").GetProperty("Value")[0].GetInt32());
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2")]
    [InlineData("1.2.840.10008.1.2.2")]
    [InlineData("1.2.840.10008.1.2.1.99")]
    public void Roundtrip_into_another_transfer_syntax_gives_a_file_dcmtk_reads_with_the_same_values(string ts)
    {
        var input = CliRunner.Sample("pyd_CT_small.dcm");
        var output = Path.Combine(_temp, "out.dcm");
        var (code, _, stderr) = CliRunner.Pacs("roundtrip", input, output, "--transfer-syntax", ts);
        Assert.True(code == 0, stderr);

        var (c1, before, _) = CliRunner.Run("dcmdump", "-q", "+P", "PatientName", "+P", "ImagePositionPatient", "+P", "Rows", input);
        var (c2, after, _) = CliRunner.Run("dcmdump", "-q", "+P", "PatientName", "+P", "ImagePositionPatient", "+P", "Rows", output);
        Assert.Equal(0, c1);
        Assert.Equal(0, c2);
        Assert.Equal(before, after);

        var (c3, meta, _) = CliRunner.Run("dcmdump", "-q", "-M", "-Un", "+P", "TransferSyntaxUID", output);
        Assert.Equal(0, c3);
        Assert.Contains(ts + "]", meta, StringComparison.Ordinal);

        // Pixel values as pydicom decodes them (byte order resolved), so a big endian copy compares equal too.
        const string Script = "import sys, hashlib, pydicom; print(hashlib.sha256(pydicom.dcmread(sys.argv[1]).pixel_array.astype('<i4').tobytes()).hexdigest())";
        var (p1, hashIn, e1) = CliRunner.Run("/usr/bin/python3", "-c", Script, input);
        var (p2, hashOut, e2) = CliRunner.Run("/usr/bin/python3", "-c", Script, output);
        Assert.True(p1 == 0 && p2 == 0, e1 + e2);
        Assert.Equal(hashIn, hashOut);
    }

    [Fact]
    public void Roundtrip_rejects_an_unknown_transfer_syntax()
    {
        var (code, _, stderr) = CliRunner.Pacs("roundtrip", CliRunner.Sample("pyd_CT_small.dcm"), Path.Combine(_temp, "x.dcm"), "--transfer-syntax", "1.2.3");
        Assert.Equal(2, code);
        Assert.Contains("unknown transfer syntax", stderr, StringComparison.Ordinal);
    }
}
