using System.Net.Http.Headers;
using System.Text.Json;

namespace Pacs.ViewerTests;

/// <summary>One study the tests open: its UID, its patient and its series (UID, description, instance count).</summary>
public sealed record TestStudy(string StudyInstanceUID, string PatientName, IReadOnlyList<TestSeries> Series);

public sealed record TestSeries(string SeriesInstanceUID, string Description, int Instances);

/// <summary>
/// The data the tests read, made by real tools and stored over HTTP (STOW-RS) like a modality gateway would:
/// a CT series from ../shared/bench/gen_ct.py, two more studies with Vietnamese names (ISO_IR 192), and one study
/// whose original series has four compressed copies made with DCMTK and GDCM (JPEG lossless SV1, JPEG-LS, RLE,
/// JPEG 2000), each its own series.
/// </summary>
public static class ViewerTestData
{
    public const int CtSlices = 24;
    public const int CompressedSlices = 6;

    /// <summary>The compressed copies: description, then the program and arguments that write OUT from IN.</summary>
    public static readonly (string Description, string TransferSyntaxUID, Func<string, string, (string Tool, string[] Args)> Encode)[] Codecs =
    [
        ("JPEG lossless SV1", "1.2.840.10008.1.2.4.70", (i, o) => ("dcmcjpeg", ["+e1", i, o])),
        ("JPEG-LS lossless", "1.2.840.10008.1.2.4.80", (i, o) => ("dcmcjpls", [i, o])),
        ("RLE lossless", "1.2.840.10008.1.2.5", (i, o) => ("dcmcrle", [i, o])),
        ("JPEG 2000 lossless", "1.2.840.10008.1.2.4.90", (i, o) => ("gdcmconv", ["--j2k", i, o])),
    ];

    /// <summary>gen_ct.py studies under <paramref name="directory"/>; patient-offset picks the name from its list.</summary>
    public static IReadOnlyList<TestStudy> Generate(string directory, int studies, int instances, int seed, int patientOffset)
    {
        TestEnvironment.Run("/usr/bin/python3", [Path.Combine(TestEnvironment.SharedDirectory, "bench", "gen_ct.py"), "--out", directory,
            "--studies", studies.ToString(), "--series", "1", "--instances", instances.ToString(), "--seed", seed.ToString(),
            "--uid-root", $"1.2.826.0.1.3680043.10.{seed}", "--patient-offset", patientOffset.ToString(), "--quiet"]);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")));
        return [.. manifest.RootElement.GetProperty("studies").EnumerateArray().Select(s => new TestStudy(
            s.GetProperty("study_uid").GetString()!,
            s.GetProperty("patient_name").GetString()!,
            [.. s.GetProperty("series").EnumerateArray().Select(se => new TestSeries(se.GetProperty("series_uid").GetString()!, se.GetProperty("description").GetString()!, instances))]))];
    }

    /// <summary>
    /// Copies each file of <paramref name="source"/> into a new series of the same study (new Series and SOP Instance
    /// UIDs, series number 2…) and encodes it with each codec; returns the study with its original and new series.
    /// </summary>
    public static TestStudy AddCompressedSeries(TestStudy study, string source, string directory)
    {
        var files = Directory.EnumerateFiles(source, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var series = new List<TestSeries>(study.Series);
        for (var c = 0; c < Codecs.Length; c++)
        {
            var (description, _, encode) = Codecs[c];
            var seriesUid = $"{study.StudyInstanceUID}.9{c + 1}";
            var target = Path.Combine(directory, $"codec{c + 1}");
            Directory.CreateDirectory(target);
            for (var i = 0; i < files.Count; i++)
            {
                var copy = Path.Combine(target, $"raw{i + 1:D3}.dcm");
                File.Copy(files[i], copy);
                TestEnvironment.Run("dcmodify", ["-nb", "-m", $"SeriesInstanceUID={seriesUid}", "-m", $"SOPInstanceUID={seriesUid}.{i + 1}",
                    "-m", $"SeriesNumber={c + 2}", "-m", $"SeriesDescription={description}", copy]);
                var (tool, args) = encode(copy, Path.Combine(target, $"IM{i + 1:D3}.dcm"));
                TestEnvironment.Run(tool, args);
                File.Delete(copy);
            }

            series.Add(new TestSeries(seriesUid, description, files.Count));
        }

        return study with { Series = series };
    }

    /// <summary>STOW-RS of every .dcm under <paramref name="directory"/> in one multipart/related request; asserts 200.</summary>
    public static async Task StowAsync(HttpClient http, string directory)
    {
        var boundary = "pacs-viewer-tests-" + Guid.NewGuid().ToString("N");
        using var body = new MultipartContent("related", boundary);
        body.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        foreach (var file in Directory.EnumerateFiles(directory, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var part = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
            body.Add(part);
        }

        using var response = await http.PostAsync("/dicomweb/studies", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"STOW-RS of {directory} answered {(int)response.StatusCode}: {text}");
    }
}
