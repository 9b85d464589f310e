using Pacs.Dicom.IO;
using Pacs.Dicom.Network.Association;

namespace Pacs.Dicom.Network.Server;

/// <summary>
/// Picks the presentation context a sub-operation travels on: the instance's own transfer syntax when accepted,
/// else, for native (unencapsulated) data, any accepted native syntax, re-encoded with the core writer.
/// </summary>
internal static class SubOperationEncoding
{
    public static DicomPresentationContext? ChooseContext(IEnumerable<DicomPresentationContext> contexts, DicomRetrieveInstance instance)
    {
        DicomPresentationContext? fallback = null;
        foreach (var pc in contexts)
        {
            if (!pc.IsAccepted || pc.AbstractSyntax != instance.SopClassUid)
            {
                continue;
            }

            if (pc.TransferSyntax!.Equals(instance.TransferSyntax))
            {
                return pc;
            }

            if (fallback is null && CanTranscode(instance.TransferSyntax, pc.TransferSyntax))
            {
                fallback = pc;
            }
        }

        return fallback;
    }

    /// <summary>Native pixel data can change byte order and VR encoding without a codec; compressed data cannot.</summary>
    public static bool CanTranscode(DicomTransferSyntax from, DicomTransferSyntax to) =>
        from.IsKnown && to.IsKnown && !from.IsEncapsulated && !to.IsEncapsulated;

    /// <summary>Opens the instance's dataset encoded for <paramref name="context"/>.</summary>
    public static async Task<Stream> OpenAsync(DicomRetrieveInstance instance, DicomPresentationContext context, CancellationToken cancellationToken)
    {
        var stream = await instance.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (context.TransferSyntax!.Equals(instance.TransferSyntax))
        {
            return stream;
        }

        await using (stream.ConfigureAwait(false))
        {
            var dataset = await DicomDatasetReader.ReadAsync(stream, instance.TransferSyntax, null, cancellationToken).ConfigureAwait(false);
            return new MemoryStream(DicomDatasetWriter.ToBytes(dataset, context.TransferSyntax), writable: false);
        }
    }
}
