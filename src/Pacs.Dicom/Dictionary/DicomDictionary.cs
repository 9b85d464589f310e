using System.Collections.Frozen;
using System.Globalization;

namespace Pacs.Dicom;

/// <summary>
/// The data dictionary of PS3.6 and the command elements of PS3.7, generated from the standard's files
/// by tools/Pacs.DictionaryGenerator (see Generated/DicomDictionary.Entries.g.cs).
/// </summary>
public static partial class DicomDictionary
{
    private static readonly DicomDictionaryEntry PrivateCreatorEntry =
        new(new DicomTag(0x0009, 0x0010), 0x0001FF00, [DicomVR.LO], "1", "PrivateCreator", "Private Creator", false);

    private static readonly DicomDictionaryEntry GroupLengthEntry =
        new(new DicomTag(0x0000, 0x0000), 0x0000FFFF, [DicomVR.UL], "1", "GroupLength", "Group Length", false);

    private static readonly Tables Data = BuildTables();

    /// <summary>Every entry, single tags and repeating groups alike.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => Data.All;

    /// <summary>Exact tags first, then repeating groups, then group lengths and private creators; null when unknown.</summary>
    public static DicomDictionaryEntry? Lookup(DicomTag tag)
    {
        if (Data.ByTag.TryGetValue(tag.Value, out var entry))
        {
            return entry;
        }

        if (tag.IsGroupLength)
        {
            return GroupLengthEntry;
        }

        if (tag.IsPrivateCreator)
        {
            return PrivateCreatorEntry;
        }

        if (tag.IsPrivate)
        {
            return null;
        }

        foreach (var repeating in Data.Repeating)
        {
            if (repeating.Matches(tag))
            {
                return repeating;
            }
        }

        return null;
    }

    public static DicomDictionaryEntry? LookupKeyword(string keyword) =>
        Data.ByKeyword.TryGetValue(keyword, out var entry) ? entry : null;

    /// <summary>The VR implicit-VR data carries for this tag: the dictionary's first VR, UN when unknown.</summary>
    public static DicomVR DefaultVR(DicomTag tag)
    {
        if (tag.IsItemOrDelimiter)
        {
            return DicomVR.None;
        }

        return Lookup(tag)?.DefaultVR ?? DicomVR.UN;
    }

    /// <summary>The keyword, or the tag in hex for elements the dictionary does not know.</summary>
    public static string KeywordOf(DicomTag tag) => Lookup(tag)?.Keyword ?? tag.ToHex();

    private static Tables BuildTables()
    {
        var all = ParseEntries(GeneratedEntryTable);
        var byTag = new Dictionary<uint, DicomDictionaryEntry>(all.Count);
        var byKeyword = new Dictionary<string, DicomDictionaryEntry>(all.Count, StringComparer.Ordinal);
        var repeating = new List<DicomDictionaryEntry>();
        foreach (var entry in all)
        {
            if (entry.IsRepeating)
            {
                repeating.Add(entry);
            }
            else
            {
                byTag[entry.Tag.Value] = entry;
            }

            byKeyword.TryAdd(entry.Keyword, entry);
        }

        return new Tables(all, byTag.ToFrozenDictionary(), byKeyword.ToFrozenDictionary(StringComparer.Ordinal), [.. repeating]);
    }

    /// <summary>Rows are "tag|mask|VRs|VM|keyword|name|retired" with hex tag and mask and VRs joined by '/'.</summary>
    private static List<DicomDictionaryEntry> ParseEntries(string table)
    {
        var entries = new List<DicomDictionaryEntry>(6000);
        Span<Range> parts = stackalloc Range[8];
        foreach (var line in table.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty)
            {
                continue;
            }

            if (line.Split(parts, '|') != 7)
            {
                throw new InvalidOperationException($"Malformed generated dictionary row: {line}");
            }

            var tag = uint.Parse(line[parts[0]], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            var mask = uint.Parse(line[parts[1]], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            var vrText = line[parts[2]];
            var vrs = new List<DicomVR>(3);
            foreach (var vrRange in vrText.Split('/'))
            {
                var vr = vrText[vrRange];
                vrs.Add(vr.SequenceEqual("NONE") ? DicomVR.None : DicomVRInfo.Parse(vr.ToString()));
            }

            entries.Add(new DicomDictionaryEntry(
                DicomTag.FromValue(tag),
                mask,
                [.. vrs],
                line[parts[3]].ToString(),
                line[parts[4]].ToString(),
                line[parts[5]].ToString(),
                line[parts[6]].SequenceEqual("R")));
        }

        return entries;
    }

    private sealed record Tables(
        IReadOnlyList<DicomDictionaryEntry> All,
        FrozenDictionary<uint, DicomDictionaryEntry> ByTag,
        FrozenDictionary<string, DicomDictionaryEntry> ByKeyword,
        DicomDictionaryEntry[] Repeating);
}
