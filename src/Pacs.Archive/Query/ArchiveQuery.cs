using Pacs.Dicom;

namespace Pacs.Archive.Query;

/// <summary>
/// The one parsed query of ARCHITECTURE.md: C-FIND identifiers (<see cref="FromIdentifier"/>) and QIDO-RS parameters
/// (<see cref="QueryParameters"/>) both become this, and <see cref="QueryService"/> runs it through one SQL builder.
/// </summary>
public sealed record ArchiveQuery
{
    public QueryRoot Root { get; init; } = QueryRoot.StudyRoot;

    public QueryLevel Level { get; init; } = QueryLevel.Study;

    /// <summary>
    /// Relational queries (PS3.4 C.4.1.2.2, extended negotiation): keys of other levels match and parent unique keys may
    /// be absent. Hierarchical otherwise: the unique keys of every level above are required, keys below are ignored.
    /// </summary>
    public bool Relational { get; init; }

    /// <summary>Fuzzy semantic matching of person names (PS3.4 C.2.2.2.1 extended negotiation; QIDO-RS fuzzymatching).</summary>
    public bool FuzzyMatching { get; init; }

    /// <summary>
    /// Combined date and time range matching (PS3.4 C.2.2.2.5.1 extended negotiation): a Date key and its Time key
    /// together form one date-time range instead of two independent ones.
    /// </summary>
    public bool CombinedDateTimeMatching { get; init; }

    public IReadOnlyList<QueryKey> MatchingKeys { get; init; } = [];

    /// <summary>Attributes to return (besides those always returned), top-level tags; sequences return whole items.</summary>
    public IReadOnlyList<DicomTag> ReturnKeys { get; init; } = [];

    /// <summary>Keys with a value that the index cannot match on: treated as universal matching and returned (PS3.4 C.2.2.1).</summary>
    public IReadOnlyList<DicomTag> UnsupportedMatchingKeys { get; init; } = [];

    /// <summary>Return every indexed attribute of the level and the levels above (QIDO-RS <c>includefield=all</c>).</summary>
    public bool IncludeAllFields { get; init; }

    public int? Limit { get; init; }

    public int Offset { get; init; }

    /// <summary>
    /// Parses a C-FIND identifier: Query/Retrieve Level (0008,0052), then every other attribute is a return key, and a
    /// matching key too when it has a value (for a sequence, the values in its first item; PS3.4 C.2.2.2.6).
    /// </summary>
    public static ArchiveQuery FromIdentifier(DicomDataset identifier, QueryRoot root, bool relational = false)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var level = ParseLevel(identifier.GetStringOrDefault(DicomTag.QueryRetrieveLevel));
        var keys = new List<QueryKey>();
        var returns = new List<DicomTag>();
        var unsupported = new List<DicomTag>();
        foreach (var item in identifier)
        {
            if (item.Tag == DicomTag.QueryRetrieveLevel || item.Tag == DicomTag.SpecificCharacterSet || item.Tag.IsGroupLength)
            {
                continue;
            }

            returns.Add(item.Tag);
            if (item is DicomSequence sequence)
            {
                if (sequence.Count == 0)
                {
                    continue;
                }

                foreach (var inner in sequence[0])
                {
                    if (ValueOf(sequence[0], inner) is not { Length: > 0 } innerValue)
                    {
                        continue;
                    }

                    if (QueryAttributes.Find(sequence.Tag, inner.Tag) is { } nested)
                    {
                        keys.Add(new QueryKey(nested, innerValue));
                    }
                    else if (!unsupported.Contains(sequence.Tag))
                    {
                        unsupported.Add(sequence.Tag);
                    }
                }

                continue;
            }

            if (ValueOf(identifier, item) is not { Length: > 0 } value)
            {
                continue;
            }

            if (QueryAttributes.Find(item.Tag) is { Kind: not QueryValueKind.Count } attribute)
            {
                keys.Add(new QueryKey(attribute, value));
            }
            else
            {
                unsupported.Add(item.Tag);
            }
        }

        var query = new ArchiveQuery
        {
            Root = root,
            Level = level,
            Relational = relational,
            MatchingKeys = keys,
            ReturnKeys = returns,
            UnsupportedMatchingKeys = unsupported,
        };
        query.Validate();
        return query;
    }

    /// <summary>The level an attribute's table belongs to in this root (Study Root holds patient attributes at the study level).</summary>
    public QueryLevel LevelOf(QueryLevel table) => Root == QueryRoot.StudyRoot && table == QueryLevel.Patient ? QueryLevel.Study : table;

    /// <summary>The top level of this root's hierarchy.</summary>
    public QueryLevel TopLevel => Root == QueryRoot.StudyRoot ? QueryLevel.Study : QueryLevel.Patient;

    /// <summary>Throws <see cref="QueryException"/> when the level does not exist in the root or a hierarchical query lacks a parent unique key.</summary>
    public void Validate()
    {
        if (Level < TopLevel)
        {
            throw new QueryException($"Query/Retrieve Level {Level} does not exist in the {Root} information model.");
        }

        if (Limit is < 0 || Offset < 0)
        {
            throw new QueryException("Limit and offset must not be negative.");
        }

        if (Relational)
        {
            return;
        }

        for (var level = TopLevel; level < Level; level++)
        {
            var unique = QueryAttributes.UniqueKey(level);
            if (!MatchingKeys.Any(k => k.Attribute == unique && k.Value.Trim() is { Length: > 0 } v && v != "*"))
            {
                throw new QueryException($"A hierarchical {Level} query needs the unique key {unique.Tag} of the {level} level; relational queries were not negotiated.");
            }
        }
    }

    internal static QueryLevel ParseLevel(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "PATIENT" => QueryLevel.Patient,
        "STUDY" => QueryLevel.Study,
        "SERIES" => QueryLevel.Series,
        "IMAGE" => QueryLevel.Image,
        null or "" => throw new QueryException("The identifier has no Query/Retrieve Level (0008,0052)."),
        var other => throw new QueryException($"Unknown Query/Retrieve Level '{other}'."),
    };

    /// <summary>The value of an identifier element as text; binary numbers (US Rows, …) in decimal; null when empty.</summary>
    private static string? ValueOf(DicomDataset dataset, DicomItem item)
    {
        if (item is not DicomElement element || element.Length == 0)
        {
            return null;
        }

        try
        {
            if (DicomVRInfo.Get(element.VR).IsString)
            {
                var text = dataset.GetString(element.Tag).Replace("\0", string.Empty, StringComparison.Ordinal).Trim();
                return text.Length == 0 ? null : text;
            }

            return dataset.TryGetValue(element.Tag, 0, out long number) ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        catch (DicomException)
        {
            return null;
        }
    }
}
