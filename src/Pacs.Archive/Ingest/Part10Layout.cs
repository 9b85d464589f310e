using System.Buffers.Binary;
using System.Text;
using Pacs.Dicom;

namespace Pacs.Archive.Ingest;

/// <summary>What the File Meta Information of a Part 10 file says, and where its dataset starts.</summary>
/// <param name="DatasetOffset">Offset of the first byte after the meta group, from the start of the preamble.</param>
/// <param name="TransferSyntaxUid">Transfer Syntax UID (0002,0010).</param>
/// <param name="MediaStorageSopClassUid">Media Storage SOP Class UID (0002,0002), when present and a valid UID.</param>
/// <param name="MediaStorageSopInstanceUid">Media Storage SOP Instance UID (0002,0003), when present and a valid UID.</param>
public sealed record Part10Meta(long DatasetOffset, string TransferSyntaxUid, string? MediaStorageSopClassUid, string? MediaStorageSopInstanceUid);

/// <summary>
/// Where the dataset of a Part 10 file starts, so a file can be ingested like a received dataset: its bytes after the
/// File Meta Information are stored as they are, behind a regenerated meta.
/// </summary>
public static class Part10Layout
{
    /// <summary>A meta group larger than this is refused: real ones are a few hundred bytes.</summary>
    public const int MaxMetaBytes = 1024 * 1024;

    private const int FirstRead = 4096;

    /// <summary>
    /// Walks the meta group (explicit VR little endian, PS3.10 7.1) after the preamble of a seekable stream and returns
    /// the offset of the first element after it, and the Transfer Syntax UID it declares; the stream's position is left
    /// where it was. A <see cref="DicomException"/> when there is no valid meta.
    /// </summary>
    public static async Task<(long DatasetOffset, string TransferSyntaxUid)> ReadAsync(Stream file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var start = file.Position;
        var (meta, _) = await ReadHeadAsync(file, cancellationToken).ConfigureAwait(false);
        file.Position = start;
        return (meta.DatasetOffset, meta.TransferSyntaxUid);
    }

    /// <summary>
    /// Reads a forward-only stream (a STOW-RS part) just far enough to parse its File Meta Information, and returns
    /// the meta with the bytes read past it (the start of the dataset), which the caller puts back in front of the rest.
    /// </summary>
    public static async Task<(Part10Meta Meta, ReadOnlyMemory<byte> DatasetStart)> ReadHeadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[FirstRead];
        var filled = 0;
        while (true)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            filled += n;
            var end = n == 0;
            if (TryParse(buffer.AsSpan(0, filled), end, out var meta))
            {
                return (meta, buffer.AsMemory((int)meta.DatasetOffset, filled - (int)meta.DatasetOffset));
            }

            if (filled == buffer.Length)
            {
                if (buffer.Length >= MaxMetaBytes)
                {
                    throw new DicomException($"The File Meta Information is longer than {MaxMetaBytes} bytes.");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }
    }

    /// <summary>
    /// Parses the preamble and meta group at the start of <paramref name="head"/>. False when more bytes are needed
    /// (never when <paramref name="endOfInput"/>); a <see cref="DicomException"/> when the bytes are not a valid meta.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> head, bool endOfInput, out Part10Meta meta)
    {
        meta = null!;
        if (head.Length < 132)
        {
            return endOfInput ? throw new DicomException("Not a Part 10 file: no DICM prefix after the preamble.") : false;
        }

        if (!head.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            throw new DicomException("Not a Part 10 file: no DICM prefix after the preamble.");
        }

        var position = 132;
        string? transferSyntax = null, sopClass = null, sopInstance = null;
        while (true)
        {
            if (head.Length - position < 8)
            {
                if (!endOfInput)
                {
                    return false;
                }

                break;
            }

            var element = head[position..];
            if (BinaryPrimitives.ReadUInt16LittleEndian(element) != 0x0002)
            {
                break;
            }

            var tag = new DicomTag(0x0002, BinaryPrimitives.ReadUInt16LittleEndian(element[2..]));
            if (!DicomVRInfo.TryParse(element[4], element[5], out var vr))
            {
                throw new DicomException($"File Meta Information element {tag} has no explicit VR.");
            }

            long length;
            int headerLength;
            if (DicomVRInfo.Get(vr).Has32BitLength)
            {
                if (element.Length < 12)
                {
                    return endOfInput ? throw new DicomException("Truncated File Meta Information.") : false;
                }

                length = BinaryPrimitives.ReadUInt32LittleEndian(element[8..]);
                headerLength = 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(element[6..]);
                headerLength = 8;
            }

            if (length == 0xFFFFFFFF || position + headerLength + length > MaxMetaBytes)
            {
                throw new DicomException($"File Meta Information element {tag} has an invalid length.");
            }

            if (headerLength + length > element.Length)
            {
                return endOfInput ? throw new DicomException($"File Meta Information element {tag} has an invalid length.") : false;
            }

            var value = element.Slice(headerLength, (int)length);
            if (tag == DicomTag.TransferSyntaxUID)
            {
                transferSyntax = Text(value);
            }
            else if (tag == DicomTag.MediaStorageSOPClassUID)
            {
                sopClass = Uid(value);
            }
            else if (tag == DicomTag.MediaStorageSOPInstanceUID)
            {
                sopInstance = Uid(value);
            }

            position += headerLength + (int)length;
        }

        meta = transferSyntax is null
            ? throw new DicomException("The File Meta Information has no Transfer Syntax UID.")
            : new Part10Meta(position, transferSyntax, sopClass, sopInstance);
        return true;
    }

    private static string Text(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');

    private static string? Uid(ReadOnlySpan<byte> value) => Text(value) is var uid && DicomUid.IsValid(uid) ? uid : null;
}
