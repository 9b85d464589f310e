namespace Pacs.Dicom.Network.Association;

/// <summary>
/// Where the read loop puts the dataset fragments of one DIMSE message, and the stream its consumer reads them from.
/// </summary>
internal interface IDataSetReceiver
{
    /// <summary>What the message's consumer reads the dataset from.</summary>
    Stream Stream { get; }

    /// <summary>
    /// Passes on the next fragment, whose <paramref name="length"/> bytes are the next on <paramref name="channel"/>;
    /// returns once they have all been read from it. <paramref name="readToken"/> limits reads off the connection,
    /// <paramref name="waitToken"/> waits for the consumer.
    /// </summary>
    ValueTask ReceiveAsync(PduChannel channel, int length, bool isLast, CancellationToken readToken, CancellationToken waitToken);

    /// <summary>The association ended inside the dataset: the consumer gets an error rather than a short dataset.</summary>
    void Fail(Exception error);
}
