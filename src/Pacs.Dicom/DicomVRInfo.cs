using System.Collections.Frozen;

namespace Pacs.Dicom;

/// <summary>What the encoding rules of PS3.5 section 6.2 say about one VR.</summary>
/// <param name="VR">The VR described.</param>
/// <param name="Has32BitLength">In explicit VR, a 2-byte reserved field and a 32-bit length follow the VR (PS3.5 7.1.2).</param>
/// <param name="PaddingByte">The byte that pads a value to even length.</param>
/// <param name="IsString">The value is text (possibly multi-valued with backslashes).</param>
/// <param name="IsCharacterSetDependent">Specific Character Set applies (SH, LO, ST, LT, UC, UT, PN).</param>
/// <param name="IsMultiValuedString">A backslash separates values (string VRs except LT, ST, UT, UR).</param>
/// <param name="UnitSize">Bytes per value for binary VRs (byte-swapped in big endian when above 1); 0 for text and SQ.</param>
/// <param name="MaxLength">Maximum bytes per value (0 = only limited by the length field).</param>
public readonly record struct DicomVRInfo(
    DicomVR VR,
    bool Has32BitLength,
    byte PaddingByte,
    bool IsString,
    bool IsCharacterSetDependent,
    bool IsMultiValuedString,
    int UnitSize,
    int MaxLength)
{
    private static readonly FrozenDictionary<DicomVR, DicomVRInfo> Table = BuildTable();

    /// <summary>Binary values wider than a byte are stored byte-swapped in big endian transfer syntaxes.</summary>
    public bool IsSwappedInBigEndian => UnitSize > 1;

    public static IReadOnlyCollection<DicomVR> All => Table.Keys;

    public static DicomVRInfo Get(DicomVR vr) =>
        Table.TryGetValue(vr, out var info) ? info : new DicomVRInfo(DicomVR.None, true, 0, false, false, false, 1, 0);

    public static bool IsKnown(DicomVR vr) => vr != DicomVR.None && Table.ContainsKey(vr);

    /// <summary>Interprets two bytes read where an explicit VR stands; false when they are no VR of the standard.</summary>
    public static bool TryParse(byte b0, byte b1, out DicomVR vr)
    {
        vr = (DicomVR)((b0 << 8) | b1);
        if (b0 is >= (byte)'A' and <= (byte)'Z' && b1 is >= (byte)'A' and <= (byte)'Z' && Table.ContainsKey(vr))
        {
            return true;
        }

        vr = DicomVR.None;
        return false;
    }

    public static DicomVR Parse(string text)
    {
        if (text is { Length: 2 } && TryParse((byte)text[0], (byte)text[1], out var vr))
        {
            return vr;
        }

        throw new DicomException($"'{text}' is not a DICOM value representation.");
    }

    public static string ToString(DicomVR vr) =>
        vr == DicomVR.None ? "NONE" : string.Create(2, (ushort)vr, static (s, v) =>
        {
            s[0] = (char)(v >> 8);
            s[1] = (char)(v & 0xFF);
        });

    private static FrozenDictionary<DicomVR, DicomVRInfo> BuildTable()
    {
        const byte Space = 0x20;
        const byte Zero = 0x00;
        DicomVRInfo[] rows =
        [
            new(DicomVR.AE, false, Space, true, false, true, 0, 16),
            new(DicomVR.AS, false, Space, true, false, true, 0, 4),
            new(DicomVR.AT, false, Zero, false, false, false, 4, 4),
            new(DicomVR.CS, false, Space, true, false, true, 0, 16),
            new(DicomVR.DA, false, Space, true, false, true, 0, 8),
            new(DicomVR.DS, false, Space, true, false, true, 0, 16),
            new(DicomVR.DT, false, Space, true, false, true, 0, 26),
            new(DicomVR.FD, false, Zero, false, false, false, 8, 8),
            new(DicomVR.FL, false, Zero, false, false, false, 4, 4),
            new(DicomVR.IS, false, Space, true, false, true, 0, 12),
            new(DicomVR.LO, false, Space, true, true, true, 0, 64),
            new(DicomVR.LT, false, Space, true, true, false, 0, 10240),
            new(DicomVR.OB, true, Zero, false, false, false, 1, 0),
            new(DicomVR.OD, true, Zero, false, false, false, 8, 0),
            new(DicomVR.OF, true, Zero, false, false, false, 4, 0),
            new(DicomVR.OL, true, Zero, false, false, false, 4, 0),
            new(DicomVR.OV, true, Zero, false, false, false, 8, 0),
            new(DicomVR.OW, true, Zero, false, false, false, 2, 0),
            new(DicomVR.PN, false, Space, true, true, true, 0, 64),
            new(DicomVR.SH, false, Space, true, true, true, 0, 16),
            new(DicomVR.SL, false, Zero, false, false, false, 4, 4),
            new(DicomVR.SQ, true, Zero, false, false, false, 0, 0),
            new(DicomVR.SS, false, Zero, false, false, false, 2, 2),
            new(DicomVR.ST, false, Space, true, true, false, 0, 1024),
            new(DicomVR.SV, true, Zero, false, false, false, 8, 8),
            new(DicomVR.TM, false, Space, true, false, true, 0, 14),
            new(DicomVR.UC, true, Space, true, true, true, 0, 0),
            new(DicomVR.UI, false, Zero, true, false, true, 0, 64),
            new(DicomVR.UL, false, Zero, false, false, false, 4, 4),
            new(DicomVR.UN, true, Zero, false, false, false, 1, 0),
            new(DicomVR.UR, true, Space, true, false, false, 0, 0),
            new(DicomVR.US, false, Zero, false, false, false, 2, 2),
            new(DicomVR.UT, true, Space, true, true, false, 0, 0),
            new(DicomVR.UV, true, Zero, false, false, false, 8, 8),
        ];
        return rows.ToFrozenDictionary(r => r.VR);
    }
}
