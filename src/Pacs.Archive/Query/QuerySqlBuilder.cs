using System.Text;
using NpgsqlTypes;
using Pacs.Dicom;

namespace Pacs.Archive.Query;

/// <summary>
/// Turns an <see cref="ArchiveQuery"/> into one parameterised statement: the query level's table joined to its parents by
/// primary key, conditions of keys at or above the level on those joins, keys below it (relational queries) as nested
/// EXISTS on the child tables, so that every key below matches the same series or instance.
/// </summary>
internal static class QuerySqlBuilder
{
    /// <summary>FROM and WHERE (no leading keyword on WHERE; "TRUE" when nothing is matched).</summary>
    public static (string From, string Where) BuildFilter(ArchiveQuery query, SqlParameterList parameters)
    {
        ArgumentNullException.ThrowIfNull(query);
        var byTable = new Dictionary<QueryLevel, List<string>>();
        var combined = query.CombinedDateTimeMatching ? CombinedPairs(query) : [];
        foreach (var key in query.MatchingKeys)
        {
            var table = key.Attribute.Table;
            if (query.LevelOf(table) > query.Level && !query.Relational)
            {
                // Hierarchical queries carry no keys below their level (PS3.4 C.4.1.2.1); ignore rather than refuse.
                continue;
            }

            var keyAlias = QueryAttributes.Sql(table).Alias;
            string? condition;
            if (combined.TryGetValue(key, out var time))
            {
                condition = time is null ? null : KeyConditions.CombinedDateTime(key, time, keyAlias, parameters);
            }
            else
            {
                condition = KeyConditions.Build(key, keyAlias, parameters, query.FuzzyMatching);
            }

            if (condition is null)
            {
                continue;
            }

            if (!byTable.TryGetValue(table, out var list))
            {
                byTable[table] = list = [];
            }

            list.Add(condition);
        }

        var levelTable = query.Level;
        var from = new StringBuilder();
        var (name, alias, _) = QueryAttributes.Sql(levelTable);
        from.Append(name).Append(' ').Append(alias);
        for (var table = levelTable; table > QueryLevel.Patient; table--)
        {
            var (parentName, parentAlias, parentKey) = QueryAttributes.Sql(table - 1);
            from.Append(" JOIN ").Append(parentName).Append(' ').Append(parentAlias)
                .Append(" ON ").Append(parentAlias).Append('.').Append(parentKey)
                .Append(" = ").Append(QueryAttributes.Sql(table).Alias).Append('.').Append(parentKey);
        }

        var where = new List<string>();
        for (var table = QueryLevel.Patient; table <= levelTable; table++)
        {
            if (byTable.TryGetValue(table, out var list))
            {
                where.AddRange(list);
            }
        }

        if (levelTable < QueryLevel.Image && Below(levelTable + 1, byTable) is { } exists)
        {
            where.Add(exists);
        }

        return (from.ToString(), where.Count == 0 ? "TRUE" : string.Join(" AND ", where));
    }

    public static QuerySql BuildSelect(ArchiveQuery query, bool withMetadata)
    {
        var parameters = new SqlParameterList();
        var (from, where) = BuildFilter(query, parameters);
        var columns = SelectedColumns(query);
        var select = new StringBuilder("SELECT ");
        select.AppendJoin(", ", columns.Select(c => $"{QueryAttributes.Sql(c.Table).Alias}.{c.Column}"));
        if (withMetadata)
        {
            select.Append(", ").Append(MetadataExpression(query.Level)).Append("::text");
        }

        var (_, alias, key) = QueryAttributes.Sql(query.Level);
        select.Append(" FROM ").Append(from).Append(" WHERE ").Append(where)
            .Append(" ORDER BY ").Append(alias).Append('.').Append(key);
        if (query.Limit is { } limit)
        {
            select.Append(" LIMIT ").Append(parameters.Add((long)limit, NpgsqlDbType.Bigint));
        }

        if (query.Offset > 0)
        {
            select.Append(" OFFSET ").Append(parameters.Add((long)query.Offset, NpgsqlDbType.Bigint));
        }

        return new QuerySql(select.ToString(), parameters, columns, withMetadata);
    }

    public static QuerySql BuildCount(ArchiveQuery query)
    {
        var parameters = new SqlParameterList();
        var (from, where) = BuildFilter(query, parameters);
        return new QuerySql($"SELECT count(*) FROM {from} WHERE {where}", parameters, [], false);
    }

