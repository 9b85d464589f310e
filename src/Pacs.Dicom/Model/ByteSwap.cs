using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pacs.Dicom;

/// <summary>Byte-order conversion of binary values (PS3.5 7.3): big endian data swaps each word of the VR's unit size.</summary>
internal static class ByteSwap
{
    public static void InPlace(Span<byte> data, int unitSize)
    {
        switch (unitSize)
        {
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(data[..(data.Length & ~1)]);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(data[..(data.Length & ~3)]);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = MemoryMarshal.Cast<byte, ulong>(data[..(data.Length & ~7)]);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
            default:
                break;
        }
    }

    /// <summary>The word size swapped in big endian: AT swaps its group and element separately, so 2.</summary>
    public static int UnitFor(DicomVR vr) => vr switch
    {
        DicomVR.AT => 2,
        DicomVR.UN or DicomVR.OB or DicomVR.SQ or DicomVR.None => 1,
        _ => Math.Max(1, DicomVRInfo.Get(vr).UnitSize),
    };
}
