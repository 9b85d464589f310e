using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Server;

/// <summary>
/// Thrown by a query/retrieve handler to end the operation with a specific PS3.4 failure status, e.g.
/// <see cref="DicomStatus.OutOfResources"/> (0xA700), <see cref="DicomStatus.DataSetDoesNotMatchSopClass"/>
/// (0xA900, identifier does not match SOP class) or <see cref="DicomStatus.UnableToProcess"/> (0xC000).
/// Any other exception from a handler ends the operation with 0xC000.
/// </summary>
public class DicomServiceException : Exception
{
    public DicomServiceException()
        : this(DicomStatus.UnableToProcess, null)
    {
    }

    public DicomServiceException(string message)
        : this(DicomStatus.UnableToProcess, message)
    {
    }

    public DicomServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = DicomStatus.UnableToProcess;
        ErrorComment = message;
    }

    public DicomServiceException(DicomStatus status, string? errorComment = null)
        : base(errorComment ?? $"DIMSE service failed with status {status}.")
    {
        Status = status;
        ErrorComment = errorComment;
    }

    /// <summary>The status the final response carries.</summary>
    public DicomStatus Status { get; }

    /// <summary>Sent as Error Comment (0000,0902), at most 64 characters.</summary>
    public string? ErrorComment { get; }
}
