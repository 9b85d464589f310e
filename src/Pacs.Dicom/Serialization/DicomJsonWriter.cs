using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pacs.Dicom.Serialization;

/// <summary>
/// Writes datasets in the DICOM JSON Model (PS3.18 Annex F).
/// <list type="bullet">
/// <item>Attributes are keyed by 8 uppercase hex digits in ascending order; every attribute has "vr"; an empty value
/// has no "Value"; an empty value among several is null (F.2.5).</item>
/// <item>Group length elements (gggg,0000) are left out (F.2.2). Other elements, group 0002 included, are written as
/// present in the dataset (a DicomFile's Dataset holds no File Meta Information).</item>
/// <item>Specific Character Set (0008,0005) is written as in the dataset: text is Unicode in JSON, and F.2.2 note 3
/// keeps the attribute as a record of the source encoding (DCMTK 3.6.7 rewrites it to ISO_IR 192 instead).</item>
/// <item>IS and DS are JSON numbers when the text is a number (digits kept as written, "+1" → 1, ".5" → 0.5,
/// "1." → 1); otherwise (NaN, "1A", an IS beyond 32 bits) the text is written as a string, as dcm2json does.
/// SV and UV are numbers up to 2^53-1 in magnitude and strings beyond, where JSON numbers lose precision (F.2.3).
/// Non-finite FL/FD values, which JSON numbers cannot hold, are written as the strings "NaN", "Infinity", "-Infinity".</item>
/// <item>OB OD OF OL OV OW UN are base64 "InlineBinary" of the little endian value; encapsulated pixel data is the
/// item stream (offset table and fragments with item headers, no sequence delimiter) as pydicom writes it.</item>
/// </list>
/// </summary>
public static class DicomJsonWriter
{
    private const long MaxSafeInteger = (1L << 53) - 1;

    /// <summary>The writer settings used by the stream and string overloads: UTF-8 without escaping non-ASCII text.</summary>
    public static JsonWriterOptions CreateWriterOptions(DicomJsonOptions? options = null) => new()
    {
        Indented = options?.Indented ?? false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 4096,
    };

