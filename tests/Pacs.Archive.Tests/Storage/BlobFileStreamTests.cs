using System.Security.Cryptography;
using Pacs.Archive.Storage;

namespace Pacs.Archive.Tests.Storage;

/// <summary>The read stream of a stored object: any mix of small and large reads and seeks returns the file's bytes.</summary>
[Collection(ArchiveServicesCollection.Name)]
public sealed class BlobFileStreamTests(ArchiveServicesFixture services)
{
    [Fact]
    public async Task Small_large_and_repositioned_reads_return_the_files_bytes()
    {
        var path = Path.Combine(services.NewTempDirectory(), "blob");
        var data = RandomNumberGenerator.GetBytes(100_000);
        await File.WriteAllBytesAsync(path, data);
        await using var stream = new BlobFileStream(File.OpenHandle(path));
        Assert.Equal(data.Length, stream.Length);

        var copy = new MemoryStream();
        var sizes = new[] { 1, 7, 132, 4000, 20_000, 3, 65_536 };
        for (var i = 0; stream.Position < stream.Length; i++)
        {
            var chunk = new byte[sizes[i % sizes.Length]];
            var n = await stream.ReadAsync(chunk);
            Assert.True(n > 0);
            copy.Write(chunk, 0, n);
        }

        Assert.Equal(data, copy.ToArray());
        Assert.Equal(0, await stream.ReadAsync(new byte[10]));

        foreach (var position in new[] { 99_990L, 5, 16_384, 0, 50_000 })
        {
            stream.Position = position;
            var back = new byte[Math.Min(30_000, data.Length - (int)position)];
            await stream.ReadExactlyAsync(back);
            Assert.Equal(data.AsSpan((int)position, back.Length).ToArray(), back);
        }

        stream.Seek(-4, SeekOrigin.End);
        Assert.Equal(data.AsSpan(data.Length - 4).ToArray(), await ReadToEndAsync(stream));
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        var rest = new MemoryStream();
        await stream.CopyToAsync(rest);
        return rest.ToArray();
    }
}
