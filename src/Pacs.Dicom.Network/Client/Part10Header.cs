using System.Buffers.Binary;
using System.Text;

namespace Pacs.Dicom.Network.Client;

/// <summary>
/// The routing facts of a Part 10 file (PS3.10 7.1) read from its File Meta Information only, so a C-STORE SCU can
/// stream the dataset from disk unparsed, and an SCP can write a received stream to disk without parsing it.
/// </summary>
public sealed record Part10Header(string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, long DataSetOffset)
{
    private const int PreambleLength = 128;

    /// <summary>Reads the preamble, "DICM" and group 0002 (explicit VR LE); the stream is left at the dataset.</summary>
    public static async Task<Part10Header> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var head = new byte[PreambleLength + 4 + 12];
        await stream.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
        if (head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M')
        {
            throw new DicomException("Not a DICOM Part 10 file: no 'DICM' prefix after the preamble.");
        }

        // (0002,0000) File Meta Information Group Length, UL, gives the size of the rest of the meta group.
        var group = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(132));
        var element = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(134));
        if (group != 0x0002 || element != 0x0000 || head[136] != 'U' || head[137] != 'L')
        {
            throw new DicomException("File Meta Information does not start with (0002,0000) UL.");
        }

        var groupLength = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(140));
        if (groupLength > 1024 * 1024)
        {
            throw new DicomException($"File Meta Information group length {groupLength} is implausible.");
        }

        var meta = new byte[groupLength];
        await stream.ReadExactlyAsync(meta, cancellationToken).ConfigureAwait(false);
        string? sopClass = null, sopInstance = null, transferSyntax = null;
        var offset = 0;
        while (offset + 8 <= meta.Length)
        {
            var e = BinaryPrimitives.ReadUInt16LittleEndian(meta.AsSpan(offset + 2));
            var vr = Encoding.ASCII.GetString(meta, offset + 4, 2);
            int headerLength;
            long length;
            if (vr is "OB" or "OW" or "UN" or "SQ" or "UT" or "UC" or "UR" or "OD" or "OF" or "OL" or "OV" or "SV" or "UV")
            {
                if (offset + 12 > meta.Length)
                {
                    break;
                }

                length = BinaryPrimitives.ReadUInt32LittleEndian(meta.AsSpan(offset + 8));
                headerLength = 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(meta.AsSpan(offset + 6));
                headerLength = 8;
            }

            if (offset + headerLength + length > meta.Length)
            {
                throw new DicomException($"File Meta element (0002,{e:X4}) runs past the meta group.");
            }

            var value = Encoding.ASCII.GetString(meta, offset + headerLength, (int)length).TrimEnd('\0', ' ');
            switch (e)
            {
                case 0x0002:
                    sopClass = value;
                    break;
                case 0x0003:
                    sopInstance = value;
                    break;
                case 0x0010:
                    transferSyntax = value;
                    break;
            }

            offset += headerLength + (int)length;
        }

        if (sopClass is not { Length: > 0 } || sopInstance is not { Length: > 0 } || transferSyntax is not { Length: > 0 })
        {
            throw new DicomException("File Meta Information lacks the SOP class, SOP instance or transfer syntax UID.");
        }

        return new Part10Header(sopClass, sopInstance, transferSyntax, PreambleLength + 4 + 12 + groupLength);
    }

    /// <summary>Writes a preamble, "DICM" and a File Meta Information group for a dataset that follows as-is.</summary>
    public static async Task WriteAsync(Stream stream, string sopClassUid, string sopInstanceUid, string transferSyntaxUid,
        string? sourceAETitle, CancellationToken cancellationToken = default)
    {
        using var meta = new MemoryStream();
        WriteElement(meta, 0x0001, "OB", [0x00, 0x01]);
        WriteElement(meta, 0x0002, "UI", Uid(sopClassUid));
        WriteElement(meta, 0x0003, "UI", Uid(sopInstanceUid));
        WriteElement(meta, 0x0010, "UI", Uid(transferSyntaxUid));
        WriteElement(meta, 0x0012, "UI", Uid(IO.DicomImplementation.ClassUid));
        WriteElement(meta, 0x0013, "SH", Text(IO.DicomImplementation.VersionName));
        if (sourceAETitle is { Length: > 0 })
        {
            WriteElement(meta, 0x0016, "AE", Text(sourceAETitle));
        }

        var head = new byte[PreambleLength + 4 + 12];
        "DICM"u8.CopyTo(head.AsSpan(PreambleLength));
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(132), 0x0002);
        head[136] = (byte)'U';
        head[137] = (byte)'L';
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(138), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(140), (uint)meta.Length);
        await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(meta.GetBuffer().AsMemory(0, (int)meta.Length), cancellationToken).ConfigureAwait(false);
    }

    private static byte[] Uid(string value) => Pad(value, 0);

    private static byte[] Text(string value) => Pad(value, (byte)' ');

    private static byte[] Pad(string value, byte padding)
    {
        var bytes = new byte[value.Length + (value.Length & 1)];
        Encoding.ASCII.GetBytes(value, bytes);
        if ((value.Length & 1) != 0)
        {
            bytes[^1] = padding;
        }

        return bytes;
    }

    private static void WriteElement(Stream s, ushort element, string vr, byte[] value)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        if (vr == "OB")
        {
            header[6] = 0;
            header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)value.Length);
            s.Write(header);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)value.Length);
            s.Write(header[..8]);
        }

        s.Write(value);
    }
}
