using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Association;

/// <summary>
/// A received DIMSE message. <see cref="DataSet"/> streams the dataset while its PDVs still arrive; whoever
/// receives the message must read it to the end or dispose it, or the association stalls on back pressure.
/// </summary>
public sealed class DimseMessage
{
    public DimseMessage(DicomPresentationContext presentationContext, DicomCommand command, Stream? dataSet)
    {
        PresentationContext = presentationContext;
        Command = command;
        DataSet = dataSet;
    }

    public DicomPresentationContext PresentationContext { get; }

    public DicomCommand Command { get; }

    /// <summary>The dataset in the presentation context's transfer syntax, or null when the command has none.</summary>
    public Stream? DataSet { get; }

    /// <summary>Reads the whole dataset into memory, failing past <paramref name="maxLength"/> bytes (identifiers, N-service attribute lists).</summary>
    public async Task<byte[]> ReadDataSetAsync(int maxLength, CancellationToken cancellationToken)
    {
        if (DataSet is null)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int n;
        while ((n = await DataSet.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > maxLength)
            {
                throw new DicomException($"A {Command.CommandField} dataset is larger than {maxLength} bytes.");
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads and discards what is left of the dataset, so the association can move on to the next message.</summary>
    public async Task DrainDataSetAsync(CancellationToken cancellationToken)
    {
        if (DataSet is not null)
        {
            await DataSet.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }
    }
}
