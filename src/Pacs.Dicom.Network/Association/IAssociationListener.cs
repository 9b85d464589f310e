using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Association;

/// <summary>What an association's read loop hands received messages to (the SCP dispatcher or the SCU client).</summary>
internal interface IAssociationListener
{
    /// <summary>Called in order, as soon as a command is complete; must return quickly (start work, don't do it).</summary>
    ValueTask OnMessageAsync(DimseMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the consumer of this command's dataset starts reading it at once and needs nothing more from the
    /// association until it has (then it reads the dataset straight off the connection; see DirectDataSet).
    /// </summary>
    bool ReadsDataSetDirectly(DicomCommand command);

    /// <summary>True while operations started by messages are still running (the idle timeout does not apply then).</summary>
    bool HasOperationsInProgress { get; }

    /// <summary>Completes when running operations have finished; awaited before answering an A-RELEASE-RQ.</summary>
    Task WhenIdleAsync();
}
