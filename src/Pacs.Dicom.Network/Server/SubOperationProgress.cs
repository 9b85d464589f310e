using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Server;

/// <summary>The C-MOVE/C-GET sub-operation counters and which instances failed.</summary>
internal sealed class SubOperationProgress(int total)
{
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _attempted = new(StringComparer.Ordinal);

    public int Remaining { get; private set; } = total;

    public int Completed { get; private set; }

    public int Failed { get; private set; }

    public int Warning { get; private set; }

    public void Record(DicomRetrieveInstance instance, DicomStatus status)
    {
        Remaining--;
        _attempted.Add(instance.SopInstanceUid);
        switch (status.Kind)
        {
            case DicomStatusKind.Success:
                Completed++;
                break;
            case DicomStatusKind.Warning:
                Warning++;
                break;
            default:
                Failed++;
                _failed.Add(instance.SopInstanceUid);
                break;
        }
    }

    public void FailAllRemaining(IReadOnlyList<DicomRetrieveInstance> instances)
    {
        foreach (var instance in instances)
        {
            if (!_attempted.Contains(instance.SopInstanceUid))
            {
                Record(instance, DicomStatus.ProcessingFailure);
            }
        }
    }

    public IReadOnlyList<string> FailedUids(IReadOnlyList<DicomRetrieveInstance> instances, bool includeNotAttempted) =>
        [.. instances.Where(i => _failed.Contains(i.SopInstanceUid) || (includeNotAttempted && !_attempted.Contains(i.SopInstanceUid)))
            .Select(i => i.SopInstanceUid).Distinct(StringComparer.Ordinal)];
}
