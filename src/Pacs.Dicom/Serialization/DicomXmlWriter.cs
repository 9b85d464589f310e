using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Xml;

namespace Pacs.Dicom.Serialization;

/// <summary>
/// Writes datasets in the Native DICOM Model of PS3.19 (the XML of DICOMweb): a <c>NativeDicomModel</c> root holding
/// <c>DicomAttribute</c> elements (tag, vr, keyword, privateCreator) with <c>Value number="n"</c>,
/// <c>PersonName</c> (Alphabetic/Ideographic/Phonetic groups of FamilyName, GivenName, MiddleName, NamePrefix,
/// NameSuffix), <c>Item number="n"</c>, <c>InlineBinary</c> or <c>BulkData uri</c>.
/// <list type="bullet">
/// <item>A private data element's tag is written as gggg00ee with its creator in privateCreator, as PS3.19 asks
/// and DCMTK's dcm2xml does.</item>
/// <item>Values are the text values with non-significant spaces removed; IS/DS keep their text as written.</item>
/// <item>Group length elements are left out, as in DICOM JSON. Characters XML 1.0 cannot carry (control
/// characters left in malformed text) are replaced by U+FFFD so the document stays well-formed.</item>
/// </list>
/// </summary>
public static class DicomXmlWriter
{
    public const string Namespace = "http://dicom.nema.org/PS3.19/models/NativeDICOM";

