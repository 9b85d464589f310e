namespace Pacs.Dicom;

/// <summary>
/// A data element with a value. The value is kept in little endian byte order whatever the source's order,
/// either in memory or as a lazy reference into its source (loaded on first use of <see cref="Value"/>).
/// </summary>
public sealed class DicomElement : DicomItem
{
    private ReadOnlyMemory<byte> _value;

    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
        : base(tag)
    {
        VR = vr;
        _value = value;
        IsLoaded = true;
    }

    public DicomElement(DicomTag tag, DicomVR vr, DicomBulkDataReference bulkData)
        : base(tag)
    {
        ArgumentNullException.ThrowIfNull(bulkData);
        VR = vr;
        BulkData = bulkData;
    }

    public override DicomVR VR { get; }

    /// <summary>Where the value lives in its source when it was not loaded during parsing; stays set after loading.</summary>
    public DicomBulkDataReference? BulkData { get; }

    /// <summary>False while the value is only referenced in its source.</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>The value length in bytes, known without loading.</summary>
    public long Length => IsLoaded ? _value.Length : BulkData!.Length;

    /// <summary>The value bytes (little endian); loads and keeps a lazily referenced value on first access.</summary>
    public ReadOnlyMemory<byte> Value
    {
        get
        {
            if (!IsLoaded)
            {
                _value = BulkData!.Load();
                IsLoaded = true;
            }

            return _value;
        }
    }

    /// <summary>Loads a lazily referenced value asynchronously (no-op when loaded).</summary>
    public async Task<ReadOnlyMemory<byte>> LoadAsync(CancellationToken cancellationToken = default)
    {
        if (!IsLoaded)
        {
            _value = await BulkData!.LoadAsync(cancellationToken).ConfigureAwait(false);
            IsLoaded = true;
        }

        return _value;
    }

    public override DicomItem Clone() =>
        IsLoaded ? new DicomElement(Tag, VR, _value.ToArray()) : new DicomElement(Tag, VR, BulkData!);

    public override string ToString() => $"{Tag} {DicomVRInfo.ToString(VR)} [{Length} bytes]";
}
