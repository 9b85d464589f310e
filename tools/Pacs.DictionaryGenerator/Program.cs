using Pacs.DictionaryGenerator;

// Regenerates src/Pacs.Dicom/Dictionary/Generated from the standard's machine-readable files.
//   dotnet run --project tools/Pacs.DictionaryGenerator -- [--standard DIR] [--out DIR] [--check]
// --check writes nothing and exits 1 when the committed files differ from what would be generated.
var repoRoot = RepositoryPaths.FindRepositoryRoot(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();
var standardDir = RepositoryPaths.OptionValue(args, "--standard") ?? RepositoryPaths.FindSharedStandard(repoRoot);
var outDir = RepositoryPaths.OptionValue(args, "--out") ?? Path.Combine(repoRoot, "src", "Pacs.Dicom", "Dictionary", "Generated");
var check = args.Contains("--check");
var overlayPath = Path.Combine(repoRoot, "tools", "Pacs.DictionaryGenerator", "overlay", "transfer-syntaxes.tsv");

if (standardDir is null || !Directory.Exists(standardDir))
{
    Console.Error.WriteLine("Cannot find the dicom-standard folder; pass --standard DIR.");
    return 2;
}

var files = GeneratedFiles.Build(standardDir, overlayPath);
var changed = 0;
foreach (var (name, content) in files)
{
    var path = Path.Combine(outDir, name);
    var existing = File.Exists(path) ? File.ReadAllText(path) : null;
    if (existing == content)
    {
        continue;
    }

    changed++;
    if (check)
    {
        Console.Error.WriteLine($"{path} is stale: regenerate with tools/Pacs.DictionaryGenerator.");
    }
    else
    {
        Directory.CreateDirectory(outDir);
        File.WriteAllText(path, content);
        Console.WriteLine($"wrote {path}");
    }
}

Console.WriteLine($"{files.Count} files, {changed} {(check ? "stale" : "written")}.");
return check && changed > 0 ? 1 : 0;
