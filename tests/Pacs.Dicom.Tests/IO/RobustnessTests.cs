using System.Buffers.Binary;
using Pacs.Dicom.IO;

namespace Pacs.Dicom.Tests.IO;

public class RobustnessTests
{
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(10);

    public static IEnumerable<object[]> Files() => SampleCatalog.AllFiles();

    [Theory]
    [MemberData(nameof(Files))]
    public void Truncated_samples_never_throw_anything_but_DicomException(string name)
    {
        var bytes = File.ReadAllBytes(TestData.Sample(name));
        for (var i = 0; i < 50; i++)
        {
            var cut = (int)((long)bytes.Length * i / 50);
            AssertOnlyDicomException(bytes.AsMemory(0, cut), $"{name} cut at {cut}");
        }
    }

    [Fact]
    public void Random_byte_mutations_never_throw_anything_but_DicomException()
    {
        var random = new Random(20240611);
        var samples = TestData.AllSampleFiles().Select(File.ReadAllBytes).Where(b => b.Length <= 64 * 1024).ToArray();
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])samples[i % samples.Length].Clone();
            var flips = random.Next(1, 5);
            for (var f = 0; f < flips; f++)
            {
                // Bias towards the header region, where lengths and tags live.
                var at = random.Next(2) == 0 ? random.Next(Math.Min(bytes.Length, 1024)) : random.Next(bytes.Length);
                bytes[at] = (byte)random.Next(256);
            }

            AssertOnlyDicomException(bytes, $"mutation {i}");
        }
    }

    [Fact]
    public void Two_hundred_thousand_nested_sequences_give_a_DicomException()
    {
        const int Levels = 200_000;
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[12];
        for (var i = 0; i < Levels; i++)
        {
            // (0040,A730) ContentSequence SQ, undefined length, then an undefined-length item.
            BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0040);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 0xA730);
            header[4] = (byte)'S';
            header[5] = (byte)'Q';
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], 0xFFFFFFFF);
            stream.Write(header);
            BinaryPrimitives.WriteUInt16LittleEndian(header, 0xFFFE);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 0xE000);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 0xFFFFFFFF);
            stream.Write(header[..8]);
        }

        var ex = Assert.Throws<DicomException>(() => DicomDatasetReader.Read(stream.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Contains("nested deeper", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_element_longer_than_the_stream_gives_a_DicomException_naming_offset_and_tag()
    {
        var bytes = new byte[8 + 10];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, 0x0010);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), 0x0010);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 1_000_000);
        var ex = Assert.Throws<DicomException>(() => DicomDatasetReader.Read(bytes, DicomTransferSyntax.ImplicitVRLittleEndian));
        Assert.Contains("offset 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(0010,0010)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_sample_read_from_a_file_is_rejected_with_the_offset()
    {
        var ex = await Assert.ThrowsAsync<DicomException>(() => DicomFile.OpenAsync(TestData.Sample("pyd_MR_truncated.dcm")));
        Assert.Contains("(7FE0,0010)", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertOnlyDicomException(ReadOnlyMemory<byte> data, string what)
    {
        var task = Task.Run(() =>
        {
            try
            {
                var file = DicomFile.Open(data);
                _ = file.Dataset.Count;
            }
            catch (DicomException)
            {
            }
        });
        Assert.True(task.Wait(PerCase), $"{what}: parsing did not finish in {PerCase}");
        if (task.IsFaulted)
        {
            Assert.Fail($"{what}: {task.Exception!.InnerException}");
        }
    }
}
