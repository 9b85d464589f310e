using NpgsqlTypes;
using Pacs.Dicom;

namespace Pacs.Archive.Query;

/// <summary>
/// Translates one matching key into a SQL condition on its table's alias. Column names come from
/// <see cref="QueryAttributes"/> only; every value is a parameter. A value that cannot be what the attribute holds (a
/// malformed date, a non-numeric IS, an empty list) matches nothing rather than failing the query.
/// </summary>
internal static class KeyConditions
{
    private const string MatchesNothing = "FALSE";

    /// <summary>The condition, or null for universal matching.</summary>
    public static string? Build(QueryKey key, string alias, SqlParameterList parameters, bool fuzzy)
    {
        var value = key.Value;
        if (MatchPatterns.IsUniversal(value))
        {
            return null;
        }

        var attribute = key.Attribute;
        var column = $"{alias}.{attribute.Column}";
        return attribute.Kind switch
        {
            QueryValueKind.Text => Text(column, value.Trim(), parameters),
            QueryValueKind.PersonName => PersonName(attribute, alias, column, value, parameters, fuzzy),
            QueryValueKind.Uid => Uid(column, value, parameters),
            QueryValueKind.Date => Date(column, value, parameters),
            QueryValueKind.Time => Time(column, value, parameters),
            QueryValueKind.Integer => DicomValueParser.TryParseInteger(value, out var n) && n is >= int.MinValue and <= int.MaxValue
                ? $"{column} = {parameters.Add((int)n, NpgsqlDbType.Integer)}"
                : MatchesNothing,
            QueryValueKind.Double => DicomValueParser.TryParseDecimal(value, out var d)
                ? $"{column} = {parameters.Add((double)d, NpgsqlDbType.Double)}"
                : MatchesNothing,
            QueryValueKind.TextArray => TextArray(column, value.Trim(), parameters),
            QueryValueKind.ArrayOverlap => ArrayOverlap(column, value, parameters),
            _ => null,
        };
    }

    private static string Text(string column, string value, SqlParameterList parameters) =>
        MatchPatterns.HasWildcards(value)
            ? $"{column} LIKE {parameters.Add(MatchPatterns.ToLike(value), NpgsqlDbType.Text)}"
            : $"{column} = {parameters.Add(value, NpgsqlDbType.Text)}";

    /// <summary>
    /// Both sides through <c>pacs_search_key</c> (lower case, no diacritics, <c>^</c>/<c>=</c> as spaces), so
    /// <c>NGUYEN^VAN*</c> is <c>nguyen van%</c> against the stored key <c>nguyen van anh</c>, on the trigram index.
    /// </summary>
    private static string PersonName(QueryAttribute attribute, string alias, string column, string value, SqlParameterList parameters, bool fuzzy)
    {
        var form = MatchPatterns.PersonNameForm(value);
        if (MatchPatterns.IsUniversal(form))
        {
            return "TRUE";
        }

        var key = attribute.SearchKeyColumn is { } keyColumn ? $"{alias}.{keyColumn}" : $"pacs_search_key({column})";
        var wildcards = MatchPatterns.HasWildcards(form);
        var pattern = parameters.Add(wildcards ? MatchPatterns.ToLike(form) : form, NpgsqlDbType.Text);
        var condition = wildcards ? $"{key} LIKE pacs_search_key({pattern})" : $"{key} = pacs_search_key({pattern})";
        if (fuzzy && !wildcards)
        {
            // Word similarity (pg_trgm <%, also served by the trigram index): a misspelt or partial name still matches.
            condition = $"({condition} OR pacs_search_key({pattern}) <% {key})";
        }

        return condition;
    }

    private static string Uid(string column, string value, SqlParameterList parameters)
    {
        var items = MatchPatterns.ListItems(value);
        return items.Length switch
        {
            0 => MatchesNothing,
            1 => $"{column} = {parameters.Add(items[0], NpgsqlDbType.Text)}",
            _ => $"{column} = ANY ({parameters.Add(items, NpgsqlDbType.Array | NpgsqlDbType.Text)})",
        };
    }

    private static string Date(string column, string value, SqlParameterList parameters)
    {
        if (!DicomDateRange.TryParse(value, out var range) || (range.From is null && range.To is null))
        {
            return MatchesNothing;
        }

        if (range.From is { } from && range.To is { } to && from == to)
        {
            return $"{column} = {parameters.Add(from, NpgsqlDbType.Date)}";
        }

        return Between(column, range.From, range.To, NpgsqlDbType.Date, parameters);
    }

    /// <summary>
    /// A time or time range; a bound of reduced precision covers its whole unit, so <c>10</c> is 10:00:00–10:59:59.999999
    /// and <c>1000-1015</c> ends at 10:15:59.999999.
    /// </summary>
    private static string Time(string column, string value, SqlParameterList parameters) =>
        TryParseTimeRange(value, out var from, out var to)
            ? Between(column, from, to, NpgsqlDbType.Time, parameters)
            : MatchesNothing;

