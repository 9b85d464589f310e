using Pacs.Archive.Index;
using Pacs.Archive.Ingest;
using Pacs.Archive.Storage;
using Pacs.Archive.Maintenance;
using Pacs.Dicom;

namespace Pacs.Archive.Tests.Ingest;

[Collection(ArchiveServicesCollection.Name)]
public sealed class IngestPolicyTests(ArchiveServicesFixture services)
{
    private static readonly DicomTransferSyntax Ts = DicomTransferSyntax.ExplicitVRLittleEndian;

    [Fact]
    public async Task A_resend_of_identical_bytes_stores_no_new_version()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var ds = Datasets.Synthetic(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate());
        var first = await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(ds), Ts, "A"));
        var again = await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(ds), Ts, "B"));
        var streamed = await archive.Pipeline.IngestStreamAsync(Datasets.Streamed(ds, "C"));
        Assert.Equal(IngestStatus.Stored, first.Status);
        Assert.Equal(IngestStatus.AlreadyStored, again.Status);
        Assert.Equal(IngestStatus.AlreadyStored, streamed.Status);
        Assert.Equal(first.Version, streamed.Version);
        Assert.Equal(0x0000, again.DimseStatus);
        Assert.Equal(first.Version, again.Version);
        Assert.Equal([first.BlobKey!], await archive.BlobKeysAsync());
        Assert.Equal(1L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version"));
        Assert.Equal(1, await archive.ScalarAsync<int>("SELECT number_of_study_related_instances FROM study"));
    }

    [Fact]
    public async Task A_prepared_instance_is_invisible_until_committed_and_an_abandoned_one_leaves_nothing()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var study = DicomUid.Generate();
        var kept = Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate());
        var dropped = Datasets.Synthetic(study, DicomUid.Generate(), DicomUid.Generate());

        await using var keptReceived = await archive.Pipeline.ReceiveAsync(Datasets.Streamed(kept, "A"));
        await using var droppedReceived = await archive.Pipeline.ReceiveAsync(Datasets.Streamed(dropped, "A"));
        keptReceived.Park();
        var keptPrepared = await archive.Pipeline.PrepareAsync(keptReceived);
        var droppedPrepared = await archive.Pipeline.PrepareAsync(droppedReceived);
        Assert.True(keptPrepared.IsPrepared && droppedPrepared.IsPrepared);

        // Written and reserved, not visible.
        Assert.Equal(2, (await archive.BlobKeysAsync()).Count);
        Assert.Equal(2L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version WHERE state = 'creating'"));
        Assert.Equal(0L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance"));

        await archive.Pipeline.AbandonAsync(droppedPrepared);
        var committed = await archive.Pipeline.CommitAsync(keptPrepared);
        Assert.Equal(IngestStatus.Stored, committed.Status);
        Assert.Equal([committed.BlobKey!], await archive.BlobKeysAsync());
        Assert.Equal(0L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version WHERE state = 'creating'"));
        Assert.Equal(kept.GetString(DicomTag.SOPInstanceUID), await archive.ScalarAsync<string>("SELECT sop_instance_uid FROM instance"));
    }

    [Theory]
    [InlineData(DuplicatePolicy.Replace, IngestStatus.Replaced, 0x0000)]
    [InlineData(DuplicatePolicy.Reject, IngestStatus.RejectedDuplicate, 0x0111)]
    [InlineData(DuplicatePolicy.Keep, IngestStatus.KeptExisting, 0x0000)]
    public async Task A_changed_resend_follows_the_duplicate_policy(DuplicatePolicy policy, IngestStatus expected, int dimseStatus)
    {
        await using var archive = await ArchiveHarness.CreateAsync(services, policy: policy);
        var ds = Datasets.Synthetic(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate());
        var first = await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(ds), Ts, "A"));
        var firstSize = await archive.ScalarAsync<long>("SELECT study_size FROM study");

        var changed = ds.Clone();
        changed.AddOrUpdate(DicomTag.SeriesDescription, "corrected series description");
        var second = await archive.Pipeline.IngestStreamAsync(Datasets.Streamed(changed, "A"));
        Assert.Equal(expected, second.Status);
        Assert.Equal(dimseStatus, second.DimseStatus);

        var keys = await archive.BlobKeysAsync();
        var description = await archive.ScalarAsync<string>("SELECT series_description FROM series");
        var current = (await archive.Index.GetCurrentVersionAsync(ds.GetString(DicomTag.SOPInstanceUID)))!;
        Assert.Equal(1L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version"));
        Assert.Equal(1, await archive.ScalarAsync<int>("SELECT number_of_study_related_instances FROM study"));
        if (policy == DuplicatePolicy.Replace)
        {
            Assert.NotEqual(first.Version, second.Version);
            Assert.Equal(second.Version, current.Version);
            Assert.Equal([second.BlobKey!], keys);
            Assert.Equal("corrected series description", description);
            Assert.Equal(firstSize + "corrected series description".Length + 8, await archive.ScalarAsync<long>("SELECT study_size FROM study"));
            Assert.Equal(current.Size, await archive.ScalarAsync<long>("SELECT study_size FROM study"));
        }
        else
        {
            Assert.Equal(first.Version, current.Version);
            Assert.Equal([first.BlobKey!], keys);
            Assert.Null(description);
            Assert.Equal(firstSize, await archive.ScalarAsync<long>("SELECT study_size FROM study"));
        }
    }

    [Fact]
    public async Task A_node_starting_up_removes_its_own_unfinished_reservations_and_leaves_other_nodes_stores_in_flight()
    {
        var schema = await services.CreateSchemaAsync();
        var blobs = new FileSystemBlobStore(services.NewTempDirectory());
        await using var nodeA = await ArchiveHarness.CreateAsync(services, schema, blobs, nodeName: "node-a");
        await using var nodeB = await ArchiveHarness.CreateAsync(services, schema, blobs, nodeName: "node-b");

        // Node A is storing an instance: reserved, blob written, commit still to come.
        var inFlight = await nodeA.Index.ReserveAsync(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate(), Ts.UidValue, "CT");
        await blobs.PutAsync(inFlight.BlobKey, new MemoryStream([1]));

        // Node B was killed mid-store and starts again: its start-up sweep takes what it left, with no age limit.
        var leftover = await nodeB.Index.ReserveAsync(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate(), Ts.UidValue, "MR");
        await blobs.PutAsync(leftover.BlobKey, new MemoryStream([2]));
        var swept = await new ArchiveSweeper(nodeB.Index, blobs).SweepStaleReservationsAsync(TimeSpan.Zero, nodeB.Index.NodeName);

        Assert.Equal(new SweepResult(1, 1), swept);
        Assert.False(await blobs.ExistsAsync(leftover.BlobKey));
        Assert.True(await blobs.ExistsAsync(inFlight.BlobKey));
        var creating = await nodeA.RowsAsync("SELECT version_pk, reserved_by FROM instance_version WHERE state = 'creating'");
        Assert.Equal([inFlight.Version, "node-a"], Assert.Single(creating));

        // Node A's store commits as if nothing had happened.
        var attributes = IndexAttributeExtractor.Extract(Datasets.Synthetic(inFlight.StudyInstanceUid, inFlight.SeriesInstanceUid, inFlight.SopInstanceUid));
        var committed = await nodeA.Index.CommitAsync(new CommitRequest(inFlight, attributes, 1, new byte[16], DuplicatePolicy.Replace));
        Assert.Equal(CommitOutcome.Created, committed.Outcome);

        // Another node's reservation goes by age, in the periodic sweep any node runs.
        var abandoned = await nodeA.Index.ReserveAsync(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate(), Ts.UidValue, "CT");
        await nodeA.ScalarAsync<object>("UPDATE instance_version SET reserved_at = now() - interval '2 hours' WHERE version_pk = @v", ("v", abandoned.Version));
        Assert.Equal(0, (await new ArchiveSweeper(nodeB.Index, blobs).SweepStaleReservationsAsync(TimeSpan.Zero, nodeB.Index.NodeName)).StaleReservations);
        Assert.Equal(1, (await new ArchiveSweeper(nodeB.Index, blobs).SweepStaleReservationsAsync(TimeSpan.FromHours(1))).StaleReservations);
        Assert.Equal(0L, await nodeA.ScalarAsync<long>("SELECT count(*) FROM instance_version WHERE state = 'creating'"));
    }

    [Fact]
    public async Task The_sweeper_removes_stale_reservations_with_their_blobs_and_orphan_blobs()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var kept = Datasets.Synthetic(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate());
        var stored = await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(kept), Ts, null));

        // A store that crashed after writing its blob: a 'creating' row from two hours ago, and its blob.
        var stale = await archive.Index.ReserveAsync(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate(), Ts.UidValue, "X");
        await archive.Blobs.PutAsync(stale.BlobKey, new MemoryStream([1, 2, 3]));
        await archive.ScalarAsync<object>("UPDATE instance_version SET reserved_at = now() - interval '2 hours' WHERE version_pk = @v", ("v", stale.Version));

        // A store in flight: recent reservation, must survive.
        var fresh = await archive.Index.ReserveAsync(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate(), Ts.UidValue, "X");
        await archive.Blobs.PutAsync(fresh.BlobKey, new MemoryStream([4]));

        // A blob nothing refers to (its reservation was lost in a crash).
        await archive.Blobs.PutAsync("1.2.3/4.5.6/7.8.9/1.dcm", new MemoryStream([5]));

        var sweeper = new ArchiveSweeper(archive.Index, archive.Blobs);
        var swept = await sweeper.SweepStaleReservationsAsync(TimeSpan.FromHours(1));
        Assert.Equal(new SweepResult(1, 1), swept);
        Assert.False(await archive.Blobs.ExistsAsync(stale.BlobKey));
        Assert.Equal(1L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version WHERE state = 'creating'"));

        var orphans = await sweeper.SweepOrphanBlobsAsync(TimeSpan.Zero);
        Assert.Equal(1, orphans.DeletedBlobs);
        Assert.Equal(new[] { stored.BlobKey!, fresh.BlobKey }.Order(StringComparer.Ordinal), await archive.BlobKeysAsync());

        // The commit of a reservation swept meanwhile fails instead of acknowledging.
        await archive.ScalarAsync<object>("UPDATE instance_version SET reserved_at = now() - interval '2 hours' WHERE version_pk = @v", ("v", fresh.Version));
        await sweeper.SweepStaleReservationsAsync(TimeSpan.FromHours(1));
        var attributes = IndexAttributeExtractor.Extract(Datasets.Synthetic(fresh.StudyInstanceUid, fresh.SeriesInstanceUid, fresh.SopInstanceUid));
        var late = await archive.Index.CommitAsync(new CommitRequest(fresh, attributes, 1, new byte[16], DuplicatePolicy.Replace));
        Assert.Equal(CommitOutcome.Lost, late.Outcome);
        Assert.False(late.IsStored);
        Assert.Equal(1L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance"));
    }

    [Fact]
    public async Task Bad_input_gets_a_failure_status_and_stores_nothing()
    {
        await using var archive = await ArchiveHarness.CreateAsync(services);
        var noStudy = Datasets.Synthetic(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate());
        noStudy.Remove(DicomTag.StudyInstanceUID);
        var badUid = Datasets.Synthetic("1.2.03.abc", DicomUid.Generate(), DicomUid.Generate());
        var mismatch = Datasets.Synthetic(DicomUid.Generate(), DicomUid.Generate(), DicomUid.Generate());

        Assert.Equal(0xA900, (await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(noStudy), Ts, null))).DimseStatus);
        Assert.Equal(0xA900, (await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(badUid), Ts, null))).DimseStatus);
        Assert.Equal(0xA900, (await archive.Pipeline.IngestAsync(new IngestRequest(Datasets.Encode(mismatch), Ts, null) { AffectedSopInstanceUid = DicomUid.Generate() })).DimseStatus);
        var garbage = await archive.Pipeline.IngestAsync(new IngestRequest(new MemoryStream([0x08, 0x00, 0x18, 0x00, 0x55, 0x49, 0xFF, 0x7F, 1, 2]), Ts, null));
        Assert.Equal(IngestStatus.CannotUnderstand, garbage.Status);
        Assert.Equal(0xC000, garbage.DimseStatus);

        // The same through the C-STORE path, where the dataset is already in a staged blob when it is found bad.
        Assert.Equal(0xA900, (await archive.Pipeline.IngestStreamAsync(Datasets.Streamed(noStudy, null))).DimseStatus);
        Assert.Equal(0xA900, (await archive.Pipeline.IngestStreamAsync(Datasets.Streamed(badUid, null))).DimseStatus);
        Assert.Equal(0xA900, (await archive.Pipeline.IngestStreamAsync(Datasets.Streamed(mismatch, null, affectedSopInstanceUid: DicomUid.Generate()))).DimseStatus);
        var streamedGarbage = await archive.Pipeline.IngestStreamAsync(new IngestRequest(new ForwardOnlyStream(new MemoryStream([0x08, 0x00, 0x18, 0x00, 0x55, 0x49, 0xFF, 0x7F, 1, 2])), Ts, null)
        {
            AffectedSopClassUid = DicomUid.SecondaryCaptureImageStorage.Value,
            AffectedSopInstanceUid = DicomUid.Generate(),
        });
        Assert.Equal(0xC000, streamedGarbage.DimseStatus);

        Assert.Empty(await archive.BlobKeysAsync());
        Assert.Empty(Directory.GetFiles(Path.Combine(((FileSystemBlobStore)archive.Blobs).RootDirectory, ".tmp"), "*", SearchOption.AllDirectories));
        Assert.Equal(0L, await archive.ScalarAsync<long>("SELECT count(*) FROM instance_version"));
    }
}
