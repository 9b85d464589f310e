namespace Pacs.Dicom.Network;

/// <summary>An association could not be used: rejected, aborted, closed, or the peer broke the protocol.</summary>
public class DicomNetworkException : DicomException
{
    public DicomNetworkException()
    {
    }

    public DicomNetworkException(string message)
        : base(message)
    {
    }

    public DicomNetworkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The called AE answered the A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ.</summary>
public sealed class DicomAssociationRejectedException : DicomNetworkException
{
    public DicomAssociationRejectedException(Pdu.AAssociateRj reject)
        : base($"Association rejected: result {reject.Result}, source {reject.Source}, reason {reject.Reason}.")
    {
        Reject = reject;
    }

    public DicomAssociationRejectedException()
        : this(new Pdu.AAssociateRj(Pdu.RejectResult.Permanent, Pdu.RejectSource.ServiceUser, Pdu.RejectReasons.NoReasonGiven))
    {
    }

    public DicomAssociationRejectedException(string message)
        : base(message)
    {
        Reject = new Pdu.AAssociateRj(Pdu.RejectResult.Permanent, Pdu.RejectSource.ServiceUser, Pdu.RejectReasons.NoReasonGiven);
    }

    public DicomAssociationRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reject = new Pdu.AAssociateRj(Pdu.RejectResult.Permanent, Pdu.RejectSource.ServiceUser, Pdu.RejectReasons.NoReasonGiven);
    }

    public Pdu.AAssociateRj Reject { get; }
}
