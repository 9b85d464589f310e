using System.Security.Cryptography;
using Pacs.Archive.Storage;

namespace Pacs.Archive.Tests.Storage;

/// <summary>The file behind a staged object written around the page cache: exact bytes and length for every size, reads from memory or disk.</summary>
[Collection(ArchiveServicesCollection.Name)]
public sealed class DirectWriteStreamTests(ArchiveServicesFixture services)
{
    private readonly AlignedBufferPool _pool = new(bufferSize: 64 * 1024);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(64 * 1024)]
    [InlineData(64 * 1024 + 1)]
    [InlineData(3 * 64 * 1024 + 12_345)]
    public void Completed_file_holds_exactly_what_was_written(int length)
    {
        var path = Path.Combine(services.NewTempDirectory(), "f");
        var data = RandomNumberGenerator.GetBytes(length);
        using (var stream = DirectWriteStream.TryCreate(path, _pool)!)
        {
            for (var offset = 0; offset < length; offset += 10_000)
            {
                stream.Write(data.AsSpan(offset, Math.Min(10_000, length - offset)));
            }

            Assert.Equal(length, stream.Length);
            Assert.Equal(length >= 64 * 1024, stream.Created);
            AssertReadsBack(stream, data);
            stream.CompleteDurably();
            AssertReadsBack(stream, data);
            Assert.False(stream.CanWrite);
            Assert.Throws<NotSupportedException>(() => stream.Write([1]));
        }

        Assert.Equal(data, File.ReadAllBytes(path));
    }

    [Fact]
    public void Bytes_placed_in_the_lent_buffer_and_written_count_alike()
    {
        var path = Path.Combine(services.NewTempDirectory(), "f");
        var data = RandomNumberGenerator.GetBytes(3 * 64 * 1024 + 777);
        using (var stream = DirectWriteStream.TryCreate(path, _pool)!)
        {
            stream.Write(data.AsSpan(0, 100));
            var offset = 100;
            while (offset < data.Length)
            {
                // As a network read would: whatever fits, at most 50,000 bytes at a time.
                var free = stream.GetMemory();
                var n = Math.Min(Math.Min(free.Length, 50_000), data.Length - offset);
                data.AsSpan(offset, n).CopyTo(free.Span);
                stream.Advance(n);
                offset += n;
            }

            Assert.Equal(data.Length, stream.Length);
            Assert.Equal(data.Length, stream.Position);
            Assert.Throws<ArgumentOutOfRangeException>(() => stream.Advance(stream.GetMemory().Length + 1));
            AssertReadsBack(stream, data);
            stream.Position = data.Length;
            stream.CompleteDurably();
        }

        Assert.Equal(data, File.ReadAllBytes(path));
    }

    [Fact]
    public void Content_still_in_memory_is_written_once_at_another_path()
    {
        var directory = services.NewTempDirectory();
        var data = RandomNumberGenerator.GetBytes(50_000);
        using (var stream = DirectWriteStream.TryCreate(Path.Combine(directory, "staged"), _pool)!)
        {
            stream.Write(data);
            stream.CompleteDurablyAt(Path.Combine(directory, "final"));
        }

        Assert.Equal(["final"], Directory.GetFiles(directory).Select(Path.GetFileName));
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(directory, "final")));

        using var large = DirectWriteStream.TryCreate(Path.Combine(directory, "large"), _pool)!;
        large.Write(RandomNumberGenerator.GetBytes(70_000));
        Assert.Throws<InvalidOperationException>(() => large.CompleteDurablyAt(Path.Combine(directory, "elsewhere")));
    }

    [Fact]
    public void Writing_anywhere_but_the_end_is_refused()
    {
        using var stream = DirectWriteStream.TryCreate(Path.Combine(services.NewTempDirectory(), "f"), _pool)!;
        stream.Write(new byte[100]);
        stream.Position = 10;
        Assert.Throws<NotSupportedException>(() => stream.Write([1]));
    }

    [Fact]
    public void A_file_that_exists_already_is_not_overwritten()
    {
        var path = Path.Combine(services.NewTempDirectory(), "f");
        File.WriteAllBytes(path, [7]);
        using var stream = DirectWriteStream.TryCreate(path, _pool)!;
        stream.Write(new byte[10]);
        Assert.Throws<IOException>(stream.Complete);
        Assert.Equal([7], File.ReadAllBytes(path));
    }

    private static void AssertReadsBack(Stream stream, byte[] data)
    {
        foreach (var position in new[] { 0, data.Length / 2, Math.Max(0, data.Length - 3) })
        {
            stream.Position = position;
            var back = new byte[Math.Min(70_000, data.Length - position)];
            stream.ReadExactly(back);
            Assert.Equal(data.AsSpan(position, back.Length).ToArray(), back);
        }

        Assert.Equal(0, stream.Read(new byte[1]));
    }
}
