using System.Buffers.Binary;
using Pacs.Dicom;

namespace Pacs.Archive.Ingest;

/// <summary>
/// Where the dataset of a Part 10 file starts, so a file can be ingested like a received dataset: its bytes after the
/// File Meta Information are stored as they are, behind a regenerated meta.
/// </summary>
public static class Part10Layout
{
    /// <summary>
    /// Walks the meta group (explicit VR little endian, PS3.10 7.1) after the preamble and returns the offset of the
    /// first element after it, and the Transfer Syntax UID it declares. A <see cref="DicomException"/> when there is no meta.
    /// </summary>
    public static async Task<(long DatasetOffset, string TransferSyntaxUid)> ReadAsync(Stream file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var start = file.Position;
        var header = new byte[132];
        if (await ReadAtMostAsync(file, header, cancellationToken).ConfigureAwait(false) < 132 || !header.AsSpan(128, 4).SequenceEqual("DICM"u8))
        {
            throw new DicomException("Not a Part 10 file: no DICM prefix after the preamble.");
        }

        var position = start + 132;
        string? transferSyntax = null;
        var element = new byte[12];
        while (true)
        {
            file.Position = position;
            var n = await ReadAtMostAsync(file, element.AsMemory(0, 8), cancellationToken).ConfigureAwait(false);
            if (n < 8 || BinaryPrimitives.ReadUInt16LittleEndian(element) != 0x0002)
            {
                break;
            }

            var tag = new DicomTag(0x0002, BinaryPrimitives.ReadUInt16LittleEndian(element.AsSpan(2)));
            if (!DicomVRInfo.TryParse(element[4], element[5], out var vr))
            {
                throw new DicomException($"File Meta Information element {tag} has no explicit VR.");
            }

            long length;
            long headerLength;
            if (DicomVRInfo.Get(vr).Has32BitLength)
            {
                if (await ReadAtMostAsync(file, element.AsMemory(8, 4), cancellationToken).ConfigureAwait(false) < 4)
                {
                    throw new DicomException("Truncated File Meta Information.");
                }

                length = BinaryPrimitives.ReadUInt32LittleEndian(element.AsSpan(8));
                headerLength = 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(element.AsSpan(6));
                headerLength = 8;
            }

            if (length == 0xFFFFFFFF || position + headerLength + length > file.Length)
            {
                throw new DicomException($"File Meta Information element {tag} has an invalid length.");
            }

            if (tag == DicomTag.TransferSyntaxUID)
            {
                var value = new byte[length];
                file.Position = position + headerLength;
                await file.ReadExactlyAsync(value, cancellationToken).ConfigureAwait(false);
                transferSyntax = System.Text.Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');
            }

            position += headerLength + length;
        }

        file.Position = start;
        return transferSyntax is null
            ? throw new DicomException("The File Meta Information has no Transfer Syntax UID.")
            : (position - start, transferSyntax);
    }

    private static async Task<int> ReadAtMostAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
