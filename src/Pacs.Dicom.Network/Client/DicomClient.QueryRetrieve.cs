using System.Runtime.CompilerServices;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Pdu;
using Pacs.Dicom.Network.Server;

namespace Pacs.Dicom.Network.Client;

public sealed partial class DicomClient
{
    /// <summary>
    /// The storage SOP classes a C-GET proposes by default, with the SCP role, in explicit and implicit VR little endian:
    /// the common modalities and documents (the whole storage list does not fit in 128 presentation contexts).
    /// </summary>
    public static IReadOnlyList<string> DefaultGetStorageSopClasses { get; } =
        [.. new[]
        {
            "CTImageStorage", "EnhancedCTImageStorage", "MRImageStorage", "EnhancedMRImageStorage", "EnhancedMRColorImageStorage",
            "ComputedRadiographyImageStorage", "DigitalXRayImageStorageForPresentation", "DigitalXRayImageStorageForProcessing",
            "DigitalMammographyXRayImageStorageForPresentation", "DigitalMammographyXRayImageStorageForProcessing",
            "DigitalIntraOralXRayImageStorageForPresentation", "BreastTomosynthesisImageStorage",
            "UltrasoundImageStorage", "UltrasoundMultiFrameImageStorage", "EnhancedUSVolumeStorage",
            "SecondaryCaptureImageStorage", "MultiFrameSingleBitSecondaryCaptureImageStorage", "MultiFrameGrayscaleByteSecondaryCaptureImageStorage",
            "MultiFrameGrayscaleWordSecondaryCaptureImageStorage", "MultiFrameTrueColorSecondaryCaptureImageStorage",
            "XRayAngiographicImageStorage", "EnhancedXAImageStorage", "XRayRadiofluoroscopicImageStorage", "EnhancedXRFImageStorage",
            "XRay3DAngiographicImageStorage", "XRay3DCraniofacialImageStorage",
            "NuclearMedicineImageStorage", "PositronEmissionTomographyImageStorage", "EnhancedPETImageStorage",
            "RTImageStorage", "RTDoseStorage", "RTStructureSetStorage", "RTPlanStorage", "RTIonPlanStorage",
            "VLEndoscopicImageStorage", "VLMicroscopicImageStorage", "VLSlideCoordinatesMicroscopicImageStorage", "VLPhotographicImageStorage",
            "VLWholeSlideMicroscopyImageStorage", "VideoEndoscopicImageStorage", "VideoMicroscopicImageStorage", "VideoPhotographicImageStorage",
            "OphthalmicPhotography8BitImageStorage", "OphthalmicPhotography16BitImageStorage", "OphthalmicTomographyImageStorage",
            "BasicTextSRStorage", "EnhancedSRStorage", "ComprehensiveSRStorage", "Comprehensive3DSRStorage", "KeyObjectSelectionDocumentStorage",
            "XRayRadiationDoseSRStorage", "MammographyCADSRStorage", "EncapsulatedPDFStorage", "EncapsulatedCDAStorage",
            "GrayscaleSoftcopyPresentationStateStorage", "ColorSoftcopyPresentationStateStorage", "SegmentationStorage",
            "SpatialRegistrationStorage", "SpatialFiducialsStorage", "RawDataStorage", "TwelveLeadECGWaveformStorage", "GeneralECGWaveformStorage",
            "ParametricMapStorage", "LegacyConvertedEnhancedCTImageStorage", "LegacyConvertedEnhancedMRImageStorage",
        }.Select(keyword => DicomUid.All.FirstOrDefault(u => u.Keyword == keyword)).OfType<DicomUid>().Select(u => u.Value)];

    private static readonly IReadOnlyList<string> NativeTransferSyntaxes =
        [DicomTransferSyntax.ExplicitVRLittleEndian.UidValue, DicomTransferSyntax.ImplicitVRLittleEndian.UidValue];

    /// <summary>C-FIND on a fresh association (released afterwards); yields the matches as they arrive.</summary>
    public async IAsyncEnumerable<DicomDataset> FindAsync(string sopClassUid, DicomDataset identifier, DicomPriority priority = DicomPriority.Medium,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var association = await ConnectAsync([(sopClassUid, NativeTransferSyntaxes)], cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            var find = association.FindAsync(sopClassUid, identifier, priority);
            await foreach (var match in find.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return match;
            }

            if (find.FinalStatus is { Kind: DicomStatusKind.Failure } failure)
            {
                throw new DicomServiceException(failure, find.ErrorComment ?? $"C-FIND failed with status {failure}.");
            }

            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>C-MOVE on a fresh association (released afterwards).</summary>
    public async Task<DicomRetrieveResult> MoveAsync(string destinationAETitle, DicomDataset identifier, string? sopClassUid = null,
        IProgress<DicomRetrieveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var sopClass = sopClassUid ?? DicomUid.StudyRootQueryRetrieveInformationModelMove.Value;
        var association = await ConnectAsync([(sopClass, NativeTransferSyntaxes)], cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            var result = await association.MoveAsync(destinationAETitle, identifier, sopClass, progress, cancellationToken: cancellationToken).ConfigureAwait(false);
            await association.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
    }

    /// <summary>
    /// C-GET on a fresh association (released afterwards): proposes the query/retrieve class and one context per
    /// storage class in <paramref name="storageContexts"/> (default: <see cref="DefaultGetStorageSopClasses"/> in
    /// explicit/implicit VR LE) with the SCP role, so the peer's C-STORE sub-operations reach <paramref name="storeHandler"/>.
    /// </summary>
    public async Task<DicomRetrieveResult> GetAsync(DicomDataset identifier, IDicomStoreHandler storeHandler, string? sopClassUid = null,
        IReadOnlyList<(string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes)>? storageContexts = null,
        IProgress<DicomRetrieveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var sopClass = sopClassUid ?? DicomUid.StudyRootQueryRetrieveInformationModelGet.Value;
        var storage = storageContexts ?? [.. DefaultGetStorageSopClasses.Select(uid => (uid, NativeTransferSyntaxes))];
        List<(string, IReadOnlyList<string>)> contexts = [(sopClass, NativeTransferSyntaxes), .. storage.Take(127)];
        IReadOnlyList<RoleSelection> roles = [.. storage.Select(c => c.AbstractSyntax).Distinct(StringComparer.Ordinal)
            .Select(uid => new RoleSelection(uid, ScuRole: false, ScpRole: true))];
        var association = await ConnectAsync(contexts, roles, storeHandler, cancellationToken).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            var result = await association.GetAsync(identifier, sopClass, progress, cancellationToken: cancellationToken).ConfigureAwait(false);
            await association.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
    }
}
