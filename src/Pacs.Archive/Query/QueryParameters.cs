using System.Globalization;
using Pacs.Dicom;

namespace Pacs.Archive.Query;

/// <summary>
/// QIDO-RS query parameters (PS3.18 8.3.4): attribute keys (keyword or 8-hex tag, <c>Sequence.Attribute</c> for a key in
/// a sequence item) with values, and <c>limit</c>, <c>offset</c>, <c>fuzzymatching</c>, <c>includefield</c>. The HTTP
/// layer parses the query string into pairs; <see cref="ToQuery"/> makes the same <see cref="ArchiveQuery"/> C-FIND uses.
/// </summary>
public sealed class QueryParameters
{
    private static readonly Dictionary<QueryLevel, DicomTag[]> DefaultReturnKeys = new()
    {
        // PS3.18 Table 10.6.3-3..5: the attributes every QIDO-RS response carries at each level.
        [QueryLevel.Study] =
        [
            DicomTag.StudyDate, DicomTag.StudyTime, DicomTag.AccessionNumber, DicomTag.InstanceAvailability, DicomTag.ModalitiesInStudy,
            DicomTag.ReferringPhysicianName, DicomTag.TimezoneOffsetFromUTC, DicomTag.PatientName, DicomTag.PatientID,
            DicomTag.PatientBirthDate, DicomTag.PatientSex, DicomTag.StudyInstanceUID, DicomTag.StudyID,
            DicomTag.NumberOfStudyRelatedSeries, DicomTag.NumberOfStudyRelatedInstances,
        ],
        [QueryLevel.Series] =
        [
            DicomTag.Modality, DicomTag.TimezoneOffsetFromUTC, DicomTag.SeriesDescription, DicomTag.SeriesInstanceUID,
            DicomTag.SeriesNumber, DicomTag.PerformedProcedureStepStartDate, DicomTag.PerformedProcedureStepStartTime,
            DicomTag.RequestAttributesSequence, DicomTag.NumberOfSeriesRelatedInstances,
        ],
        [QueryLevel.Image] =
        [
            DicomTag.SOPClassUID, DicomTag.SOPInstanceUID, DicomTag.InstanceAvailability, DicomTag.TimezoneOffsetFromUTC,
            DicomTag.InstanceNumber, DicomTag.Rows, DicomTag.Columns, DicomTag.BitsAllocated, DicomTag.NumberOfFrames,
        ],
    };

    private readonly List<QueryKey> _keys = [];
    private readonly List<DicomTag> _includeFields = [];
    private readonly List<DicomTag> _unsupported = [];

    public IReadOnlyList<QueryKey> Keys => _keys;

    public IReadOnlyList<DicomTag> IncludeFields => _includeFields;

    /// <summary>Keys given a value that the index does not match on (universal matching; QIDO-RS reports them in a Warning).</summary>
    public IReadOnlyList<DicomTag> UnsupportedKeys => _unsupported;

    public bool IncludeAllFields { get; private set; }

    public bool FuzzyMatching { get; private set; }

    public int? Limit { get; private set; }

    public int Offset { get; private set; }

    /// <summary>Parses the pairs; a <see cref="QueryException"/> for an unknown key or a malformed control parameter.</summary>
    public static QueryParameters Parse(IEnumerable<(string Key, string Value)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var result = new QueryParameters();
        foreach (var (rawKey, rawValue) in pairs)
        {
            var key = rawKey.Trim();
            var value = rawValue ?? string.Empty;
            switch (key.ToLowerInvariant())
            {
                case "limit":
                    result.Limit = ParseCount(key, value);
                    continue;
                case "offset":
                    result.Offset = ParseCount(key, value);
                    continue;
                case "fuzzymatching":
                    result.FuzzyMatching = value.Trim().ToLowerInvariant() switch
                    {
                        "true" => true,
                        "false" => false,
                        _ => throw new QueryException($"fuzzymatching must be true or false, not '{value}'."),
                    };
                    continue;
                case "includefield":
                    foreach (var field in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (field.Equals("all", StringComparison.OrdinalIgnoreCase))
                        {
                            result.IncludeAllFields = true;
                        }
                        else
                        {
                            result._includeFields.Add(ParseTag(field.Split('.')[0]));
                        }
                    }

                    continue;
                default:
                    result.AddKey(key, value);
                    continue;
            }
        }

        return result;
    }

