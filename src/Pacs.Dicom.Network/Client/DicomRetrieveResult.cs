using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Client;

/// <summary>The sub-operation counters of a C-MOVE/C-GET response (PS3.4 C.4.2.1.6); Remaining is absent on most final responses.</summary>
public sealed record DicomRetrieveProgress(DicomStatus Status, int? Remaining, int Completed, int Failed, int Warning);

/// <summary>How a C-MOVE or C-GET ended.</summary>
public sealed record DicomRetrieveResult(
    DicomStatus Status,
    int? Remaining,
    int Completed,
    int Failed,
    int Warning,
    IReadOnlyList<string> FailedSopInstanceUids,
    string? ErrorComment);
