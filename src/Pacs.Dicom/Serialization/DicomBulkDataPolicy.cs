namespace Pacs.Dicom.Serialization;

/// <summary>Decides, while walking a dataset, which values are written as bulk data URIs; tracks the tag path for that.</summary>
internal sealed class DicomBulkDataPolicy
{
    private readonly DicomSerializationOptions _options;
    private readonly List<DicomTagPathStep> _path = [];

    public DicomBulkDataPolicy(DicomSerializationOptions options)
    {
        options.Validate();
        _options = options;
    }

    public void EnterItem(DicomTag sequenceTag, int index) => _path.Add(new DicomTagPathStep(sequenceTag, index));

    public void LeaveItem() => _path.RemoveAt(_path.Count - 1);

    /// <summary>True when the URI mode may apply to a value of this VR and length (so it must not be preloaded).</summary>
    public bool MayUseUri(DicomVR vr, long length) =>
        _options.BulkDataMode == DicomBulkDataMode.BulkDataUri &&
        length > _options.BulkDataThreshold &&
        (vr == DicomVR.None || DicomTextValues.IsBulkDataEligible(vr));

    /// <summary>The URI to write instead of the value, or null to write the value.</summary>
    public string? UriFor(DicomItem item, DicomDataset dataset)
    {
        // A reference read from JSON and never resolved has no bytes to inline: it stays a reference.
        DicomBulkDataUriSource.TryGetUri(item, out var unresolved);

        var length = item switch
        {
            DicomElement e => e.Length,
            DicomFragmentSequence f => DicomEncapsulatedValue.Length(f),
            _ => 0,
        };
        if (item is DicomFragmentSequence || MayUseUri(item.VR, length))
        {
            if (_options.BulkDataMode == DicomBulkDataMode.BulkDataUri && length > _options.BulkDataThreshold)
            {
                var path = new DicomTagPathStep[_path.Count + 1];
                _path.CopyTo(path);
                path[^1] = new DicomTagPathStep(item.Tag, null);
                var uri = _options.BulkDataUriProvider!(new DicomBulkDataContext(item, dataset, path, length));
                if (uri is not null)
                {
                    return uri;
                }
            }
        }

        return unresolved.Length > 0 ? unresolved : null;
    }
}
