namespace Pacs.Dicom;

/// <summary>Private data elements (PS3.5 7.8.1): blocks (gggg,xx00-xxFF) reserved by a creator in (gggg,00xx).</summary>
public sealed partial class DicomDataset
{
    /// <summary>
    /// The tag of element <paramref name="elementOffset"/> in the block of <paramref name="creator"/> in private group
    /// <paramref name="group"/>. When the creator holds no block yet, <paramref name="reserve"/> true reserves the first free
    /// slot (adding the creator element); false gives a DicomException.
    /// </summary>
    public DicomTag GetPrivateTag(ushort group, string creator, byte elementOffset, bool reserve)
    {
        if (TryGetPrivateTag(group, creator, elementOffset, out var tag))
        {
            return tag;
        }

        if (!reserve)
        {
            throw new DicomException($"No block of group {group:X4} is reserved by private creator '{creator}'.");
        }

        for (ushort slot = 0x10; slot <= 0xFF; slot++)
        {
            var creatorTag = new DicomTag(group, slot);
            if (!Contains(creatorTag))
            {
                AddOrUpdate(creatorTag, DicomVR.LO, creator);
                return new DicomTag(group, (ushort)((slot << 8) | elementOffset));
            }
        }

        throw new DicomException($"Every private block of group {group:X4} is taken.");
    }

    public bool TryGetPrivateTag(ushort group, string creator, byte elementOffset, out DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(creator);
        tag = default;
        if ((group & 1) == 0 || group <= 0x0007 || group == 0xFFFF)
        {
            throw new DicomException($"Group {group:X4} is not a private group.");
        }

        var wanted = creator.Trim(' ', '\0');
        for (ushort slot = 0x10; slot <= 0xFF; slot++)
        {
            var creatorTag = new DicomTag(group, slot);
            if (TryGetString(creatorTag, out var name) && string.Equals(name.Trim(' ', '\0'), wanted, StringComparison.Ordinal))
            {
                tag = new DicomTag(group, (ushort)((slot << 8) | elementOffset));
                return true;
            }
        }

        return false;
    }

    /// <summary>The creator reserving the block of a private data element, or null when none is present.</summary>
    public string? GetPrivateCreator(DicomTag tag) =>
        tag.IsPrivate && !tag.IsPrivateCreator && tag.Element >= 0x1000 && TryGetString(tag.PrivateCreatorTag, out var c) ? c.Trim(' ', '\0') : null;
}
