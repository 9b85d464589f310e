namespace Pacs.Dicom.Network.Association;

/// <summary>What an association's read loop hands received messages to (the SCP dispatcher or the SCU client).</summary>
internal interface IAssociationListener
{
    /// <summary>Called in order, as soon as a command is complete; must return quickly (start work, don't do it).</summary>
    ValueTask OnMessageAsync(DimseMessage message, CancellationToken cancellationToken);

    /// <summary>True while operations started by messages are still running (the idle timeout does not apply then).</summary>
    bool HasOperationsInProgress { get; }

    /// <summary>Completes when running operations have finished; awaited before answering an A-RELEASE-RQ.</summary>
    Task WhenIdleAsync();
}
