using System.Globalization;
using System.Text;
using Pacs.Dicom;
using Pacs.Dicom.Text;

namespace Pacs.Cli.Commands.Files;

/// <summary>
/// Renders a dataset the way dcmdump does, one element a line: tag, VR, value, then length, VM and keyword
/// after '#'. Long values are cut so that a listing stays readable; sequences and fragments are indented.
/// </summary>
internal sealed class DatasetDumper(TextWriter output, int maxValueLength = 64)
{
    private const int MaxNumbersShown = 16;
    private const int MaxBytesShown = 16;

    public void Dump(DicomDataset dataset, int depth = 0)
    {
        foreach (var item in dataset)
        {
            switch (item)
            {
                case DicomSequence sequence:
                    DumpSequence(sequence, depth);
                    break;
                case DicomFragmentSequence fragments:
                    DumpFragments(fragments, depth);
                    break;
                case DicomElement element:
                    Line(depth, element.Tag, element.VR, RenderValue(dataset, element), element.Length, ValueMultiplicity(dataset, element));
                    break;
            }
        }
    }

    private void DumpSequence(DicomSequence sequence, int depth)
    {
        var form = sequence.UndefinedLength ? "undefined length" : "explicit length";
        Line(depth, sequence.Tag, DicomVR.SQ, $"(Sequence with {form} #={sequence.Count})", sequence.UndefinedLength ? null : DefinedLength, 1);
        foreach (var item in sequence.Items)
        {
            var itemForm = item.UndefinedItemLength ? "undefined length" : "explicit length";
            Line(depth + 1, DicomTag.Item, DicomVR.None, $"(Item with {itemForm} #={item.Count})", item.UndefinedItemLength ? null : DefinedLength, 1);
            Dump(item, depth + 2);
            // Like dcmdump, delimiters are listed for explicit lengths too, marked as not present in the encoding.
            Line(depth + 1, DicomTag.ItemDelimitationItem, DicomVR.None, item.UndefinedItemLength ? "(ItemDelimitationItem)" : "(ItemDelimitationItem for re-encoding)", 0, 0);
        }

        Line(depth, DicomTag.SequenceDelimitationItem, DicomVR.None, sequence.UndefinedLength ? "(SequenceDelimitationItem)" : "(SequenceDelimitationItem for re-encoding)", 0, 0);
    }

    private void DumpFragments(DicomFragmentSequence fragments, int depth)
    {
        Line(depth, fragments.Tag, fragments.VR, $"(PixelSequence #={fragments.Fragments.Count + 1})", null, 1);
        Line(depth + 1, DicomTag.Item, DicomVR.None, Hex(fragments.BasicOffsetTableBytes.Span, "offset table"), fragments.BasicOffsetTableBytes.Length, 1);
        foreach (var fragment in fragments.Fragments)
        {
            var value = fragment.IsLoaded ? Hex(fragment.Data.Span, "fragment") : $"(fragment not loaded, {fragment.Length} bytes)";
            Line(depth + 1, DicomTag.Item, DicomVR.None, value, fragment.Length, 1);
        }

        Line(depth, DicomTag.SequenceDelimitationItem, DicomVR.None, "(SequenceDelimitationItem)", 0, 0);
    }

    // The model keeps the length form of sequences and items but not the byte count, so defined lengths show as "def".
    private const long DefinedLength = -1;

    private void Line(int depth, DicomTag tag, DicomVR vr, string value, long? length, int vm)
    {
        var left = new StringBuilder();
        left.Append(' ', depth * 2).Append(tag.ToString().ToLowerInvariant()).Append(' ')
            .Append(vr == DicomVR.None ? "na" : DicomVRInfo.ToString(vr)).Append(' ').Append(value);
        var pad = Math.Max(1, 56 - left.Length);
        left.Append(' ', pad).Append("# ");
        left.Append(length switch
        {
            null => "u/l",
            DefinedLength => "def",
            _ => length.Value.ToString(CultureInfo.InvariantCulture).PadLeft(3),
        });
        left.Append(", ").Append(vm.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Keyword(tag));
        output.WriteLine(left.ToString());
    }

    private static string Keyword(DicomTag tag)
    {
        if (tag == DicomTag.Item)
        {
            return "Item";
        }

        return tag.IsPrivate && !tag.IsPrivateCreator ? "PrivateTag" : DicomDictionary.KeywordOf(tag);
    }

    private string RenderValue(DicomDataset dataset, DicomElement element)
    {
        if (!element.IsLoaded)
        {
            return $"(not loaded, {element.Length} bytes)";
        }

        if (element.Length == 0)
        {
            return "(no value available)";
        }

        try
        {
            var info = DicomVRInfo.Get(element.VR);
            if (info.IsString)
            {
                return Cut("[" + dataset.GetString(element.Tag) + "]");
            }

            return element.VR switch
            {
                DicomVR.US => Numbers<ushort>(dataset, element),
                DicomVR.SS => Numbers<short>(dataset, element),
                DicomVR.UL => Numbers<uint>(dataset, element),
                DicomVR.SL => Numbers<int>(dataset, element),
                DicomVR.UV => Numbers<ulong>(dataset, element),
                DicomVR.SV => Numbers<long>(dataset, element),
                DicomVR.FL => Numbers<float>(dataset, element),
                DicomVR.FD => Numbers<double>(dataset, element),
                DicomVR.AT => Numbers<DicomTag>(dataset, element),
                _ => Hex(element.Value.Span, null),
            };
        }
        catch (DicomException ex)
        {
            return $"(unreadable value: {ex.Message})";
        }
    }

    private string Numbers<T>(DicomDataset dataset, DicomElement element)
    {
        var values = dataset.GetValues<T>(element.Tag);
        var shown = values.Take(MaxNumbersShown).Select(v => v switch
        {
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v?.ToString() ?? string.Empty,
        });
        var text = string.Join('\\', shown);
        return values.Length > MaxNumbersShown ? text + "..." : Cut(text);
    }

    private static string Hex(ReadOnlySpan<byte> bytes, string? emptyLabel)
    {
        if (bytes.IsEmpty)
        {
            return emptyLabel is null ? "(no value available)" : $"(no {emptyLabel})";
        }

        var shown = Convert.ToHexString(bytes[..Math.Min(bytes.Length, MaxBytesShown)]).ToLowerInvariant();
        var sb = new StringBuilder();
        for (var i = 0; i < shown.Length; i += 2)
        {
            if (i > 0)
            {
                sb.Append('\\');
            }

            sb.Append(shown, i, 2);
        }

        return bytes.Length > MaxBytesShown ? sb.Append("...").ToString() : sb.ToString();
    }

    private static int ValueMultiplicity(DicomDataset dataset, DicomElement element)
    {
        var info = DicomVRInfo.Get(element.VR);
        if (!element.IsLoaded || (!info.IsString && info.UnitSize <= 1) || element.VR is DicomVR.OW or DicomVR.OF or DicomVR.OD or DicomVR.OL or DicomVR.OV)
        {
            return 1;
        }

        try
        {
            return dataset.GetValueCount(element.Tag);
        }
        catch (DicomException)
        {
            return 1;
        }
    }

    private string Cut(string text) => text.Length <= maxValueLength ? text : string.Concat(text.AsSpan(0, maxValueLength), "...");

    public static string CharacterSetLabel(DicomCharacterSet set) => set.Terms.Count == 0 ? "ISO_IR 6 (default)" : set.ToString();
}
