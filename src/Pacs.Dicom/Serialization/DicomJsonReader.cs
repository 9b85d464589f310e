using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pacs.Dicom.Text;

namespace Pacs.Dicom.Serialization;

/// <summary>
/// Reads the DICOM JSON Model (PS3.18 Annex F) into datasets. Malformed input of any kind (not JSON, wrong member
/// types, bad tags or VRs, bad base64, numbers that do not fit the VR, nesting deeper than
/// <see cref="DicomJsonReaderOptions.MaxDepth"/>) fails with a <see cref="DicomException"/> and nothing else.
/// <list type="bullet">
/// <item>Text arrives as Unicode, so every text value is stored UTF-8 encoded: a dataset that has (0008,0005) gets
/// "ISO_IR 192" in it, and the top-level dataset gets it added when any character-set dependent value is not ASCII.</item>
/// <item>"InlineBinary" is accepted for any VR but SQ and stored as the raw little endian value. For Pixel Data,
/// bytes that form exactly a chain of items (as <see cref="DicomJsonWriter"/> and pydicom write encapsulated pixel
/// data) become a <see cref="DicomFragmentSequence"/>.</item>
/// <item>"BulkDataURI" is resolved through <see cref="DicomJsonReaderOptions.BulkDataUriResolver"/> when set, and
/// otherwise kept as an unresolved reference (<see cref="DicomBulkDataUriSource"/>).</item>
/// <item>Attribute order is not enforced; tags may be upper or lower case hex; "keyword" members are ignored.</item>
/// </list>
/// </summary>
public static class DicomJsonReader
{
    private static readonly DicomCharacterSet Utf8 = DicomCharacterSet.FromSpecificCharacterSet(["ISO_IR 192"]);

    /// <summary>Reads one dataset from a JSON object.</summary>
    public static DicomDataset Read(string json, DicomJsonReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(Encoding.UTF8.GetBytes(json), options);
    }

    /// <summary>Reads one dataset from UTF-8 JSON.</summary>
    public static DicomDataset Read(ReadOnlyMemory<byte> utf8Json, DicomJsonReaderOptions? options = null)
    {
        options ??= new DicomJsonReaderOptions();
        return Guard(() =>
        {
            using var document = JsonDocument.Parse(utf8Json, DocumentOptions(options));
            return new Session(options).ReadRoot(document.RootElement);
        });
    }

    public static async Task<DicomDataset> ReadAsync(Stream stream, DicomJsonReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new DicomJsonReaderOptions();
        using var document = await ParseAsync(stream, options, cancellationToken).ConfigureAwait(false);
        return Guard(() => new Session(options).ReadRoot(document.RootElement));
    }

    /// <summary>Reads a JSON array of datasets (a QIDO-RS or WADO-RS metadata response).</summary>
    public static IReadOnlyList<DicomDataset> ReadArray(string json, DicomJsonReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ReadArray(Encoding.UTF8.GetBytes(json), options);
    }

    public static IReadOnlyList<DicomDataset> ReadArray(ReadOnlyMemory<byte> utf8Json, DicomJsonReaderOptions? options = null)
    {
        options ??= new DicomJsonReaderOptions();
        return Guard(() =>
        {
            using var document = JsonDocument.Parse(utf8Json, DocumentOptions(options));
            return new Session(options).ReadArray(document.RootElement);
        });
    }

    public static async Task<IReadOnlyList<DicomDataset>> ReadArrayAsync(Stream stream, DicomJsonReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new DicomJsonReaderOptions();
        using var document = await ParseAsync(stream, options, cancellationToken).ConfigureAwait(false);
        return Guard(() => new Session(options).ReadArray(document.RootElement));
    }

    private static async Task<JsonDocument> ParseAsync(Stream stream, DicomJsonReaderOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(stream, DocumentOptions(options), cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new DicomException($"Invalid DICOM JSON: {ex.Message}", ex);
        }
    }

    // Each sequence level costs three JSON levels (item object, attribute object, Value array); PN values and an
    // outer array add one each.
    private static JsonDocumentOptions DocumentOptions(DicomJsonReaderOptions options) => new()
    {
        MaxDepth = checked((Math.Max(options.MaxDepth, 0) * 3) + 5),
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (DicomException)
        {
            throw;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            throw new DicomException($"Invalid DICOM JSON: {ex.Message}", ex);
        }
    }

