using System.Buffers.Binary;
using System.Text;

namespace Pacs.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE command set: the group 0000 elements of one message (PS3.7 E.1), always encoded implicit VR little
/// endian. Kept apart from the general dataset model because the command group is small and fixed, and a strict
/// decoder for it is part of the network's defences.
/// </summary>
public sealed partial class DicomCommand
{
    /// <summary>Command Data Set Type (0000,0800) meaning "no dataset follows".</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>A value to put in Command Data Set Type when a dataset follows (any other value than 0x0101).</summary>
    public const ushort DataSetPresent = 0x0000;

    private readonly SortedDictionary<ushort, byte[]> _elements = [];

    public DicomCommandField CommandField
    {
        get => (DicomCommandField)GetUInt16(CommandElement.CommandField);
        set => SetUInt16(CommandElement.CommandField, (ushort)value);
    }

    public bool IsRequest => ((ushort)CommandField & 0x8000) == 0;

    public ushort MessageID
    {
        get => GetUInt16(CommandElement.MessageID);
        set => SetUInt16(CommandElement.MessageID, value);
    }

    public ushort MessageIDBeingRespondedTo
    {
        get => GetUInt16(CommandElement.MessageIDBeingRespondedTo);
        set => SetUInt16(CommandElement.MessageIDBeingRespondedTo, value);
    }

    public string? AffectedSOPClassUID
    {
        get => GetString(CommandElement.AffectedSOPClassUID);
        set => SetString(CommandElement.AffectedSOPClassUID, value, 0);
    }

    public string? RequestedSOPClassUID
    {
        get => GetString(CommandElement.RequestedSOPClassUID);
        set => SetString(CommandElement.RequestedSOPClassUID, value, 0);
    }

    public string? AffectedSOPInstanceUID
    {
        get => GetString(CommandElement.AffectedSOPInstanceUID);
        set => SetString(CommandElement.AffectedSOPInstanceUID, value, 0);
    }

    public string? RequestedSOPInstanceUID
    {
        get => GetString(CommandElement.RequestedSOPInstanceUID);
        set => SetString(CommandElement.RequestedSOPInstanceUID, value, 0);
    }

    public DicomPriority Priority
    {
        get => (DicomPriority)GetUInt16(CommandElement.Priority);
        set => SetUInt16(CommandElement.Priority, (ushort)value);
    }

    public bool HasDataSet
    {
        get => GetUInt16(CommandElement.CommandDataSetType, NoDataSet) != NoDataSet;
        set => SetUInt16(CommandElement.CommandDataSetType, value ? DataSetPresent : NoDataSet);
    }

    public DicomStatus Status
    {
        get => new(GetUInt16(CommandElement.Status));
        set => SetUInt16(CommandElement.Status, value.Code);
    }

    public string? ErrorComment
    {
        get => GetString(CommandElement.ErrorComment);
        set => SetString(CommandElement.ErrorComment, value is { Length: > 64 } ? value[..64] : value, (byte)' ');
    }

    public ushort? ErrorID
    {
        get => GetOptionalUInt16(CommandElement.ErrorID);
        set => SetOptionalUInt16(CommandElement.ErrorID, value);
    }

    public IReadOnlyList<DicomTag> OffendingElements
    {
        get => GetTags(CommandElement.OffendingElement);
        set => SetTags(CommandElement.OffendingElement, value);
    }

    public IReadOnlyList<DicomTag> AttributeIdentifierList
    {
        get => GetTags(CommandElement.AttributeIdentifierList);
        set => SetTags(CommandElement.AttributeIdentifierList, value);
    }

    public string? MoveDestination
    {
        get => GetString(CommandElement.MoveDestination);
        set => SetString(CommandElement.MoveDestination, value, (byte)' ');
    }

    public string? MoveOriginatorApplicationEntityTitle
    {
        get => GetString(CommandElement.MoveOriginatorApplicationEntityTitle);
        set => SetString(CommandElement.MoveOriginatorApplicationEntityTitle, value, (byte)' ');
    }

    public ushort? MoveOriginatorMessageID
    {
        get => GetOptionalUInt16(CommandElement.MoveOriginatorMessageID);
        set => SetOptionalUInt16(CommandElement.MoveOriginatorMessageID, value);
    }

    public ushort? EventTypeID
    {
        get => GetOptionalUInt16(CommandElement.EventTypeID);
        set => SetOptionalUInt16(CommandElement.EventTypeID, value);
    }

    public ushort? ActionTypeID
    {
        get => GetOptionalUInt16(CommandElement.ActionTypeID);
        set => SetOptionalUInt16(CommandElement.ActionTypeID, value);
    }

    public ushort? NumberOfRemainingSuboperations
    {
        get => GetOptionalUInt16(CommandElement.NumberOfRemainingSuboperations);
        set => SetOptionalUInt16(CommandElement.NumberOfRemainingSuboperations, value);
    }

    public ushort? NumberOfCompletedSuboperations
    {
        get => GetOptionalUInt16(CommandElement.NumberOfCompletedSuboperations);
        set => SetOptionalUInt16(CommandElement.NumberOfCompletedSuboperations, value);
    }

    public ushort? NumberOfFailedSuboperations
    {
        get => GetOptionalUInt16(CommandElement.NumberOfFailedSuboperations);
        set => SetOptionalUInt16(CommandElement.NumberOfFailedSuboperations, value);
    }

    public ushort? NumberOfWarningSuboperations
    {
        get => GetOptionalUInt16(CommandElement.NumberOfWarningSuboperations);
        set => SetOptionalUInt16(CommandElement.NumberOfWarningSuboperations, value);
    }

    /// <summary>The SOP class a request or response is about: Affected, else Requested (N-GET/N-SET/N-ACTION/N-DELETE requests).</summary>
    public string? SopClassUid => AffectedSOPClassUID ?? RequestedSOPClassUID;

