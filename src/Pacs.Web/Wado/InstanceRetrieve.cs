using Pacs.Dicom;
using Pacs.Dicom.IO;
using Pacs.Dicom.Imaging.Transcoding;
using Pacs.Web.Http;

namespace Pacs.Web.Wado;

/// <summary>Chooses, for an Accept header, how a stored instance is sent: as stored, or transcoded to a transfer syntax.</summary>
public static class InstanceRetrieve
{
    /// <summary>
    /// The transfer syntaxes to try, in the client's order of preference: null means "as stored". An entry without a
    /// transfer-syntax parameter means Explicit VR Little Endian (PS3.18 8.7.3.5.2); "*" means as stored.
    /// </summary>
    public static IReadOnlyList<DicomTransferSyntax?> Candidates(IReadOnlyList<AcceptedType> accepts, string storedTransferSyntaxUid, out bool anyDicom)
    {
        ArgumentNullException.ThrowIfNull(accepts);
        var result = new List<DicomTransferSyntax?>();
        anyDicom = false;
        foreach (var accepted in accepts)
        {
            var dicom = accepted.Multipart ? accepted.Matches(DicomMediaTypes.Dicom) : accepted.IsWildcard || accepted.MediaType == DicomMediaTypes.Dicom;
            if (!dicom)
            {
                continue;
            }

            anyDicom = true;
            if (accepted.TransferSyntax == "*")
            {
                result.Add(null);
                continue;
            }

            var target = accepted.TransferSyntax is null ? DicomMediaTypes.DefaultTransferSyntax : DicomTransferSyntax.Lookup(accepted.TransferSyntax);
            if (target is null)
            {
                continue;
            }

            result.Add(target.UidValue == storedTransferSyntaxUid ? null : target);
        }

        return result;
    }

    /// <summary>The stored file re-encoded in <paramref name="target"/>; a DicomException when no codec can do it.</summary>
    public static DicomFile Transcode(DicomFile file, DicomTransferSyntax target)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!target.IsKnown)
        {
            throw new DicomException($"Transcoding to {target.UidValue} is not offered.");
        }

        var result = new DicomTranscoder().Transcode(file, target);
        if (file.FileMetaInformation.TryGetString(DicomTag.SourceApplicationEntityTitle, out var ae) && ae.Length > 0)
        {
            result.FileMetaInformation.AddOrUpdate(DicomTag.SourceApplicationEntityTitle, DicomVR.AE, ae);
        }

        return result;
    }
}