    /// <summary>State of one read: options and the tag path (for messages and the bulk data resolver).</summary>
    private sealed class Session(DicomJsonReaderOptions options)
    {
        private readonly List<DicomTagPathStep> _path = [];
        private bool _sawNonAsciiText;

        public DicomDataset ReadRoot(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DicomException($"Invalid DICOM JSON: expected an object for a dataset, found {Describe(root)}.");
            }

            return ReadTopLevel(root);
        }

        public IReadOnlyList<DicomDataset> ReadArray(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new DicomException($"Invalid DICOM JSON: expected an array of datasets, found {Describe(root)}.");
            }

            var result = new List<DicomDataset>(root.GetArrayLength());
            var i = 0;
            foreach (var element in root.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw new DicomException($"Invalid DICOM JSON: array entry {i} is {Describe(element)}, not a dataset object.");
                }

                result.Add(ReadTopLevel(element));
                i++;
            }

            return result;
        }

        private DicomDataset ReadTopLevel(JsonElement json)
        {
            _sawNonAsciiText = false;
            var dataset = ReadDataset(json, 0);
            if (_sawNonAsciiText && !dataset.Contains(DicomTag.SpecificCharacterSet))
            {
                dataset.Add(Utf8CharacterSetElement());
            }

            return dataset;
        }

        private DicomDataset ReadDataset(JsonElement json, int depth)
        {
            if (depth > options.MaxDepth)
            {
                throw Error($"the sequence nesting depth exceeds MaxDepth ({options.MaxDepth})");
            }

            var dataset = new DicomDataset();
            foreach (var property in json.EnumerateObject())
            {
                var tag = ParseTag(property.Name);
                if (dataset.Contains(tag))
                {
                    throw Error($"attribute {property.Name} appears twice");
                }

                _path.Add(new DicomTagPathStep(tag, null));
                var item = ReadAttribute(tag, property.Value, depth);
                _path.RemoveAt(_path.Count - 1);
                if (item is not null)
                {
                    dataset.Add(item);
                }
            }

            // The values were stored as UTF-8, whatever character set the source declared (F.2.2 note 3).
            if (dataset.Contains(DicomTag.SpecificCharacterSet))
            {
                dataset.AddOrUpdate(Utf8CharacterSetElement());
            }

            return dataset;
        }

        private static DicomElement Utf8CharacterSetElement() =>
            new(DicomTag.SpecificCharacterSet, DicomVR.CS, Encoding.ASCII.GetBytes("ISO_IR 192"));

        private DicomTag ParseTag(string name)
        {
            if (name.Length != 8 || !uint.TryParse(name, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                throw Error($"'{Shorten(name)}' is not a tag (8 hexadecimal digits)");
            }

            var tag = DicomTag.FromValue(value);
            if (tag.Group == 0xFFFE)
            {
                throw Error($"{name} is an item or delimiter tag, not an attribute");
            }

            return tag;
        }

        private DicomItem? ReadAttribute(DicomTag tag, JsonElement json, int depth)
        {
            if (json.ValueKind != JsonValueKind.Object)
            {
                throw Error($"the attribute is {Describe(json)}, not an object");
            }

            DicomVR? vr = null;
            JsonElement? value = null;
            JsonElement? inline = null;
            JsonElement? uri = null;
            foreach (var member in json.EnumerateObject())
            {
                switch (member.Name)
                {
                    case "vr":
                        vr = ParseVR(member.Value);
                        break;
                    case "Value":
                        value = member.Value;
                        break;
                    case "InlineBinary":
                        inline = member.Value;
                        break;
                    case "BulkDataURI":
                        uri = member.Value;
                        break;
                    case "keyword":
                        break;
                    default:
                        throw Error($"unknown member \"{Shorten(member.Name)}\"");
                }
            }

            if (vr is not { } v)
            {
                throw Error("the attribute has no \"vr\"");
            }

            if ((value.HasValue ? 1 : 0) + (inline.HasValue ? 1 : 0) + (uri.HasValue ? 1 : 0) > 1)
            {
                throw Error("an attribute has at most one of \"Value\", \"InlineBinary\" and \"BulkDataURI\"");
            }

            if (tag.IsGroupLength)
            {
                // F.2.2 excludes group lengths; tolerate them but drop them, as the writers recompute lengths anyway.
                return null;
            }

            if (v == DicomVR.SQ)
            {
                if (inline.HasValue || uri.HasValue)
                {
                    throw Error("a sequence cannot have InlineBinary or BulkDataURI");
                }

                return ReadSequence(tag, value, depth);
            }

            if (inline is { } b)
            {
                return BinaryElement(tag, v, ReadBase64(b));
            }

            if (uri is { } u)
            {
                return ReadBulkDataUri(tag, v, u);
            }

            return new DicomElement(tag, v, value is { } array ? ReadValues(v, array) : ReadOnlyMemory<byte>.Empty);
        }

        private DicomVR ParseVR(JsonElement json)
        {
            if (json.ValueKind != JsonValueKind.String)
            {
                throw Error($"\"vr\" is {Describe(json)}, not a string");
            }

            var text = json.GetString()!;
            if (text.Length != 2 || !DicomVRInfo.TryParse((byte)text[0], (byte)text[1], out var vr) || text[0] > 0x7F || text[1] > 0x7F)
            {
                throw Error($"\"{Shorten(text)}\" is not a value representation");
            }

            return vr;
        }

        private DicomSequence ReadSequence(DicomTag tag, JsonElement? value, int depth)
        {
            var sequence = new DicomSequence(tag);
            if (value is not { } array)
            {
                return sequence;
            }

            RequireArray(array);
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw Error($"sequence item {i} is {Describe(item)}, not an object");
                }

                _path[^1] = new DicomTagPathStep(tag, i);
                sequence.Add(ReadDataset(item, depth + 1));
                i++;
            }

            _path[^1] = new DicomTagPathStep(tag, null);
            return sequence;
        }

        private byte[] ReadBase64(JsonElement json)
        {
            if (json.ValueKind != JsonValueKind.String)
            {
                throw Error($"\"InlineBinary\" is {Describe(json)}, not a base64 string");
            }

            if (!json.TryGetBytesFromBase64(out var bytes))
            {
                throw Error("\"InlineBinary\" is not valid base64");
            }

            return bytes;
        }

        private static DicomItem BinaryElement(DicomTag tag, DicomVR vr, byte[] bytes)
        {
            if (tag == DicomTag.PixelData && vr is DicomVR.OB or DicomVR.OW &&
                DicomEncapsulatedValue.TryDecode(tag, vr, bytes, out var fragments))
            {
                return fragments;
            }

            // Kept exactly, odd lengths included (as the Part 10 reader keeps them); writers pad when encoding.
            return new DicomElement(tag, vr, bytes);
        }

        private DicomItem ReadBulkDataUri(DicomTag tag, DicomVR vr, JsonElement json)
        {
            if (json.ValueKind != JsonValueKind.String || json.GetString() is not { Length: > 0 } uri)
            {
                throw Error($"\"BulkDataURI\" is {Describe(json)}, not a non-empty string");
            }

            if (options.BulkDataUriResolver is { } resolve)
            {
                var bytes = resolve(new DicomBulkDataUriContext(uri, tag, vr, [.. _path]));
                return BinaryElement(tag, vr, bytes.ToArray());
            }

            return new DicomElement(tag, vr, new DicomBulkDataReference(new DicomBulkDataUriSource(uri), 0, 0));
        }

        private ReadOnlyMemory<byte> ReadValues(DicomVR vr, JsonElement array)
        {
            RequireArray(array);
            if (DicomTextValues.IsInlineBinaryVR(vr))
            {
                throw Error($"VR {DicomVRInfo.ToString(vr)} takes \"InlineBinary\" or \"BulkDataURI\", not \"Value\"");
            }

            var info = DicomVRInfo.Get(vr);
            if (info.IsString)
            {
                return ReadTextValues(vr, info, array);
            }

            var count = array.GetArrayLength();
            var bytes = new byte[count * info.UnitSize];
            var i = 0;
            foreach (var entry in array.EnumerateArray())
            {
                WriteBinaryValue(vr, entry, bytes.AsSpan(i * info.UnitSize, info.UnitSize), i);
                i++;
            }

            return bytes;
        }

        private ReadOnlyMemory<byte> ReadTextValues(DicomVR vr, DicomVRInfo info, JsonElement array)
        {
            var values = new List<string>();
            var i = 0;
            foreach (var entry in array.EnumerateArray())
            {
                values.Add(entry.ValueKind switch
                {
                    JsonValueKind.Null => string.Empty,
                    JsonValueKind.Object when vr == DicomVR.PN => ReadPersonName(entry, i),
                    JsonValueKind.String when vr != DicomVR.PN => entry.GetString()!,
                    JsonValueKind.Number when vr == DicomVR.IS => IntegerStringFromJson(entry, i),
                    JsonValueKind.Number when vr == DicomVR.DS => DecimalStringFromJson(entry),
                    _ => throw Error($"value {i} is {Describe(entry)}, which VR {DicomVRInfo.ToString(vr)} cannot hold"),
                });
                i++;
            }

            if (values.Count > 1 && !info.IsMultiValuedString)
            {
                throw Error($"VR {DicomVRInfo.ToString(vr)} holds a single value, not {values.Count}");
            }

            foreach (var v in values)
            {
                if (info.IsMultiValuedString && v.Contains('\\', StringComparison.Ordinal))
                {
                    throw Error("a value contains a backslash, the DICOM value delimiter");
                }
            }

            var text = string.Join('\\', values);
            if (info.IsCharacterSetDependent)
            {
                _sawNonAsciiText |= !Ascii.IsValid(text);
                return DicomValueCodec.EncodeText(Utf8, vr, text);
            }

            // Other text VRs are restricted to the default repertoire; Latin-1 keeps any stray byte as it was read.
            return Latin1OrUtf8(text, info.PaddingByte);
        }

        private string ReadPersonName(JsonElement json, int index)
        {
            string alphabetic = string.Empty, ideographic = string.Empty, phonetic = string.Empty;
            foreach (var member in json.EnumerateObject())
            {
                if (member.Value.ValueKind != JsonValueKind.String)
                {
                    throw Error($"person name {index} component group \"{Shorten(member.Name)}\" is {Describe(member.Value)}, not a string");
                }

                var group = member.Value.GetString()!;
                if (group.Contains('=', StringComparison.Ordinal))
                {
                    throw Error($"person name {index} component group \"{member.Name}\" contains '=', the group delimiter");
                }

                switch (member.Name)
                {
                    case "Alphabetic":
                        alphabetic = group;
                        break;
                    case "Ideographic":
                        ideographic = group;
                        break;
                    case "Phonetic":
                        phonetic = group;
                        break;
                    default:
                        throw Error($"person name {index} has an unknown member \"{Shorten(member.Name)}\"");
                }
            }

            return phonetic.Length > 0 ? $"{alphabetic}={ideographic}={phonetic}"
                : ideographic.Length > 0 ? $"{alphabetic}={ideographic}"
                : alphabetic;
        }

        private string IntegerStringFromJson(JsonElement json, int index)
        {
            long value;
            if (json.TryGetInt64(out var l))
            {
                value = l;
            }
            else if (json.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue)
            {
                value = (long)d;
            }
            else
            {
                throw Error($"IS value {index} ({Shorten(json.GetRawText())}) is not an integer");
            }

            if (value is < int.MinValue or > int.MaxValue)
            {
                throw Error($"IS value {index} ({value}) is outside the range of an Integer String");
            }

            return value.ToString(CultureInfo.InvariantCulture);
        }

        private string DecimalStringFromJson(JsonElement json)
        {
            // The JSON number text is a valid DS as written; only over-long ones (DS holds 16 characters) are reformatted.
            var raw = json.GetRawText();
            if (raw.Length <= 16)
            {
                return raw;
            }

            if (!json.TryGetDouble(out var d) || !double.IsFinite(d))
            {
                throw Error($"DS value {Shorten(raw)} is out of range");
            }

            return DicomValueFormatter.FormatDecimal(d);
        }

        private void WriteBinaryValue(DicomVR vr, JsonElement json, Span<byte> destination, int index)
        {
            switch (vr)
            {
                case DicomVR.US:
                    BinaryPrimitives.WriteUInt16LittleEndian(destination, checked((ushort)Integer(json, index, ushort.MinValue, ushort.MaxValue)));
                    break;
                case DicomVR.SS:
                    BinaryPrimitives.WriteInt16LittleEndian(destination, checked((short)Integer(json, index, short.MinValue, short.MaxValue)));
                    break;
                case DicomVR.UL:
                    BinaryPrimitives.WriteUInt32LittleEndian(destination, checked((uint)Integer(json, index, uint.MinValue, uint.MaxValue)));
                    break;
                case DicomVR.SL:
                    BinaryPrimitives.WriteInt32LittleEndian(destination, checked((int)Integer(json, index, int.MinValue, int.MaxValue)));
                    break;
                case DicomVR.SV:
                    BinaryPrimitives.WriteInt64LittleEndian(destination, checked((long)Integer(json, index, long.MinValue, long.MaxValue)));
                    break;
                case DicomVR.UV:
                    BinaryPrimitives.WriteUInt64LittleEndian(destination, checked((ulong)Integer(json, index, ulong.MinValue, ulong.MaxValue)));
                    break;
                case DicomVR.FL:
                    BinaryPrimitives.WriteSingleLittleEndian(destination, (float)Floating(json, index, single: true));
                    break;
                case DicomVR.FD:
                    BinaryPrimitives.WriteDoubleLittleEndian(destination, Floating(json, index, single: false));
                    break;
                case DicomVR.AT:
                    var tag = json.ValueKind == JsonValueKind.String && json.GetString() is { Length: 8 } s &&
                        uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var t)
                        ? DicomTag.FromValue(t)
                        : throw Error($"AT value {index} is {Describe(json)}, not a tag of 8 hexadecimal digits");
                    BinaryPrimitives.WriteUInt16LittleEndian(destination, tag.Group);
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], tag.Element);
                    break;
                default:
                    throw Error($"VR {DicomVRInfo.ToString(vr)} has no JSON value form");
            }
        }

        // Integers of every binary VR go through Int128 so that the full UV and SV ranges are checked alike;
        // F.2.3 allows strings for SV and UV only (the 64-bit VRs), to keep their precision.
        private Int128 Integer(JsonElement json, int index, Int128 min, Int128 max)
        {
            Int128 value;
            if (json.ValueKind == JsonValueKind.Number)
            {
                if (json.TryGetInt64(out var l))
                {
                    value = l;
                }
                else if (json.TryGetUInt64(out var u))
                {
                    value = u;
                }
                else if (json.TryGetDecimal(out var d) && d == decimal.Truncate(d))
                {
                    value = (Int128)d;
                }
                else
                {
                    throw Error($"value {index} ({Shorten(json.GetRawText())}) is not an integer");
                }
            }
            else if (json.ValueKind == JsonValueKind.String && max > uint.MaxValue && Int128.TryParse(json.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                value = parsed;
            }
            else
            {
                throw Error($"value {index} is {Describe(json)}, not an integer");
            }

            if (value < min || value > max)
            {
                throw Error($"value {index} ({value}) is out of range for the VR");
            }

            return value;
        }

        private double Floating(JsonElement json, int index, bool single)
        {
            if (json.ValueKind == JsonValueKind.Number && json.TryGetDouble(out var d) && double.IsFinite(d))
            {
                if (single && float.IsInfinity((float)d))
                {
                    throw Error($"value {index} ({Shorten(json.GetRawText())}) is out of range for FL");
                }

                return d;
            }

            // The writer's spelling of values JSON numbers cannot hold.
            if (json.ValueKind == JsonValueKind.String)
            {
                switch (json.GetString())
                {
                    case "NaN":
                        return double.NaN;
                    case "Infinity":
                        return double.PositiveInfinity;
                    case "-Infinity":
                        return double.NegativeInfinity;
                }
            }

            throw Error($"value {index} is {Describe(json)}, not a floating point number");
        }

        private void RequireArray(JsonElement json)
        {
            if (json.ValueKind != JsonValueKind.Array)
            {
                throw Error($"\"Value\" is {Describe(json)}, not an array");
            }
        }

        private DicomException Error(string message)
        {
            var where = _path.Count == 0 ? string.Empty : $" at {string.Join('.', _path)}";
            return new DicomException($"Invalid DICOM JSON{where}: {message}.");
        }

        private static byte[] Latin1OrUtf8(string text, byte padding)
        {
            var bytes = text.All(c => c <= '\u00FF') ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text);
            return PadToEven(bytes, padding);
        }

        private static byte[] PadToEven(byte[] bytes, byte padding)
        {
            if ((bytes.Length & 1) == 0)
            {
                return bytes;
            }

            var padded = new byte[bytes.Length + 1];
            bytes.CopyTo(padded, 0);
            padded[^1] = padding;
            return padded;
        }

        private static string Describe(JsonElement json) => json.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => $"the string \"{Shorten(json.GetString()!)}\"",
            JsonValueKind.Number => $"the number {Shorten(json.GetRawText())}",
            JsonValueKind.True or JsonValueKind.False => json.GetRawText(),
            JsonValueKind.Null => "null",
            _ => json.ValueKind.ToString(),
        };

        private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
    }
}
