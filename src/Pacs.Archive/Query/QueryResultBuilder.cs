using System.Globalization;
using Npgsql;
using Pacs.Dicom;
using Pacs.Dicom.Serialization;

namespace Pacs.Archive.Query;

/// <summary>
/// Builds one response identifier from a result row: Query/Retrieve Level, the unique keys down to the level, every
/// return key (from its column, from sequence columns, else from the instance metadata, else empty), and Specific
/// Character Set ISO_IR 192 only when some text is not ASCII.
/// </summary>
internal static class QueryResultBuilder
{
    private const string Utf8Term = "ISO_IR 192";

    public static DicomDataset Build(ArchiveQuery query, QuerySql sql, NpgsqlDataReader reader, QueryServiceOptions options)
    {
        var result = new DicomDataset();
        result.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, Utf8Term);
        result.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, LevelName(query.Level));

        var sequenceValues = new Dictionary<DicomTag, List<(QueryAttribute Attribute, string[] Values)>>();
        for (var i = 0; i < sql.Columns.Count; i++)
        {
            var attribute = sql.Columns[i];
            if (attribute.Sequence is { } sequence)
            {
                if (!sequenceValues.TryGetValue(sequence, out var list))
                {
                    sequenceValues[sequence] = list = [];
                }

                list.Add((attribute, ReadStrings(reader, i, attribute)));
                continue;
            }

            var vr = VrOf(attribute.Tag);
            if (reader.IsDBNull(i))
            {
                result.AddOrUpdate(new DicomElement(attribute.Tag, vr, ReadOnlyMemory<byte>.Empty));
                continue;
            }

            AddValue(result, attribute, vr, reader, i);
        }

        foreach (var (sequence, values) in sequenceValues)
        {
            result.AddOrUpdate(BuildSequence(sequence, values));
        }

        DicomDataset? metadata = null;
        if (sql.HasMetadata && !reader.IsDBNull(sql.Columns.Count))
        {
            try
            {
                metadata = DicomJson.Deserialize(reader.GetString(sql.Columns.Count));
            }
            catch (DicomException)
            {
                // Metadata is a convenience copy; a document the reader rejects only means those keys come back empty.
                metadata = null;
            }
        }

        foreach (var tag in query.ReturnKeys)
        {
            if (result.Contains(tag))
            {
                continue;
            }

            if (tag == DicomTag.RetrieveAETitle)
            {
                result.AddOrUpdate(DicomTag.RetrieveAETitle, DicomVR.AE, options.RetrieveAeTitle ?? string.Empty);
            }
            else if (tag == DicomTag.InstanceAvailability)
            {
                result.AddOrUpdate(DicomTag.InstanceAvailability, DicomVR.CS, "ONLINE");
            }
            else if (metadata is not null && QueryAttributes.Find(tag) is null && QueryAttributes.InItemsOf(tag).Count == 0 && metadata.TryGetItem(tag, out var item))
            {
                // Text is decoded with the metadata's character set and encoded again as UTF-8 for this response.
                if (item is DicomElement { Length: > 0 } text && DicomVRInfo.Get(text.VR).IsCharacterSetDependent)
                {
                    result.AddOrUpdate(tag, text.VR, metadata.GetString(tag));
                }
                else
                {
                    result.AddOrUpdate(item.Clone());
                }
            }
            else if (DicomDictionary.Lookup(tag) is { DefaultVR: var vr and not DicomVR.None })
            {
                result.AddOrUpdate(vr == DicomVR.SQ ? new DicomSequence(tag) : new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty));
            }
        }

        if (options.RetrieveAeTitle is { Length: > 0 } ae && !result.Contains(DicomTag.RetrieveAETitle))
        {
            result.AddOrUpdate(DicomTag.RetrieveAETitle, DicomVR.AE, ae);
        }

        if (!HasNonAscii(result))
        {
            // ASCII is the same bytes in the default repertoire, so the values already encoded stay valid.
            result.Remove(DicomTag.SpecificCharacterSet);
        }

        return result;
    }

    public static string LevelName(QueryLevel level) => level switch
    {
        QueryLevel.Patient => "PATIENT",
        QueryLevel.Study => "STUDY",
        QueryLevel.Series => "SERIES",
        _ => "IMAGE",
    };

    private static DicomVR VrOf(DicomTag tag) => DicomDictionary.DefaultVR(tag);

    private static void AddValue(DicomDataset result, QueryAttribute attribute, DicomVR vr, NpgsqlDataReader reader, int i)
    {
        var tag = attribute.Tag;
        switch (attribute.Kind)
        {
            case QueryValueKind.Date:
                result.AddOrUpdate(tag, vr, DicomValueFormatter.FormatDate(reader.GetFieldValue<DateOnly>(i)));
                break;
            case QueryValueKind.Time:
                result.AddOrUpdate(tag, vr, DicomValueFormatter.FormatTime(reader.GetFieldValue<TimeOnly>(i)));
                break;
            case QueryValueKind.Integer or QueryValueKind.Count:
                var number = Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
                switch (vr)
                {
                    case DicomVR.US:
                        result.AddOrUpdate(tag, vr, (ushort)number);
                        break;
                    case DicomVR.UL:
                        result.AddOrUpdate(tag, vr, (uint)number);
                        break;
                    default:
                        result.AddOrUpdate(tag, vr, number.ToString(CultureInfo.InvariantCulture));
                        break;
                }

                break;
            case QueryValueKind.Double:
                result.AddOrUpdate(tag, vr, reader.GetDouble(i).ToString(CultureInfo.InvariantCulture));
                break;
            case QueryValueKind.ArrayOverlap or QueryValueKind.TextArray:
                result.AddOrUpdate(tag, vr, string.Join('\\', reader.GetFieldValue<string[]>(i)));
                break;
            default:
                result.AddOrUpdate(tag, vr, reader.GetString(i));
                break;
        }
    }

    private static string[] ReadStrings(NpgsqlDataReader reader, int i, QueryAttribute attribute)
    {
        if (reader.IsDBNull(i))
        {
            return [];
        }

        return attribute.Kind == QueryValueKind.TextArray ? reader.GetFieldValue<string[]>(i) : [reader.GetString(i)];
    }

    /// <summary>Items rebuilt from the columns: item k holds the k-th value of each attribute (the index keeps no more pairing).</summary>
    private static DicomSequence BuildSequence(DicomTag sequence, List<(QueryAttribute Attribute, string[] Values)> values)
    {
        var result = new DicomSequence(sequence);
        var count = values.Max(v => v.Values.Length);
        for (var k = 0; k < count; k++)
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, Utf8Term);
            foreach (var (attribute, list) in values)
            {
                if (k < list.Length)
                {
                    item.AddOrUpdate(attribute.Tag, VrOf(attribute.Tag), list[k]);
                }
            }

            // The item inherits the response's character set; the marker above only made the encoding UTF-8.
            item.Remove(DicomTag.SpecificCharacterSet);
            result.Add(item);
        }

        return result;
    }

    private static bool HasNonAscii(DicomDataset dataset)
    {
        foreach (var item in dataset)
        {
            switch (item)
            {
                case DicomElement element when DicomVRInfo.Get(element.VR).IsCharacterSetDependent:
                    if (element.Value.Span.ContainsAnyExceptInRange((byte)0x00, (byte)0x7F))
                    {
                        return true;
                    }

                    break;
                case DicomSequence sequence:
                    if (sequence.Any(HasNonAscii))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }
}