    /// <summary>The SOP instance a request or response is about: Affected, else Requested.</summary>
    public string? SopInstanceUid => AffectedSOPInstanceUID ?? RequestedSOPInstanceUID;

    public bool Contains(ushort element) => _elements.ContainsKey(element);

    public void Remove(ushort element) => _elements.Remove(element);

    /// <summary>Encodes as implicit VR little endian with a correct Command Group Length first (PS3.7 6.3.1).</summary>
    public byte[] Encode()
    {
        var bodyLength = 0;
        foreach (var (element, value) in _elements)
        {
            if (element != CommandElement.CommandGroupLength)
            {
                bodyLength += 8 + value.Length;
            }
        }

        var bytes = new byte[12 + bodyLength];
        var span = bytes.AsSpan();
        WriteHeader(span, CommandElement.CommandGroupLength, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)bodyLength);
        var offset = 12;
        foreach (var (element, value) in _elements)
        {
            if (element == CommandElement.CommandGroupLength)
            {
                continue;
            }

            WriteHeader(span[offset..], element, value.Length);
            value.CopyTo(span[(offset + 8)..]);
            offset += 8 + value.Length;
        }

        return bytes;
    }

    /// <summary>
    /// Decodes a command set. Every element must be in group 0000, fit in the buffer and have a length its VR
    /// allows; the mandatory Command Field must be present.
    /// </summary>
    public static DicomCommand Decode(ReadOnlySpan<byte> bytes)
    {
        var command = new DicomCommand();
        var offset = 0;
        var previous = -1;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 8)
            {
                throw new DicomException($"Command set truncated in an element header at offset {offset}.");
            }

            var group = BinaryPrimitives.ReadUInt16LittleEndian(bytes[offset..]);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(offset + 2)..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(offset + 4)..]);
            offset += 8;
            if (group != 0x0000)
            {
                throw new DicomException($"Command set holds element ({group:X4},{element:X4}) outside group 0000.");
            }

            if (element <= previous)
            {
                throw new DicomException($"Command set elements are not in ascending order at (0000,{element:X4}).");
            }

            if (length > (uint)(bytes.Length - offset))
            {
                throw new DicomException($"Command element (0000,{element:X4}) length {length} runs past the command set.");
            }

            var value = bytes.Slice(offset, (int)length);
            CheckLength(element, value.Length);
            command._elements[element] = value.ToArray();
            offset += (int)length;
            previous = element;
        }

        if (!command.Contains(CommandElement.CommandField))
        {
            throw new DicomException("Command set has no Command Field (0000,0100).");
        }

        return command;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CommandField).Append(" id=").Append(IsRequest ? MessageID : MessageIDBeingRespondedTo);
        if (!IsRequest)
        {
            text.Append(" status=").Append(Status);
        }

        if (SopClassUid is { } sop)
        {
            text.Append(" sop=").Append(sop);
        }

        return text.ToString();
    }

    internal ushort GetUInt16(ushort element, ushort defaultValue = 0) =>
        _elements.TryGetValue(element, out var v) ? BinaryPrimitives.ReadUInt16LittleEndian(v) : defaultValue;

    internal void SetUInt16(ushort element, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        _elements[element] = bytes;
    }

    private static void CheckLength(ushort element, int length)
    {
        var ok = CommandElement.KindOf(element) switch
        {
            CommandValueKind.UL => length == 4,
            CommandValueKind.US => length == 2,
            CommandValueKind.AT => length % 4 == 0,
            CommandValueKind.UI => length <= 64,
            CommandValueKind.AE => length <= 16,
            CommandValueKind.LO => length <= 64,
            _ => true,
        };
        if (!ok)
        {
            throw new DicomException($"Command element (0000,{element:X4}) has invalid length {length}.");
        }
    }

    private static void WriteHeader(Span<byte> span, ushort element, int length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, 0x0000);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], element);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)length);
    }

    private ushort? GetOptionalUInt16(ushort element) => Contains(element) ? GetUInt16(element) : null;

    private void SetOptionalUInt16(ushort element, ushort? value)
    {
        if (value is { } v)
        {
            SetUInt16(element, v);
        }
        else
        {
            _elements.Remove(element);
        }
    }

    private string? GetString(ushort element) =>
        _elements.TryGetValue(element, out var v) ? Encoding.ASCII.GetString(v).TrimEnd('\0', ' ') : null;

    /// <summary>Strings are padded to even length: UIDs with NUL, AE/LO with space (PS3.5 6.2).</summary>
    private void SetString(ushort element, string? value, byte padding)
    {
        if (value is null)
        {
            _elements.Remove(element);
            return;
        }

        var length = Encoding.ASCII.GetByteCount(value);
        var bytes = new byte[length + (length & 1)];
        Encoding.ASCII.GetBytes(value, bytes);
        if ((length & 1) != 0)
        {
            bytes[^1] = padding;
        }

        _elements[element] = bytes;
    }

    private DicomTag[] GetTags(ushort element)
    {
        if (!_elements.TryGetValue(element, out var v))
        {
            return [];
        }

        var tags = new DicomTag[v.Length / 4];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(v.AsSpan(i * 4)), BinaryPrimitives.ReadUInt16LittleEndian(v.AsSpan((i * 4) + 2)));
        }

        return tags;
    }

    private void SetTags(ushort element, IReadOnlyList<DicomTag> tags)
    {
        if (tags.Count == 0)
        {
            _elements.Remove(element);
            return;
        }

        var bytes = new byte[tags.Count * 4];
        for (var i = 0; i < tags.Count; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), tags[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((i * 4) + 2), tags[i].Element);
        }

        _elements[element] = bytes;
    }
}
