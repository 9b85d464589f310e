namespace Pacs.Dicom.Network.Pdu;

/// <summary>
/// A PDU that breaks PS3.8 9.3: carries the A-ABORT reason the association answers it with, so a malformed PDU
/// ends as an abort on the wire instead of an unhandled exception.
/// </summary>
public sealed class DicomPduException : DicomException
{
    public DicomPduException(AbortReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public DicomPduException()
        : this(AbortReason.NotSpecified, "Malformed PDU.")
    {
    }

    public DicomPduException(string message)
        : this(AbortReason.InvalidPduParameterValue, message)
    {
    }

    public DicomPduException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = AbortReason.InvalidPduParameterValue;
    }

    public AbortReason Reason { get; }
}
