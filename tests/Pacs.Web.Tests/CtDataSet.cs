using System.Text.Json;

namespace Pacs.Web.Tests;

/// <summary>One series of a generated CT set: its UID, description and instances (files in instance order).</summary>
public sealed record CtSeries(string Uid, string Description, IReadOnlyList<string> SopInstanceUids, IReadOnlyList<string> Files);

/// <summary>One study of a generated CT set, as the generator's manifest describes it.</summary>
public sealed record CtStudy(string Uid, string PatientName, string PatientId, string StudyDate, string Accession, string Description, IReadOnlyList<CtSeries> Series)
{
    public IEnumerable<string> Files => Series.SelectMany(s => s.Files);
}

/// <summary>
/// Synthetic CT studies (512×512 int16, Explicit VR Little Endian, Vietnamese names in ISO_IR 192) written by
/// ../shared/bench/gen_ct.py with pydicom; its manifest is the expected values of the tests.
/// </summary>
public sealed class CtDataSet
{
    private CtDataSet(IReadOnlyList<CtStudy> studies) => Studies = studies;

    public IReadOnlyList<CtStudy> Studies { get; }

    public IEnumerable<string> Files => Studies.SelectMany(s => s.Files);

    public static CtDataSet Generate(string directory, int seed, string uidRoot, int studies = 2, int series = 2, int instances = 3)
    {
        var script = Path.Combine(TestData.SamplesDirectory, "..", "bench", "gen_ct.py");
        TestData.Run("/usr/bin/python3", [script, "--out", directory, "--studies", studies.ToString(), "--series", series.ToString(), "--instances", instances.ToString(),
            "--seed", seed.ToString(), "--uid-root", uidRoot, "--quiet"]);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")));
        var result = new List<CtStudy>();
        foreach (var study in manifest.RootElement.GetProperty("studies").EnumerateArray())
        {
            var seriesList = new List<CtSeries>();
            foreach (var s in study.GetProperty("series").EnumerateArray())
            {
                var dir = Path.Combine(directory, s.GetProperty("dir").GetString()!);
                var files = Directory.GetFiles(dir, "*.dcm").Order(StringComparer.Ordinal).ToList();
                seriesList.Add(new CtSeries(s.GetProperty("series_uid").GetString()!, s.GetProperty("description").GetString()!,
                    [.. s.GetProperty("sop_uids").EnumerateArray().Select(u => u.GetString()!)], files));
            }

            result.Add(new CtStudy(study.GetProperty("study_uid").GetString()!, study.GetProperty("patient_name").GetString()!, study.GetProperty("patient_id").GetString()!,
                study.GetProperty("study_date").GetString()!, study.GetProperty("accession").GetString()!, study.GetProperty("description").GetString()!, seriesList));
        }

        return new CtDataSet(result);
    }
}
