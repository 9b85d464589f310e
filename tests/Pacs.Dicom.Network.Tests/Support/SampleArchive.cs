using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Pacs.Dicom.IO;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Server;

namespace Pacs.Dicom.Network.Tests.Support;

/// <summary>One sample file as the test archive knows it: its attributes (no pixel data) and where its dataset starts.</summary>
public sealed record SampleInstance(string Path, long DataSetOffset, string SopClassUid, string SopInstanceUid, DicomTransferSyntax TransferSyntax, DicomDataset Attributes);

/// <summary>
/// A query/retrieve SCP back end over the samples, for tests: hierarchical C-FIND matching (single value, wildcard,
/// UID list, date range), and C-MOVE/C-GET of the matching instances straight from the sample files.
/// </summary>
public sealed class SampleArchive : IDicomFindHandler, IDicomMoveHandler, IDicomGetHandler
{
    private static readonly DicomTag[] LevelKeys = [DicomTag.PatientID, DicomTag.StudyInstanceUID, DicomTag.SeriesInstanceUID, DicomTag.SOPInstanceUID];

    public SampleArchive(IReadOnlyList<SampleInstance> instances) => Instances = instances;

    public IReadOnlyList<SampleInstance> Instances { get; }

    /// <summary>Delay before each match, to keep a C-FIND running long enough to cancel it.</summary>
    public TimeSpan DelayPerMatch { get; init; }

    /// <summary>Repeats every match this many times (a long C-FIND for cancel tests).</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>True once a running C-FIND saw its token cancelled.</summary>
    public bool SawCancellation { get; private set; }

    IReadOnlyCollection<string> IDicomFindHandler.SopClasses => [.. DicomQueryRetrieveSopClasses.Find, DicomQueryRetrieveSopClasses.ModalityWorklistFind];

    /// <summary>
    /// Every Part 10 sample with Patient ID, study, series and a SOP Instance UID no other sample shares;
    /// <paramref name="transferSyntaxes"/> restricts them to those syntaxes.
    /// </summary>
    public static async Task<SampleArchive> LoadAsync(params string[] transferSyntaxes)
    {
        var all = new List<SampleInstance>();
        var uids = new List<string>();
        foreach (var path in TestData.Part10Samples())
        {
            try
            {
                Part10Header header;
                await using (var stream = File.OpenRead(path))
                {
                    header = await Part10Header.ReadAsync(stream);
                }

                uids.Add(header.SopInstanceUid);

                var file = DicomFile.Open(path, new DicomReadOptions { StopBeforePixelData = true });
                var ds = file.Dataset;
                if (ds.GetStringOrDefault(DicomTag.StudyInstanceUID) is not { Length: > 0 } || ds.GetStringOrDefault(DicomTag.SeriesInstanceUID) is not { Length: > 0 }
                    || ds.GetStringOrDefault(DicomTag.PatientID) is not { Length: > 0 } || (transferSyntaxes.Length > 0 && !transferSyntaxes.Contains(header.TransferSyntaxUid)))
                {
                    continue;
                }

                all.Add(new SampleInstance(path, header.DataSetOffset, header.SopClassUid, header.SopInstanceUid, DicomTransferSyntax.Parse(header.TransferSyntaxUid), ds));
            }
            catch (DicomException)
            {
                // Samples our reader refuses are not part of the archive.
            }
        }

        return new SampleArchive([.. all.Where(i => uids.Count(u => u == i.SopInstanceUid) == 1)]);
    }

    public async IAsyncEnumerable<DicomDataset> OnFindAsync(DicomFindRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keys = request.Identifier;
        var level = keys.GetStringOrDefault(DicomTag.QueryRetrieveLevel) ?? string.Empty;
        var levelIndex = Array.IndexOf(["PATIENT", "STUDY", "SERIES", "IMAGE"], level);
        if (levelIndex < 0)
        {
            throw new DicomServiceException(Pacs.Dicom.Network.Dimse.DicomStatus.DataSetDoesNotMatchSopClass, "Bad Query/Retrieve Level");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < Repeat; r++)
        {
            seen.Clear();
            foreach (var instance in Matches(keys))
            {
                if (!seen.Add(instance.Attributes.GetStringOrDefault(LevelKeys[levelIndex]) ?? string.Empty))
                {
                    continue;
                }

                try
                {
                    await Task.Delay(DelayPerMatch, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    SawCancellation = true;
                    throw;
                }

                yield return Answer(keys, instance.Attributes);
            }
        }
    }

    public ValueTask<IReadOnlyList<DicomRetrieveInstance>> OnMoveAsync(DicomRetrieveRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Retrieve(request));

    public ValueTask<IReadOnlyList<DicomRetrieveInstance>> OnGetAsync(DicomRetrieveRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Retrieve(request));

    public IEnumerable<SampleInstance> Matches(DicomDataset keys) =>
        Instances.Where(i => keys.All(k => k is not DicomElement e || Matches(keys, e, i.Attributes)));

    private IReadOnlyList<DicomRetrieveInstance> Retrieve(DicomRetrieveRequest request) =>
        [.. Matches(request.Identifier).Select(i => new DicomRetrieveInstance(i.SopClassUid, i.SopInstanceUid, i.TransferSyntax, _ => OpenDataSet(i)))];

    private static Task<Stream> OpenDataSet(SampleInstance instance)
    {
        var stream = File.OpenRead(instance.Path);
        stream.Position = instance.DataSetOffset;
        return Task.FromResult<Stream>(stream);
    }

    private static bool Matches(DicomDataset keys, DicomElement key, DicomDataset attributes)
    {
        if (key.Tag == DicomTag.QueryRetrieveLevel || key.Tag == DicomTag.SpecificCharacterSet || key.Length == 0)
        {
            return true;
        }

        var value = attributes.GetStringOrDefault(key.Tag) ?? string.Empty;
        var pattern = keys.GetString(key.Tag);
        if (key.VR == DicomVR.UI)
        {
            return pattern.Split('\\').Contains(value);
        }

        if (key.VR == DicomVR.DA && pattern.Contains('-'))
        {
            var range = pattern.Split('-');
            return (range[0].Length == 0 || string.CompareOrdinal(value, range[0]) >= 0) && (range[1].Length == 0 || string.CompareOrdinal(value, range[1]) <= 0);
        }

        if (pattern.Contains('*') || pattern.Contains('?'))
        {
            var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
            return Regex.IsMatch(value, regex);
        }

        return value == pattern;
    }

    private static DicomDataset Answer(DicomDataset keys, DicomDataset attributes)
    {
        var answer = new DicomDataset();
        if (attributes.TryGetItem(DicomTag.SpecificCharacterSet, out var charset))
        {
            answer.AddOrUpdate(charset.Clone());
        }

        foreach (var key in keys)
        {
            if (key.Tag == DicomTag.SpecificCharacterSet)
            {
                continue;
            }

            if (key.Tag == DicomTag.QueryRetrieveLevel)
            {
                answer.AddOrUpdate(key.Clone());
            }
            else if (attributes.TryGetItem(key.Tag, out var item))
            {
                answer.AddOrUpdate(item.Clone());
            }
            else if (key is DicomElement)
            {
                answer.AddOrUpdate(new DicomElement(key.Tag, key.VR, ReadOnlyMemory<byte>.Empty));
            }
        }

        return answer;
    }
}
