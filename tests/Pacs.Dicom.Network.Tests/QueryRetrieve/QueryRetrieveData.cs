using Pacs.Dicom.Network.Tests.Support;

namespace Pacs.Dicom.Network.Tests.QueryRetrieve;

/// <summary>The sample archive and pydicom's view of the same samples, loaded once per test class.</summary>
public sealed class QueryRetrieveData : IAsyncLifetime
{
    public SampleArchive Archive { get; private set; } = null!;

    public IReadOnlyList<IndexedSample> Index { get; private set; } = [];

    /// <summary>The study of pyd_CT_small.dcm (CT, its presentation state, two parametric maps): four instances.</summary>
    public IndexedSample CtSmall => Index.Single(s => Path.GetFileName(s.Path) == "pyd_CT_small.dcm");

    public IReadOnlyList<IndexedSample> CtStudy => [.. Index.Where(s => s.StudyInstanceUid == CtSmall.StudyInstanceUid)];

    /// <summary>The CT study without its two parametric maps, whose SOP class DCMTK 3.6.7's storescu, getscu and dcmqrscp do not know.</summary>
    public IReadOnlyList<IndexedSample> CtStudyCommonClasses => [.. CtStudy.Where(s => !s.Path.Contains("parametric_map", StringComparison.Ordinal))];

    public async Task InitializeAsync()
    {
        Index = await PydicomIndex.LoadAsync();

        // Only what pydicom reads too: the expectations come from its view of the samples.
        var indexed = Index.Select(s => s.Path).ToHashSet(StringComparer.Ordinal);
        Archive = new SampleArchive([.. (await SampleArchive.LoadAsync()).Instances.Where(i => indexed.Contains(i.Path))]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Pairs each original with the received file named after (or ending with) its SOP Instance UID.</summary>
    public static List<(string Expected, string Actual)> PairByUid(IEnumerable<IndexedSample> expected, IReadOnlyList<string> receivedFiles)
    {
        var pairs = new List<(string, string)>();
        foreach (var sample in expected)
        {
            var match = receivedFiles.Where(f => Path.GetFileName(f).Contains(sample.SopInstanceUid, StringComparison.Ordinal)).ToList();
            Assert.True(match.Count == 1, $"{sample.SopInstanceUid}: {match.Count} received files, of {string.Join(", ", receivedFiles.Select(Path.GetFileName))}");
            pairs.Add((sample.Path, match[0]));
        }

        return pairs;
    }
}