    /// <summary>The indexed attributes a result needs: unique keys down to the level, then requested ones the joins reach.</summary>
    public static List<QueryAttribute> SelectedColumns(ArchiveQuery query)
    {
        var columns = new List<QueryAttribute>();
        void Add(QueryAttribute a)
        {
            if (!columns.Contains(a))
            {
                columns.Add(a);
            }
        }

        for (var level = query.TopLevel; level <= query.Level; level++)
        {
            Add(QueryAttributes.UniqueKey(level));
        }

        foreach (var tag in query.ReturnKeys)
        {
            if (QueryAttributes.Find(tag) is { } attribute && attribute.Table <= query.Level)
            {
                Add(attribute);
            }

            foreach (var inner in QueryAttributes.InItemsOf(tag).Where(a => a.Table <= query.Level))
            {
                Add(inner);
            }
        }

        if (query.IncludeAllFields)
        {
            for (var table = QueryLevel.Patient; table <= query.Level; table++)
            {
                foreach (var attribute in QueryAttributes.OfTable(table))
                {
                    Add(attribute);
                }
            }
        }

        return columns;
    }

    /// <summary>Whether some return key is neither a column nor a sequence rebuilt from columns: then the metadata is read.</summary>
    /// <remarks>
    /// Indexed attributes of levels below the query's (relational keys) are not read from a representative instance: a
    /// study has many series, so they come back empty rather than with one series' value.
    /// </remarks>
    public static bool NeedsMetadata(ArchiveQuery query) =>
        query.ReturnKeys.Any(tag => !AlwaysReturned.Contains(tag)
            && QueryAttributes.Find(tag) is null
            && QueryAttributes.InItemsOf(tag).Count == 0);

    /// <summary>Date and time attributes that combined date-time matching pairs (same table).</summary>
    private static readonly (DicomTag Date, DicomTag Time)[] DateTimePairs =
    [
        (DicomTag.StudyDate, DicomTag.StudyTime),
        (DicomTag.SeriesDate, DicomTag.SeriesTime),
        (DicomTag.PerformedProcedureStepStartDate, DicomTag.PerformedProcedureStepStartTime),
        (DicomTag.ContentDate, DicomTag.ContentTime),
        (DicomTag.AcquisitionDate, DicomTag.AcquisitionTime),
        (DicomTag.PatientBirthDate, DicomTag.PatientBirthTime),
    ];

    /// <summary>
    /// For combined matching: date key → its time key (the pair becomes one condition), and time key → null (consumed by
    /// its date). Keys without a partner match on their own.
    /// </summary>
    private static Dictionary<QueryKey, QueryKey?> CombinedPairs(ArchiveQuery query)
    {
        var pairs = new Dictionary<QueryKey, QueryKey?>();
        foreach (var (dateTag, timeTag) in DateTimePairs)
        {
            var date = query.MatchingKeys.FirstOrDefault(k => k.Attribute.Sequence is null && k.Attribute.Tag == dateTag);
            var time = query.MatchingKeys.FirstOrDefault(k => k.Attribute.Sequence is null && k.Attribute.Tag == timeTag);
            if (date is not null && time is not null)
            {
                pairs[date] = time;
                pairs[time] = null;
            }
        }

        return pairs;
    }

    /// <summary>Keys the result builder fills without a column.</summary>
    internal static readonly HashSet<DicomTag> AlwaysReturned =
    [
        DicomTag.QueryRetrieveLevel,
        DicomTag.SpecificCharacterSet,
        DicomTag.RetrieveAETitle,
        DicomTag.InstanceAvailability,
    ];

    private static string? Below(QueryLevel table, Dictionary<QueryLevel, List<string>> byTable)
    {
        var conditions = byTable.TryGetValue(table, out var list) ? new List<string>(list) : [];
        if (table < QueryLevel.Image && Below(table + 1, byTable) is { } deeper)
        {
            conditions.Add(deeper);
        }

        if (conditions.Count == 0)
        {
            return null;
        }

        var (name, alias, _) = QueryAttributes.Sql(table);
        var (_, parentAlias, parentKey) = QueryAttributes.Sql(table - 1);
        return $"EXISTS (SELECT 1 FROM {name} {alias} WHERE {alias}.{parentKey} = {parentAlias}.{parentKey} AND {string.Join(" AND ", conditions)})";
    }

    /// <summary>The DICOM JSON of the level's entity: its own for an instance, else that of its first instance.</summary>
    private static string MetadataExpression(QueryLevel level) => level switch
    {
        QueryLevel.Image => "i.metadata",
        QueryLevel.Series => "(SELECT m.metadata FROM instance m WHERE m.series_pk = se.series_pk ORDER BY m.instance_number, m.instance_pk LIMIT 1)",
        QueryLevel.Study => "(SELECT m.metadata FROM series ms JOIN instance m ON m.series_pk = ms.series_pk WHERE ms.study_pk = st.study_pk ORDER BY ms.series_pk, m.instance_number, m.instance_pk LIMIT 1)",
        _ => "(SELECT m.metadata FROM study mt JOIN series ms ON ms.study_pk = mt.study_pk JOIN instance m ON m.series_pk = ms.series_pk WHERE mt.patient_pk = p.patient_pk ORDER BY mt.study_pk, ms.series_pk, m.instance_number, m.instance_pk LIMIT 1)",
    };
}
