namespace Pacs.Dicom.IO;

/// <summary>Encodes a dataset in one uncompressed encoding (explicit/implicit VR, either byte order) into segments.</summary>
internal sealed class DicomDatasetEncoder(SegmentedOutput output, bool explicitVR, bool bigEndian, DicomWriteOptions options)
{
    private const uint Undefined = 0xFFFFFFFF;

    public void WriteDataset(DicomDataset dataset, bool recalculateGroupLengths = true)
    {
        long groupLengthAt = -1;
        long groupStart = 0;
        var group = -1;
        foreach (var item in dataset)
        {
            if (groupLengthAt >= 0 && item.Tag.Group != group)
            {
                output.PatchUInt32(groupLengthAt, checked((uint)(output.Position - groupStart)), bigEndian);
                groupLengthAt = -1;
            }

            if (item.Tag.IsGroupLength && item is DicomElement gl && item.Tag.Group != 0xFFFE)
            {
                if (options.GroupLengths == DicomGroupLengthHandling.Remove && item.Tag.Group != 0x0002)
                {
                    continue;
                }

                if (recalculateGroupLengths && gl.Length == 4)
                {
                    WriteHeader(item.Tag, DicomVR.UL, 4);
                    groupLengthAt = output.ReserveUInt32();
                    groupStart = output.Position;
                    group = item.Tag.Group;
                    continue;
                }
            }

            WriteItem(item);
        }

        if (groupLengthAt >= 0)
        {
            output.PatchUInt32(groupLengthAt, checked((uint)(output.Position - groupStart)), bigEndian);
        }
    }

    private void WriteItem(DicomItem item)
    {
        switch (item)
        {
            case DicomElement e:
                WriteElement(e);
                break;
            case DicomSequence sq:
                WriteSequence(sq);
                break;
            case DicomFragmentSequence fs:
                WriteFragments(fs);
                break;
            default:
                throw new DicomException($"Cannot encode {item.GetType().Name} {item.Tag}.");
        }
    }

    private void WriteElement(DicomElement element)
    {
        var vr = element.VR == DicomVR.None ? DicomVR.UN : element.VR;
        var length = element.Length;
        var padded = length + (length & 1);
        if (padded > 0xFFFFFFFE)
        {
            throw new DicomException($"The value of {element.Tag} is too long to encode ({length} bytes).");
        }

        if (explicitVR && !DicomVRInfo.Get(vr).Has32BitLength && padded > 0xFFFF)
        {
            // A 16-bit length cannot hold it; UN with a 32-bit length keeps the bytes (as DCMTK does).
            vr = DicomVR.UN;
        }

        WriteHeader(element.Tag, vr, (uint)padded);
        var swap = bigEndian ? ByteSwap.UnitFor(vr == DicomVR.UN ? element.VR : vr) : 1;
        if (element.IsLoaded)
        {
            output.WriteValue(element.Value, swap);
        }
        else
        {
            output.WriteLazy(element.BulkData!, swap);
        }

        if ((length & 1) != 0)
        {
            output.WriteByte(DicomVRInfo.Get(vr).PaddingByte);
        }
    }

    private void WriteSequence(DicomSequence sequence)
    {
        var undefined = options.SequenceLength switch
        {
            DicomSequenceLength.Undefined => true,
            DicomSequenceLength.Defined => false,
            _ => sequence.UndefinedLength,
        };
        WriteTag(sequence.Tag);
        if (explicitVR)
        {
            WriteVR(DicomVR.SQ);
            output.WriteUInt16(0, bigEndian);
        }

        long lengthAt = -1;
        if (undefined)
        {
            output.WriteUInt32(Undefined, bigEndian);
        }
        else
        {
            lengthAt = output.ReserveUInt32();
        }

        var start = output.Position;
        foreach (var item in sequence)
        {
            var undefinedItem = options.SequenceLength switch
            {
                DicomSequenceLength.Undefined => true,
                DicomSequenceLength.Defined => false,
                _ => item.UndefinedItemLength,
            };
            WriteTag(DicomTag.Item);
            if (undefinedItem)
            {
                output.WriteUInt32(Undefined, bigEndian);
                WriteDataset(item);
                WriteTag(DicomTag.ItemDelimitationItem);
                output.WriteUInt32(0, bigEndian);
            }
            else
            {
                var itemLengthAt = output.ReserveUInt32();
                var itemStart = output.Position;
                WriteDataset(item);
                output.PatchUInt32(itemLengthAt, checked((uint)(output.Position - itemStart)), bigEndian);
            }
        }

        if (undefined)
        {
            WriteTag(DicomTag.SequenceDelimitationItem);
            output.WriteUInt32(0, bigEndian);
        }
        else
        {
            output.PatchUInt32(lengthAt, checked((uint)(output.Position - start)), bigEndian);
        }
    }

    private void WriteFragments(DicomFragmentSequence fragments)
    {
        WriteTag(fragments.Tag);
        if (explicitVR)
        {
            WriteVR(fragments.VR == DicomVR.None ? DicomVR.OB : fragments.VR);
            output.WriteUInt16(0, bigEndian);
        }

        output.WriteUInt32(Undefined, bigEndian);
        var table = fragments.BasicOffsetTableBytes;
        WriteTag(DicomTag.Item);
        output.WriteUInt32((uint)table.Length, bigEndian);
        output.WriteValue(table, bigEndian ? 4 : 1);
        foreach (var f in fragments.Fragments)
        {
            var length = f.Length;
            WriteTag(DicomTag.Item);
            output.WriteUInt32(checked((uint)(length + (length & 1))), bigEndian);
            if (f.IsLoaded)
            {
                output.WriteValue(f.Data, 1);
            }
            else
            {
                output.WriteLazy(f.BulkData!, 1);
            }

            if ((length & 1) != 0)
            {
                output.WriteByte(0);
            }
        }

        WriteTag(DicomTag.SequenceDelimitationItem);
        output.WriteUInt32(0, bigEndian);
    }

    private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
    {
        WriteTag(tag);
        if (!explicitVR)
        {
            output.WriteUInt32(length, bigEndian);
            return;
        }

        WriteVR(vr);
        if (DicomVRInfo.Get(vr).Has32BitLength)
        {
            output.WriteUInt16(0, bigEndian);
            output.WriteUInt32(length, bigEndian);
        }
        else
        {
            output.WriteUInt16((ushort)length, bigEndian);
        }
    }

    private void WriteTag(DicomTag tag)
    {
        output.WriteUInt16(tag.Group, bigEndian);
        output.WriteUInt16(tag.Element, bigEndian);
    }

    private void WriteVR(DicomVR vr)
    {
        output.WriteByte((byte)((ushort)vr >> 8));
        output.WriteByte((byte)vr);
    }
}
