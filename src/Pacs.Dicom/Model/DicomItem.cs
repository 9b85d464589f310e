namespace Pacs.Dicom;

/// <summary>One entry of a dataset: a data element with a value, a sequence, or encapsulated pixel data.</summary>
public abstract class DicomItem
{
    protected DicomItem(DicomTag tag)
    {
        Tag = tag;
    }

    public DicomTag Tag { get; }

    public abstract DicomVR VR { get; }

    /// <summary>A deep copy; lazily referenced bulk data is shared, not loaded.</summary>
    public abstract DicomItem Clone();

    public override string ToString() => $"{Tag} {DicomVRInfo.ToString(VR)}";
}
