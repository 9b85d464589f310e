using Pacs.Archive.Storage;
using Pacs.IntegrationTests.Support;

namespace Pacs.IntegrationTests;

/// <summary>DCMTK storescu sends every sample it can read to the real server; everything acknowledged is archived and equal.</summary>
[Collection(ExternalServicesCollection.Name)]
public sealed class StoreSamplesTests(ExternalServices services)
{
    [Fact]
    public async Task Embedded_index_and_file_system_store_keep_every_acknowledged_sample()
    {
        await using var server = new ServerProcess(TestData.NewDirectory("pacs-it"));
        await server.StartAsync();
        await AssertSamplesArchivedAsync(server, server.OpenFileSystemBlobs());
    }

    [Fact]
    public async Task External_postgresql_and_s3_store_keep_every_acknowledged_sample()
    {
        var settings = await services.NewServerSettingsAsync("samples");
        await using var server = new ServerProcess(TestData.NewDirectory("pacs-it"), settings);
        await server.StartAsync();
        using var blobs = ExternalServices.OpenBlobs(settings);
        await AssertSamplesArchivedAsync(server, blobs);
    }

    private static async Task AssertSamplesArchivedAsync(ServerProcess server, IBlobStore blobs)
    {
        var files = TestData.AllSampleFiles().ToList();
        var outcome = Storescu.Send(server.DicomPort, files);
        var acknowledged = files.Where(f => outcome.TryGetValue(f, out var ok) && ok).ToList();
        Assert.True(acknowledged.Count > 40, $"only {acknowledged.Count} of {files.Count} samples acknowledged");

        // Samples may share a SOP Instance UID; the last one sent is what the archive must hold (duplicate policy Replace).
        var lastBySop = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in acknowledged)
        {
            lastBySop[StoredCheck.ReadSopInstanceUid(file)] = file;
        }

        await using var index = await server.OpenIndexAsync();
        Assert.Equal(lastBySop.Count, await StoredCheck.ScalarAsync(index, "SELECT count(*) FROM instance"));
        Assert.Equal(0, await StoredCheck.ScalarAsync(index, "SELECT count(*) FROM instance_version WHERE state = 'creating'"));
        Assert.Equal(lastBySop.Count, await StoredCheck.ScalarAsync(index, "SELECT count(*) FROM instance WHERE metadata IS NOT NULL"));

        var scratch = Directory.CreateTempSubdirectory("pacs-it-stored").FullName;
        try
        {
            var pairs = new List<(string, string)>();
            foreach (var (sop, file) in lastBySop)
            {
                var version = await index.GetCurrentVersionAsync(sop);
                Assert.NotNull(version);
                var local = Path.Combine(scratch, $"{pairs.Count}.dcm");
                var stream = await blobs.OpenReadAsync(version!.BlobKey);
                await using (stream)
                {
                    await using var target = File.Create(local);
                    await stream.CopyToAsync(target);
                }

                Assert.Equal(version.Size, new FileInfo(local).Length);
                pairs.Add((file, local));
            }

            StoredCheck.AssertPydicomEqual(pairs);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
