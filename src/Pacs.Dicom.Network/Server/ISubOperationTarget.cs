using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Server;

/// <summary>Where C-STORE sub-operations go: the C-MOVE destination's association, or the C-GET requestor's own.</summary>
internal interface ISubOperationTarget : IAsyncDisposable
{
    /// <summary>Sends one instance and returns the C-STORE-RSP status; a failure of this one instance is a failure status, not an exception.</summary>
    Task<DicomStatus> StoreAsync(DicomRetrieveInstance instance, ushort originatorMessageId, CancellationToken cancellationToken);
}
