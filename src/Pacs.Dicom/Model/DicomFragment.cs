namespace Pacs.Dicom;

/// <summary>One item of encapsulated pixel data: bytes in memory or a lazy reference into the source.</summary>
public sealed class DicomFragment
{
    private ReadOnlyMemory<byte> _data;

    public DicomFragment(ReadOnlyMemory<byte> data)
    {
        _data = data;
        IsLoaded = true;
    }

    public DicomFragment(DicomBulkDataReference bulkData)
    {
        ArgumentNullException.ThrowIfNull(bulkData);
        BulkData = bulkData;
    }

    public DicomBulkDataReference? BulkData { get; }

    public bool IsLoaded { get; private set; }

    public long Length => IsLoaded ? _data.Length : BulkData!.Length;

    /// <summary>The fragment bytes; loads and keeps a lazily referenced fragment on first access.</summary>
    public ReadOnlyMemory<byte> Data
    {
        get
        {
            if (!IsLoaded)
            {
                _data = BulkData!.Load();
                IsLoaded = true;
            }

            return _data;
        }
    }

    public DicomFragment Clone() => IsLoaded ? new DicomFragment(_data.ToArray()) : new DicomFragment(BulkData!);
}