    /// <summary>Writes one dataset as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new DicomJsonOptions();
        WriteDataset(writer, dataset, options, new DicomBulkDataPolicy(options));
    }

    /// <summary>Writes datasets as a JSON array (the form of QIDO-RS results and WADO-RS metadata).</summary>
    public static void WriteArray(Utf8JsonWriter writer, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(datasets);
        options ??= new DicomJsonOptions();
        var policy = new DicomBulkDataPolicy(options);
        writer.WriteStartArray();
        foreach (var dataset in datasets)
        {
            WriteDataset(writer, dataset, options, policy);
        }

        writer.WriteEndArray();
    }

    public static void Write(Stream stream, DicomDataset dataset, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new Utf8JsonWriter(stream, CreateWriterOptions(options));
        Write(writer, dataset, options);
    }

    public static void WriteArray(Stream stream, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new Utf8JsonWriter(stream, CreateWriterOptions(options));
        WriteArray(writer, datasets, options);
    }

    /// <summary>Writes one dataset to a stream; values not yet loaded from their source are loaded asynchronously first.</summary>
    public static async Task WriteAsync(Stream stream, DicomDataset dataset, DicomJsonOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new DicomJsonOptions();
        var policy = new DicomBulkDataPolicy(options);
        await PreloadAsync(dataset, policy, cancellationToken).ConfigureAwait(false);
        await using var writer = new Utf8JsonWriter(stream, CreateWriterOptions(options));
        WriteDataset(writer, dataset, options, policy);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams datasets as a JSON array, flushing after each one.</summary>
    public static async Task WriteArrayAsync(Stream stream, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(datasets);
        options ??= new DicomJsonOptions();
        var policy = new DicomBulkDataPolicy(options);
        await using var writer = new Utf8JsonWriter(stream, CreateWriterOptions(options));
        writer.WriteStartArray();
        foreach (var dataset in datasets)
        {
            await PreloadAsync(dataset, policy, cancellationToken).ConfigureAwait(false);
            WriteDataset(writer, dataset, options, policy);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string ToJson(DicomDataset dataset, DicomJsonOptions? options = null)
    {
        using var buffer = new MemoryStream();
        Write(buffer, dataset, options);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static string ToJson(IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        using var buffer = new MemoryStream();
        WriteArray(buffer, datasets, options);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task PreloadAsync(DicomDataset dataset, DicomBulkDataPolicy policy, CancellationToken cancellationToken)
    {
        foreach (var item in dataset)
        {
            switch (item)
            {
                case DicomElement { IsLoaded: false } e when e.BulkData!.Source is not DicomBulkDataUriSource && !policy.MayUseUri(e.VR, e.Length):
                    await e.LoadAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case DicomSequence sq:
                    foreach (var child in sq)
                    {
                        await PreloadAsync(child, policy, cancellationToken).ConfigureAwait(false);
                    }

                    break;
            }
        }
    }

    private static void WriteDataset(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonOptions options, DicomBulkDataPolicy policy)
    {
        writer.WriteStartObject();
        foreach (var item in dataset)
        {
            if (item.Tag.IsGroupLength)
            {
                continue;
            }

            writer.WritePropertyName(item.Tag.ToHex());
            writer.WriteStartObject();
            if (options.WriteKeywords && !item.Tag.IsPrivate && DicomDictionary.Lookup(item.Tag) is { } entry)
            {
                writer.WriteString("keyword", entry.Keyword);
            }

            writer.WriteString("vr", DicomTextValues.VRName(item.VR));
            switch (item)
            {
                case DicomSequence sq:
                    WriteSequence(writer, sq, options, policy);
                    break;
                case DicomFragmentSequence fragments:
                    WriteEncapsulated(writer, dataset, fragments, policy);
                    break;
                case DicomElement element:
                    WriteElement(writer, dataset, element, policy);
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteSequence(Utf8JsonWriter writer, DicomSequence sequence, DicomJsonOptions options, DicomBulkDataPolicy policy)
    {
        if (sequence.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("Value");
        for (var i = 0; i < sequence.Count; i++)
        {
            policy.EnterItem(sequence.Tag, i);
            WriteDataset(writer, sequence[i], options, policy);
            policy.LeaveItem();
        }

        writer.WriteEndArray();
    }

    private static void WriteEncapsulated(Utf8JsonWriter writer, DicomDataset dataset, DicomFragmentSequence fragments, DicomBulkDataPolicy policy)
    {
        var uri = policy.UriFor(fragments, dataset);
        if (uri is not null)
        {
            writer.WriteString("BulkDataURI", uri);
            return;
        }

        writer.WriteBase64String("InlineBinary", DicomEncapsulatedValue.Encode(fragments));
    }

    private static void WriteElement(Utf8JsonWriter writer, DicomDataset dataset, DicomElement element, DicomBulkDataPolicy policy)
    {
        var uri = policy.UriFor(element, dataset);
        if (uri is not null)
        {
            writer.WriteString("BulkDataURI", uri);
            return;
        }

        var vr = element.VR;
        if (DicomTextValues.IsInlineBinaryVR(vr) || !DicomVRInfo.IsKnown(vr))
        {
            if (element.Length > 0)
            {
                writer.WriteBase64String("InlineBinary", element.Value.Span);
            }

            return;
        }

        if (DicomVRInfo.Get(vr).IsString)
        {
            WriteTextValues(writer, dataset, element);
        }
        else
        {
            WriteBinaryValues(writer, element);
        }
    }

    private static void WriteTextValues(Utf8JsonWriter writer, DicomDataset dataset, DicomElement element)
    {
        var values = DicomTextValues.Split(dataset, element);
        if (values.Length == 0)
        {
            return;
        }

        var vr = element.VR;
        if (vr == DicomVR.PN && values.All(v => v is null || IsEmptyName(v)))
        {
            // Names of separators only ("^^^^") are empty values, as DCMTK has them.
            return;
        }

        writer.WriteStartArray("Value");
        foreach (var value in values)
        {
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else if (vr == DicomVR.PN)
            {
                WritePersonName(writer, value);
            }
            else if (vr is DicomVR.IS or DicomVR.DS && DicomTextValues.TryToJsonNumber(value, vr == DicomVR.IS, out var number))
            {
                writer.WriteRawValue(number);
            }
            else
            {
                writer.WriteStringValue(value);
            }
        }

        writer.WriteEndArray();
    }

    private static void WritePersonName(Utf8JsonWriter writer, string value)
    {
        var name = DicomPersonName.Parse(value);
        var alphabetic = name.Alphabetic.ToString();
        var ideographic = name.Ideographic.ToString();
        var phonetic = name.Phonetic.ToString();
        if (alphabetic.Length + ideographic.Length + phonetic.Length == 0)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        if (alphabetic.Length > 0)
        {
            writer.WriteString("Alphabetic", alphabetic);
        }

        if (ideographic.Length > 0)
        {
            writer.WriteString("Ideographic", ideographic);
        }

        if (phonetic.Length > 0)
        {
            writer.WriteString("Phonetic", phonetic);
        }

        writer.WriteEndObject();
    }

    private static bool IsEmptyName(string value)
    {
        var name = DicomPersonName.Parse(value);
        return name.Alphabetic.IsEmpty && name.Ideographic.IsEmpty && name.Phonetic.IsEmpty;
    }

    private static void WriteBinaryValues(Utf8JsonWriter writer, DicomElement element)
    {
        var vr = element.VR;
        var bytes = element.Value.Span;
        var unit = DicomVRInfo.Get(vr).UnitSize;
        var count = unit == 0 ? 0 : bytes.Length / unit;
        if (count == 0)
        {
            return;
        }

        writer.WriteStartArray("Value");
        for (var i = 0; i < count; i++)
        {
            var v = bytes.Slice(i * unit, unit);
            switch (vr)
            {
                case DicomVR.US:
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(v));
                    break;
                case DicomVR.SS:
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(v));
                    break;
                case DicomVR.UL:
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(v));
                    break;
                case DicomVR.SL:
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(v));
                    break;
                case DicomVR.SV:
                    var sv = BinaryPrimitives.ReadInt64LittleEndian(v);
                    if (sv is >= -MaxSafeInteger and <= MaxSafeInteger)
                    {
                        writer.WriteNumberValue(sv);
                    }
                    else
                    {
                        writer.WriteStringValue(sv.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    break;
                case DicomVR.UV:
                    var uv = BinaryPrimitives.ReadUInt64LittleEndian(v);
                    if (uv <= MaxSafeInteger)
                    {
                        writer.WriteNumberValue(uv);
                    }
                    else
                    {
                        writer.WriteStringValue(uv.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    break;
                case DicomVR.FL:
                    var fl = BinaryPrimitives.ReadSingleLittleEndian(v);
                    if (float.IsFinite(fl))
                    {
                        writer.WriteNumberValue(fl);
                    }
                    else
                    {
                        writer.WriteStringValue(NonFiniteName(fl));
                    }

                    break;
                case DicomVR.FD:
                    var fd = BinaryPrimitives.ReadDoubleLittleEndian(v);
                    if (double.IsFinite(fd))
                    {
                        writer.WriteNumberValue(fd);
                    }
                    else
                    {
                        writer.WriteStringValue(NonFiniteName(fd));
                    }

                    break;
                case DicomVR.AT:
                    var tag = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(v), BinaryPrimitives.ReadUInt16LittleEndian(v[2..]));
                    writer.WriteStringValue(tag.ToHex());
                    break;
            }
        }

        writer.WriteEndArray();
    }

    internal static string NonFiniteName(double value) =>
        double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}
