using System.Buffers.Binary;
using System.Text;
using Pacs.Dicom.Text;

namespace Pacs.Dicom;

/// <summary>Conversions between element value bytes (little endian) and .NET values.</summary>
internal static class DicomValueCodec
{
    public static string DecodeAscii(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>The whole value as text, through the character set for the VRs that depend on it.</summary>
    public static string DecodeText(DicomCharacterSet? characterSet, DicomVR vr, ReadOnlySpan<byte> bytes)
    {
        if (characterSet is not null && DicomVRInfo.Get(vr).IsCharacterSetDependent)
        {
            return characterSet.Decode(bytes, vr == DicomVR.PN ? DicomTextKind.PersonName : DicomTextKind.Text);
        }

        return Encoding.Latin1.GetString(bytes);
    }

    /// <summary>Removes the padding of a whole value: trailing spaces and NULs (UI pads with NUL; some writers do too elsewhere).</summary>
    public static string TrimValue(string text, DicomVR vr)
    {
        _ = vr;
        return text.TrimEnd(' ', '\0');
    }

    /// <summary>Trims one of several values: leading spaces are non-significant except in the free-text VRs.</summary>
    public static string TrimSingle(string text, DicomVR vr) => vr switch
    {
        DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UC or DicomVR.PN or DicomVR.UR => text.TrimEnd(' ', '\0'),
        _ => text.Trim(' ', '\0'),
    };

    public static byte[] EncodeText(DicomCharacterSet characterSet, DicomVR vr, string text)
    {
        var info = DicomVRInfo.Get(vr);
        byte[] bytes = info.IsCharacterSetDependent
            ? characterSet.Encode(text, vr == DicomVR.PN ? DicomTextKind.PersonName : DicomTextKind.Text)
            : Encoding.Latin1.GetBytes(text);
        if ((bytes.Length & 1) == 0)
        {
            return bytes;
        }

        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = info.PaddingByte;
        return padded;
    }

    /// <summary>Number of binary values of this VR in <paramref name="length"/> bytes.</summary>
    public static int BinaryCount(DicomVR vr, int length)
    {
        var unit = DicomVRInfo.Get(vr).UnitSize;
        return unit <= 0 ? 0 : length / unit;
    }

    /// <summary>Reads value <paramref name="index"/> of a binary integer VR as a 64-bit integer.</summary>
    public static bool TryReadInteger(DicomVR vr, ReadOnlySpan<byte> v, int index, out long value, out ulong unsignedValue)
    {
        value = 0;
        unsignedValue = 0;
        switch (vr)
        {
            case DicomVR.US or DicomVR.OW when v.Length >= (index + 1) * 2:
                value = BinaryPrimitives.ReadUInt16LittleEndian(v[(index * 2)..]);
                break;
            case DicomVR.SS when v.Length >= (index + 1) * 2:
                value = BinaryPrimitives.ReadInt16LittleEndian(v[(index * 2)..]);
                break;
            case DicomVR.UL or DicomVR.OL when v.Length >= (index + 1) * 4:
                value = BinaryPrimitives.ReadUInt32LittleEndian(v[(index * 4)..]);
                break;
            case DicomVR.SL when v.Length >= (index + 1) * 4:
                value = BinaryPrimitives.ReadInt32LittleEndian(v[(index * 4)..]);
                break;
            case DicomVR.SV when v.Length >= (index + 1) * 8:
                value = BinaryPrimitives.ReadInt64LittleEndian(v[(index * 8)..]);
                break;
            case DicomVR.UV or DicomVR.OV when v.Length >= (index + 1) * 8:
                unsignedValue = BinaryPrimitives.ReadUInt64LittleEndian(v[(index * 8)..]);
                value = unchecked((long)unsignedValue);
                return true;
            case DicomVR.OB or DicomVR.UN when v.Length > index:
                value = v[index];
                break;
            default:
                return false;
        }

        unsignedValue = unchecked((ulong)value);
        return true;
    }

    public static bool TryReadFloat(DicomVR vr, ReadOnlySpan<byte> v, int index, out double value)
    {
        value = 0;
        switch (vr)
        {
            case DicomVR.FL or DicomVR.OF when v.Length >= (index + 1) * 4:
                value = BinaryPrimitives.ReadSingleLittleEndian(v[(index * 4)..]);
                return true;
            case DicomVR.FD or DicomVR.OD when v.Length >= (index + 1) * 8:
                value = BinaryPrimitives.ReadDoubleLittleEndian(v[(index * 8)..]);
                return true;
            default:
                return false;
        }
    }

    public static bool TryReadTag(ReadOnlySpan<byte> v, int index, out DicomTag tag)
    {
        tag = default;
        if (v.Length < (index + 1) * 4)
        {
            return false;
        }

        tag = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(v[(index * 4)..]), BinaryPrimitives.ReadUInt16LittleEndian(v[((index * 4) + 2)..]));
        return true;
    }

    /// <summary>Encodes numbers as the binary VR; a DicomException when a value does not fit.</summary>
    public static byte[] EncodeNumbers(DicomVR vr, IReadOnlyList<double> doubles, IReadOnlyList<long>? longs, IReadOnlyList<ulong>? ulongs)
    {
        var unit = DicomVRInfo.Get(vr).UnitSize;
        var count = doubles.Count;
        var bytes = new byte[unit * count];
        var span = bytes.AsSpan();
        for (var i = 0; i < count; i++)
        {
            var d = doubles[i];
            var l = longs is not null ? longs[i] : (long)d;
            var o = span[(i * unit)..];
            switch (vr)
            {
                case DicomVR.US or DicomVR.OW:
                    BinaryPrimitives.WriteUInt16LittleEndian(o, checked((ushort)l));
                    break;
                case DicomVR.SS:
                    BinaryPrimitives.WriteInt16LittleEndian(o, checked((short)l));
                    break;
                case DicomVR.UL or DicomVR.OL:
                    BinaryPrimitives.WriteUInt32LittleEndian(o, checked((uint)l));
                    break;
                case DicomVR.SL:
                    BinaryPrimitives.WriteInt32LittleEndian(o, checked((int)l));
                    break;
                case DicomVR.SV:
                    BinaryPrimitives.WriteInt64LittleEndian(o, l);
                    break;
                case DicomVR.UV or DicomVR.OV:
                    BinaryPrimitives.WriteUInt64LittleEndian(o, ulongs is not null ? ulongs[i] : checked((ulong)l));
                    break;
                case DicomVR.FL or DicomVR.OF:
                    BinaryPrimitives.WriteSingleLittleEndian(o, (float)d);
                    break;
                case DicomVR.FD or DicomVR.OD:
                    BinaryPrimitives.WriteDoubleLittleEndian(o, d);
                    break;
                case DicomVR.OB or DicomVR.UN:
                    o[0] = checked((byte)l);
                    break;
                default:
                    throw new DicomException($"VR {DicomVRInfo.ToString(vr)} does not hold binary numbers.");
            }
        }

        return bytes;
    }
}
