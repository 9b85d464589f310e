using System.IO.Hashing;
using System.Text.Json;
using Pacs.Archive.Index;
using Pacs.Archive.Ingest;
using Pacs.Archive.Storage;

namespace Pacs.IntegrationTests.Support;

/// <summary>Checks acknowledged instances against what the archive holds.</summary>
public static class StoredCheck
{
    /// <summary>The dataset bytes of a Part 10 file (after its File Meta Information).</summary>
    public static async Task<byte[]> DatasetBytesAsync(string path)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        using var stream = new MemoryStream(bytes);
        var (offset, _) = await Part10Layout.ReadAsync(stream);
        return bytes[(int)offset..];
    }

    /// <summary>
    /// Every file must be the current version of its instance with the same dataset bytes (sent as stored, so
    /// byte equality is the check), and the blob must hold exactly the size and dataset hash (XXH128) the index records.
    /// </summary>
    public static async Task AssertStoredByteEqualAsync(IndexStore index, IBlobStore blobs, IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            var dataset = await DatasetBytesAsync(file);
            var sop = ReadSopInstanceUid(file);
            var version = await index.GetCurrentVersionAsync(sop);
            Assert.True(version is not null, $"{file}: acknowledged but not in the index");
            var stream = await blobs.OpenReadAsync(version!.BlobKey);
            byte[] stored;
            await using (stream)
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                stored = copy.ToArray();
            }

            Assert.Equal(version.Size, stored.LongLength);
            Assert.True(stored.AsSpan(stored.Length - dataset.Length).SequenceEqual(dataset), $"{file}: stored dataset differs");

            // The index's hash is that of the dataset part (behind the archive's own File Meta Information).
            Assert.Equal(version.DatasetHash, XxHash128.Hash(dataset));
        }
    }

    /// <summary>pydicom compares each original with the stored object (values, not bytes: the sender may have changed the transfer syntax).</summary>
    public static void AssertPydicomEqual(IReadOnlyList<(string Original, string Stored)> pairs)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Support", "compare_datasets.py");
        for (var i = 0; i < pairs.Count; i += 20)
        {
            var chunk = pairs.Skip(i).Take(20).SelectMany(p => new[] { p.Original, p.Stored });
            var (_, stdout, _) = TestData.Run("/usr/bin/python3", [script, .. chunk]);
            foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var result = JsonDocument.Parse(line).RootElement;
                var original = result.GetProperty("original").GetString()!;
                if (result.GetProperty("equal").ValueKind == JsonValueKind.Null || !result.GetProperty("equal").GetBoolean())
                {
                    // pydicom cannot read this original (fod_GH177: DCMTK and our reader can), or storescu re-encoded an
                    // element whose VR bytes are invalid (fod_GH179A) so that pydicom interprets the two differently:
                    // then the value bytes of every element must still be identical.
                    AssertSameDataset(original, pairs.First(p => p.Original == original).Stored);
                    continue;
                }

                Assert.True(result.GetProperty("meta").GetBoolean(), $"{original}: stored meta names another instance");
            }
        }
    }

    /// <summary>Element by element with our reader, values as little endian bytes; group lengths and trailing padding aside.</summary>
    private static void AssertSameDataset(string original, string stored)
    {
        var a = Pacs.Dicom.IO.DicomFile.Open(original).Dataset;
        var b = Pacs.Dicom.IO.DicomFile.Open(stored).Dataset;
        static bool Compared(Pacs.Dicom.DicomItem i) => !i.Tag.IsGroupLength && i.Tag != new Pacs.Dicom.DicomTag(0xFFFC, 0xFFFC);
        Assert.Equal(a.Where(Compared).Select(i => i.Tag), b.Where(Compared).Select(i => i.Tag));
        foreach (var item in a.Where(Compared))
        {
            if (item is Pacs.Dicom.DicomElement element && b.TryGetElement(item.Tag, out var other))
            {
                var was = element.Value.Span;
                var now = other.Value.Span;
                // DCMTK pads an odd-length value (hdc_dx_image's Pixel Data) to even length before sending it.
                var padded = was.Length % 2 == 1 && now.Length == was.Length + 1 && now[..was.Length].SequenceEqual(was) && now[^1] is 0x00 or 0x20;
                Assert.True(was.SequenceEqual(now) || padded, $"{original}: {item.Tag} differs");
            }
        }

        Assert.Equal(a.GetString(Pacs.Dicom.DicomTag.SOPInstanceUID), Pacs.Dicom.IO.DicomFile.Open(stored).FileMetaInformation.GetString(Pacs.Dicom.DicomTag.MediaStorageSOPInstanceUID));
    }

    public static string ReadSopInstanceUid(string file)
    {
        var header = Pacs.Dicom.IO.DicomFile.Open(file, new Pacs.Dicom.IO.DicomReadOptions { StopBeforePixelData = true });
        return header.Dataset.GetString(Pacs.Dicom.DicomTag.SOPInstanceUID);
    }

    public static async Task<long> ScalarAsync(IndexStore index, string sql)
    {
        await using var command = index.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
