using System.Security.Cryptography;
using Pacs.Archive.Maintenance;
using Pacs.Archive.Storage;
using Pacs.Archive.Tests.Ingest;
using Pacs.Dicom;

namespace Pacs.Archive.Tests.Maintenance;

/// <summary><c>pacs verify</c>'s engine against a real index and file-system store that were damaged on purpose.</summary>
[Collection(ArchiveServicesCollection.Name)]
public sealed class VerifierTests(ArchiveServicesFixture services)
{
    private static readonly ArchiveVerifyOptions Now = new() { MinimumAge = TimeSpan.Zero };

    [Fact]
    public async Task A_sound_archive_verifies_clean_through_both_ingest_paths()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var study = DicomUid.Generate();
        Assert.True((await archive.Pipeline.IngestAsync(new Pacs.Archive.Ingest.IngestRequest(Datasets.Encode(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate())), DicomTransferSyntax.ExplicitVRLittleEndian, "A"))).IsSuccess);
        Assert.True((await archive.Pipeline.IngestStreamAsync(Datasets.Streamed(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate()), "B"))).IsSuccess);

        var report = await new ArchiveVerifier(archive.Index, archive.Blobs).VerifyAsync(Now);
        Assert.True(report.IsClean, string.Join("; ", report.Problems));
        Assert.Equal(2, report.VersionsChecked);
        Assert.Equal(2, report.BlobsListed);
    }

    [Fact]
    public async Task Damage_is_reported_by_kind_and_repair_fixes_only_what_it_safely_can()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var root = ((FileSystemBlobStore)archive.Blobs).RootDirectory;
        var study = DicomUid.Generate();
        var keys = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var result = await archive.Pipeline.IngestStreamAsync(Datasets.Streamed(Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate()), "SCU"));
            keys.Add(result.BlobKey!);
        }

        // One flipped byte in the dataset, one truncated object, one deleted object, one file nobody indexed.
        var flipped = Path.Combine(root, keys[0]);
        var bytes = await File.ReadAllBytesAsync(flipped);
        bytes[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(flipped, bytes);
        var truncated = Path.Combine(root, keys[1]);
        await File.WriteAllBytesAsync(truncated, (await File.ReadAllBytesAsync(truncated))[..200]);
        File.Delete(Path.Combine(root, keys[2]));
        var orphanKey = keys[3][..keys[3].LastIndexOf('/')] + "/999999.dcm";
        await File.WriteAllBytesAsync(Path.Combine(root, orphanKey), [1, 2, 3]);

        var verifier = new ArchiveVerifier(archive.Index, archive.Blobs);
        var report = await verifier.VerifyAsync(Now);
        Assert.Equal(
            [(VerifyProblemKind.MissingBlob, keys[2]), (VerifyProblemKind.SizeMismatch, keys[1]), (VerifyProblemKind.HashMismatch, keys[0]), (VerifyProblemKind.OrphanBlob, orphanKey)],
            report.Problems.Select(p => (p.Kind, p.BlobKey)).OrderBy(p => p.Kind));

        var repaired = await verifier.VerifyAsync(Now with { Repair = true });
        Assert.False(File.Exists(Path.Combine(root, orphanKey)));
        Assert.True(File.Exists(flipped), "a changed blob is reported, never deleted");
        Assert.Equal(3L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance"));
        Assert.Contains(repaired.Problems, p => p.Kind == VerifyProblemKind.MissingBlob && p.Repaired);

        var after = await verifier.VerifyAsync(Now);
        Assert.Equal([VerifyProblemKind.SizeMismatch, VerifyProblemKind.HashMismatch], after.Problems.Select(p => p.Kind).Order());
    }

    [Fact]
    public async Task Rows_hashed_with_SHA_256_by_earlier_versions_are_checked_with_SHA_256()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var root = ((FileSystemBlobStore)archive.Blobs).RootDirectory;
        var result = await archive.Pipeline.IngestStreamAsync(Datasets.Streamed(Datasets.Synthetic(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate()), "SCU"));
        var key = result.BlobKey!;
        Assert.Equal(16, (await archive.ScalarAsync<byte[]>("SELECT dataset_hash FROM instance_version WHERE blob_key = @k", ("k", key)))!.Length);

        // What a version before XXH128 recorded: the SHA-256 of the dataset part.
        var (offset, _) = await StoredObjectLayout.ProbeAsync(archive.Blobs, key);
        var sha256 = SHA256.HashData((await File.ReadAllBytesAsync(Path.Combine(root, key))).AsSpan((int)offset));
        await archive.ScalarAsync<int>("UPDATE instance_version SET dataset_hash = @h WHERE blob_key = @k RETURNING 1", ("h", sha256), ("k", key));
        var verifier = new ArchiveVerifier(archive.Index, archive.Blobs);
        var report = await verifier.VerifyAsync(Now);
        Assert.True(report.IsClean, string.Join("; ", report.Problems));

        sha256[0] ^= 1;
        await archive.ScalarAsync<int>("UPDATE instance_version SET dataset_hash = @h WHERE blob_key = @k RETURNING 1", ("h", sha256), ("k", key));
        var problem = Assert.Single((await verifier.VerifyAsync(Now)).Problems);
        Assert.Equal(VerifyProblemKind.HashMismatch, problem.Kind);
        Assert.StartsWith("SHA-256 ", problem.Detail, StringComparison.Ordinal);
    }
}