    public static void Write(XmlWriter writer, DicomDataset dataset, DicomXmlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new DicomXmlOptions();
        var policy = new DicomBulkDataPolicy(options);
        writer.WriteStartDocument();
        writer.WriteStartElement("NativeDicomModel", Namespace);
        writer.WriteAttributeString("xml", "space", null, "preserve");
        WriteAttributes(writer, dataset, options, policy);
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    public static void Write(Stream stream, DicomDataset dataset, DicomXmlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = XmlWriter.Create(stream, Settings(options));
        Write(writer, dataset, options);
    }

    /// <summary>Writes to a stream; the XML is built in memory first, then copied asynchronously.</summary>
    public static async Task WriteAsync(Stream stream, DicomDataset dataset, DicomXmlOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        Write(buffer, dataset, options);
        buffer.Position = 0;
        await buffer.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    public static string ToXml(DicomDataset dataset, DicomXmlOptions? options = null)
    {
        using var buffer = new MemoryStream();
        Write(buffer, dataset, options);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // Carriage returns are written as character references so that parsers, which normalise line ends, give back
    // the text (LT/ST/UT often hold CR LF) unchanged.
    private static XmlWriterSettings Settings(DicomXmlOptions? options) => new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = options?.Indented ?? false,
        NewLineHandling = NewLineHandling.Entitize,
    };

    private static void WriteAttributes(XmlWriter writer, DicomDataset dataset, DicomXmlOptions options, DicomBulkDataPolicy policy)
    {
        foreach (var item in dataset)
        {
            if (item.Tag.IsGroupLength)
            {
                continue;
            }

            writer.WriteStartElement("DicomAttribute", Namespace);
            var tag = item.Tag;
            string? creator = null;
            if (tag.IsPrivate && !tag.IsPrivateCreator && tag.Element > 0x00FF &&
                dataset.TryGetElement(tag.PrivateCreatorTag, out var creatorElement))
            {
                creator = DicomValueCodec.TrimSingle(DicomValueCodec.DecodeText(dataset.CharacterSet, DicomVR.LO, creatorElement.Value.Span), DicomVR.LO);
                tag = new DicomTag(tag.Group, (ushort)(tag.Element & 0x00FF));
            }

            writer.WriteAttributeString("tag", tag.ToHex());
            writer.WriteAttributeString("vr", DicomTextValues.VRName(item.VR));
            if (options.WriteKeywords && !item.Tag.IsPrivate && DicomDictionary.Lookup(item.Tag) is { } entry)
            {
                writer.WriteAttributeString("keyword", entry.Keyword);
            }

            if (creator is not null)
            {
                writer.WriteAttributeString("privateCreator", XmlSafe(creator));
            }

            switch (item)
            {
                case DicomSequence sq:
                    for (var i = 0; i < sq.Count; i++)
                    {
                        writer.WriteStartElement("Item", Namespace);
                        writer.WriteAttributeString("number", Number(i));
                        policy.EnterItem(sq.Tag, i);
                        WriteAttributes(writer, sq[i], options, policy);
                        policy.LeaveItem();
                        writer.WriteEndElement();
                    }

                    break;
                case DicomFragmentSequence fragments:
                    WriteBinary(writer, policy.UriFor(fragments, dataset), () => DicomEncapsulatedValue.Encode(fragments));
                    break;
                case DicomElement element:
                    WriteElement(writer, dataset, element, policy);
                    break;
            }

            writer.WriteEndElement();
        }
    }

    private static void WriteElement(XmlWriter writer, DicomDataset dataset, DicomElement element, DicomBulkDataPolicy policy)
    {
        var uri = policy.UriFor(element, dataset);
        var vr = element.VR;
        if (uri is not null || DicomTextValues.IsInlineBinaryVR(vr) || !DicomVRInfo.IsKnown(vr))
        {
            if (uri is not null || element.Length > 0)
            {
                WriteBinary(writer, uri, () => element.Value.ToArray());
            }

            return;
        }

        if (DicomVRInfo.Get(vr).IsString)
        {
            var values = DicomTextValues.Split(dataset, element);
            if (vr == DicomVR.PN && values.All(v => v is null || IsEmptyName(v)))
            {
                // Names of separators only ("^^^^") are empty values, as in JSON.
                return;
            }

            for (var i = 0; i < values.Length; i++)
            {
                if (vr == DicomVR.PN)
                {
                    WritePersonName(writer, values[i], i);
                }
                else
                {
                    WriteValue(writer, i, values[i]);
                }
            }

            return;
        }

        var bytes = element.Value.Span;
        var unit = DicomVRInfo.Get(vr).UnitSize;
        var count = unit == 0 ? 0 : bytes.Length / unit;
        for (var i = 0; i < count; i++)
        {
            WriteValue(writer, i, FormatBinary(vr, bytes.Slice(i * unit, unit)));
        }
    }

    private static bool IsEmptyName(string value)
    {
        var name = DicomPersonName.Parse(value);
        return name.Alphabetic.IsEmpty && name.Ideographic.IsEmpty && name.Phonetic.IsEmpty;
    }

    private static void WriteBinary(XmlWriter writer, string? uri, Func<byte[]> value)
    {
        if (uri is not null)
        {
            writer.WriteStartElement("BulkData", Namespace);
            writer.WriteAttributeString("uri", XmlSafe(uri));
            writer.WriteEndElement();
            return;
        }

        var bytes = value();
        writer.WriteStartElement("InlineBinary", Namespace);
        writer.WriteBase64(bytes, 0, bytes.Length);
        writer.WriteEndElement();
    }

    private static void WriteValue(XmlWriter writer, int index, string? text)
    {
        writer.WriteStartElement("Value", Namespace);
        writer.WriteAttributeString("number", Number(index));
        if (!string.IsNullOrEmpty(text))
        {
            writer.WriteString(XmlSafe(text));
        }

        writer.WriteEndElement();
    }

    private static void WritePersonName(XmlWriter writer, string? value, int index)
    {
        writer.WriteStartElement("PersonName", Namespace);
        writer.WriteAttributeString("number", Number(index));
        if (value is not null)
        {
            var name = DicomPersonName.Parse(value);
            WriteNameGroup(writer, "Alphabetic", name.Alphabetic);
            WriteNameGroup(writer, "Ideographic", name.Ideographic);
            WriteNameGroup(writer, "Phonetic", name.Phonetic);
        }

        writer.WriteEndElement();
    }

    private static void WriteNameGroup(XmlWriter writer, string groupName, DicomPersonNameGroup group)
    {
        if (group.IsEmpty)
        {
            return;
        }

        writer.WriteStartElement(groupName, Namespace);
        WriteComponent(writer, "FamilyName", group.FamilyName);
        WriteComponent(writer, "GivenName", group.GivenName);
        WriteComponent(writer, "MiddleName", group.MiddleName);
        WriteComponent(writer, "NamePrefix", group.NamePrefix);
        WriteComponent(writer, "NameSuffix", group.NameSuffix);
        writer.WriteEndElement();
    }

    private static void WriteComponent(XmlWriter writer, string name, string value)
    {
        if (value.Length > 0)
        {
            writer.WriteElementString(name, Namespace, XmlSafe(value));
        }
    }

    private static string FormatBinary(DicomVR vr, ReadOnlySpan<byte> v) => vr switch
    {
        DicomVR.US => BinaryPrimitives.ReadUInt16LittleEndian(v).ToString(CultureInfo.InvariantCulture),
        DicomVR.SS => BinaryPrimitives.ReadInt16LittleEndian(v).ToString(CultureInfo.InvariantCulture),
        DicomVR.UL => BinaryPrimitives.ReadUInt32LittleEndian(v).ToString(CultureInfo.InvariantCulture),
        DicomVR.SL => BinaryPrimitives.ReadInt32LittleEndian(v).ToString(CultureInfo.InvariantCulture),
        DicomVR.SV => BinaryPrimitives.ReadInt64LittleEndian(v).ToString(CultureInfo.InvariantCulture),
        DicomVR.UV => BinaryPrimitives.ReadUInt64LittleEndian(v).ToString(CultureInfo.InvariantCulture),
        DicomVR.FL => XmlConvert.ToString(BinaryPrimitives.ReadSingleLittleEndian(v)),
        DicomVR.FD => XmlConvert.ToString(BinaryPrimitives.ReadDoubleLittleEndian(v)),
        DicomVR.AT => new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(v), BinaryPrimitives.ReadUInt16LittleEndian(v[2..])).ToHex(),
        _ => string.Empty,
    };

    private static string Number(int index) => (index + 1).ToString(CultureInfo.InvariantCulture);

    private static string XmlSafe(string text)
    {
        var safe = true;
        foreach (var c in text)
        {
            if (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))
            {
                safe = false;
                break;
            }
        }

        if (safe)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD');
        }

        return builder.ToString();
    }
}
