namespace Pacs.Dicom;

/// <summary>One data element of the PS3.6/PS3.7 data dictionary.</summary>
public sealed class DicomDictionaryEntry
{
    public DicomDictionaryEntry(DicomTag tag, uint mask, IReadOnlyList<DicomVR> valueRepresentations, string valueMultiplicity, string keyword, string name, bool isRetired)
    {
        if (valueRepresentations.Count == 0)
        {
            throw new ArgumentException("An entry needs at least one VR (DicomVR.None for items).", nameof(valueRepresentations));
        }

        Tag = tag;
        Mask = mask;
        ValueRepresentations = valueRepresentations;
        ValueMultiplicity = valueMultiplicity;
        Keyword = keyword;
        Name = name;
        IsRetired = isRetired;
    }

    /// <summary>The tag, for repeating groups the lowest one (e.g. (6000,3000) for OverlayData).</summary>
    public DicomTag Tag { get; }

    /// <summary>Bits of a tag's <see cref="DicomTag.Value"/> that must equal <see cref="Tag"/>'s; 0xFFFFFFFF for a single tag.</summary>
    public uint Mask { get; }

    /// <summary>Several for entries such as OB or OW, US or SS; the first is the one used when nothing else decides.</summary>
    public IReadOnlyList<DicomVR> ValueRepresentations { get; }

    public DicomVR DefaultVR => ValueRepresentations[0];

    public string ValueMultiplicity { get; }

    public string Keyword { get; }

    public string Name { get; }

    public bool IsRetired { get; }

    public bool IsRepeating => Mask != 0xFFFFFFFF;

    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag.Value;

    public override string ToString() => $"{Tag} {DicomVRInfo.ToString(DefaultVR)} {Keyword}";
}