    /// <summary>
    /// A TM value or range with its bounds widened to their precision; false when malformed, or inverted unless the range
    /// is the time half of a combined date-time range (an overnight span like 2000-0600 is then meaningful).
    /// </summary>
    public static bool TryParseTimeRange(string value, out TimeOnly? from, out TimeOnly? to, bool allowInverted = false)
    {
        var text = value.Trim();
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        to = null;
        if (dash < 0)
        {
            if (!TryTime(text, upper: false, out from) || !TryTime(text, upper: true, out to) || from is null)
            {
                return false;
            }
        }
        else if (text.Length == 1 || text.IndexOf('-', dash + 1) >= 0
            || !TryTime(text[..dash], upper: false, out from) || !TryTime(text[(dash + 1)..], upper: true, out to))
        {
            from = null;
            return false;
        }

        return allowInverted || from is null || to is null || from <= to;
    }

    /// <summary>
    /// Combined date and time range matching (PS3.4 C.2.2.2.5.1): <c>20200101-20200105</c> with <c>2000-0600</c> is
    /// 2020-01-01 20:00 to 2020-01-05 06:00:59.999999, not two independent ranges. The plain date bounds are kept as well so
    /// the date index still serves it; a missing time counts as midnight.
    /// </summary>
    public static string? CombinedDateTime(QueryKey date, QueryKey time, string alias, SqlParameterList parameters)
    {
        if (MatchPatterns.IsUniversal(date.Value) || MatchPatterns.IsUniversal(time.Value))
        {
            return null;
        }

        if (!DicomDateRange.TryParse(date.Value, out var dates) || (dates.From is null && dates.To is null)
            || !TryParseTimeRange(time.Value, out var fromTime, out var toTime, allowInverted: true))
        {
            return MatchesNothing;
        }

        var dateColumn = $"{alias}.{date.Attribute.Column}";
        var stamp = $"({dateColumn} + coalesce({alias}.{time.Attribute.Column}, time '00:00'))";
        var parts = new List<string> { Between(dateColumn, dates.From, dates.To, NpgsqlDbType.Date, parameters) };
        if (dates.From is { } fromDate)
        {
            parts.Add($"{stamp} >= {parameters.Add(fromDate.ToDateTime(fromTime ?? TimeOnly.MinValue), NpgsqlDbType.Timestamp)}");
        }

        if (dates.To is { } toDate)
        {
            parts.Add($"{stamp} <= {parameters.Add(toDate.ToDateTime(toTime ?? TimeOnly.MaxValue), NpgsqlDbType.Timestamp)}");
        }

        return string.Join(" AND ", parts);
    }

    private static bool TryTime(string text, bool upper, out TimeOnly? time)
    {
        time = null;
        if (text.Length == 0)
        {
            return true;
        }

        if (!DicomValueParser.TryParseTime(text, out var t, out var precision))
        {
            return false;
        }

        if (upper)
        {
            var widen = precision switch
            {
                DicomTimePrecision.Hours => TimeSpan.FromHours(1),
                DicomTimePrecision.Minutes => TimeSpan.FromMinutes(1),
                DicomTimePrecision.Seconds => TimeSpan.FromSeconds(1),
                _ => TimeSpan.FromTicks(10),
            };
            t = t.Add(widen - TimeSpan.FromTicks(10), out var wrapped);
            if (wrapped != 0)
            {
                t = TimeOnly.MaxValue;
            }
        }

        time = t;
        return true;
    }

    private static string Between<T>(string column, T? from, T? to, NpgsqlDbType type, SqlParameterList parameters)
        where T : struct
    {
        var parts = new List<string>(2);
        if (from is { } f)
        {
            parts.Add($"{column} >= {parameters.Add(f, type)}");
        }

        if (to is { } t)
        {
            parts.Add($"{column} <= {parameters.Add(t, type)}");
        }

        return parts.Count == 0 ? MatchesNothing : string.Join(" AND ", parts);
    }

    private static string TextArray(string column, string value, SqlParameterList parameters) =>
        MatchPatterns.HasWildcards(value)
            ? $"EXISTS (SELECT 1 FROM unnest({column}) AS v(x) WHERE v.x LIKE {parameters.Add(MatchPatterns.ToLike(value), NpgsqlDbType.Text)})"
            : $"{column} @> ARRAY[{parameters.Add(value, NpgsqlDbType.Text)}]";

    private static string ArrayOverlap(string column, string value, SqlParameterList parameters)
    {
        var items = MatchPatterns.ListItems(value);
        if (items.Length == 0)
        {
            return MatchesNothing;
        }

        if (items.Any(MatchPatterns.HasWildcards))
        {
            var patterns = items.Select(MatchPatterns.ToLike).ToArray();
            return $"EXISTS (SELECT 1 FROM unnest({column}) AS v(x) WHERE v.x LIKE ANY ({parameters.Add(patterns, NpgsqlDbType.Array | NpgsqlDbType.Text)}))";
        }

        return $"{column} && {parameters.Add(items, NpgsqlDbType.Array | NpgsqlDbType.Text)}";
    }
}
