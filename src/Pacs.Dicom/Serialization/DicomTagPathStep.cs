namespace Pacs.Dicom.Serialization;

/// <summary>
/// One step of the path from the top-level dataset to an element: the tag and, for a sequence passed through,
/// the zero-based index of the item entered (null on the last step, the element itself).
/// </summary>
public readonly record struct DicomTagPathStep(DicomTag Tag, int? ItemIndex)
{
    /// <summary>"00081115[0]" for a step into an item, "7FE00010" for the element itself.</summary>
    public override string ToString() => ItemIndex is { } i ? $"{Tag.ToHex()}[{i}]" : Tag.ToHex();
}