    /// <summary>
    /// The query for a QIDO-RS resource: <paramref name="level"/> from the path (studies, series, instances), with the
    /// Study/Series UIDs the path fixes. QIDO-RS is relational (series and instances of all studies), Study Root.
    /// </summary>
    public ArchiveQuery ToQuery(QueryLevel level, string? studyInstanceUid = null, string? seriesInstanceUid = null)
    {
        if (level == QueryLevel.Patient)
        {
            throw new QueryException("QIDO-RS has no patient level.");
        }

        var keys = new List<QueryKey>(_keys);
        if (studyInstanceUid is not null)
        {
            keys.Add(new QueryKey(QueryAttributes.UniqueKey(QueryLevel.Study), studyInstanceUid));
        }

        if (seriesInstanceUid is not null)
        {
            keys.Add(new QueryKey(QueryAttributes.UniqueKey(QueryLevel.Series), seriesInstanceUid));
        }

        var returns = new List<DicomTag>();
        for (var l = QueryLevel.Study; l <= level; l++)
        {
            // Instance and series resources across studies also return the study's keys (PS3.18 10.6.3.3.1).
            if (l == level || (l == QueryLevel.Study && studyInstanceUid is null) || (l == QueryLevel.Series && seriesInstanceUid is null))
            {
                returns.AddRange(DefaultReturnKeys[l]);
            }
        }

        returns.AddRange(_includeFields);
        returns.AddRange(keys.Select(k => k.Attribute.Sequence ?? k.Attribute.Tag));
        returns.AddRange(_unsupported);
        var query = new ArchiveQuery
        {
            Root = QueryRoot.StudyRoot,
            Level = level,
            Relational = true,
            FuzzyMatching = FuzzyMatching,
            MatchingKeys = keys,
            ReturnKeys = returns.Distinct().ToList(),
            UnsupportedMatchingKeys = _unsupported,
            IncludeAllFields = IncludeAllFields,
            Limit = Limit,
            Offset = Offset,
        };
        query.Validate();
        return query;
    }

    private void AddKey(string key, string value)
    {
        var path = key.Split('.');
        if (path.Length > 2)
        {
            throw new QueryException($"'{key}': only one level of sequence matching is supported.");
        }

        var tag = ParseTag(path[0]);
        QueryAttribute? attribute;
        if (path.Length == 2)
        {
            attribute = QueryAttributes.Find(tag, ParseTag(path[1]));
        }
        else
        {
            attribute = QueryAttributes.Find(tag);
        }

        if (attribute is null || attribute.Kind == QueryValueKind.Count)
        {
            if (value.Length > 0)
            {
                _unsupported.Add(tag);
            }
            else
            {
                _includeFields.Add(tag);
            }

            return;
        }

        // QIDO-RS lists UIDs with commas (PS3.18 8.3.4.1); the shared model uses the DICOM backslash.
        if (attribute.Kind is QueryValueKind.Uid or QueryValueKind.ArrayOverlap)
        {
            value = value.Replace(',', '\\');
        }

        if (value.Length == 0)
        {
            _includeFields.Add(attribute.Sequence ?? attribute.Tag);
            return;
        }

        _keys.Add(new QueryKey(attribute, value));
    }

    private static DicomTag ParseTag(string text)
    {
        if (text.Length == 8 && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return DicomTag.FromValue(value);
        }

        if (DicomDictionary.LookupKeyword(text) is { } entry)
        {
            return entry.Tag;
        }

        throw new QueryException($"'{text}' is neither a DICOM keyword nor an eight-digit hexadecimal tag.");
    }

    private static int ParseCount(string key, string value) =>
        int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new QueryException($"{key} must be a non-negative integer, not '{value}'.");
}
