using Draas.Storage;

namespace Draas.Tests.Pure.Scenarios;

/// <summary>Async replication with a protection group, end to end against the simulator over HTTP.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class AsyncFailoverTests
{
    [Test]
    public async Task Failing_over_from_the_newest_recovery_point_holds_exactly_the_writes_made_before_it()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "db-data", "db-log", "app-root");
        var protection = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes));
        var group = protection.Group;

        var before = await arrays.WriteAsync(arrays.A, volumes, "before", 3);
        await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(65)); // the hourly schedule fires and ships
        var after = await arrays.WriteAsync(arrays.A, volumes, "after", 2);

        var status = await arrays.Plugin.GetReplicationStatusAsync(group);
        Assert.That(status.Health, Is.EqualTo(ReplicationHealth.Healthy), status.Detail);
        var newest = status.Latest!;

        foreach (var volume in volumes)
        {
            var promoted = await arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(group, volume, "run1", PromotePurpose.Failover));
            Assert.That(promoted.RecoveryPoint.Id, Is.EqualTo(newest.Id));
            Assert.That(promoted.SizeGiB, Is.EqualTo(10));
            Assert.That(arrays.Plugin.ManageExistingRef(promoted.ArrayVolumeName)["source-name"], Is.EqualTo(promoted.ArrayVolumeName));

            var recovered = (await arrays.Admin.ReadAsync("array-b", promoted.ArrayVolumeName)).Select(w => w.Data).ToList();
            var primary = await arrays.Admin.ReadAsync("array-a", volume);
            Assert.That(recovered, Is.EqualTo(primary.Where(w => w.Time <= newest.Time).Select(w => w.Data).ToList()),
                "the copy holds exactly the primary's writes up to the recovery point");
            Assert.That(recovered, Is.EqualTo(before[volume].Select(w => w.Data).ToList()));
            Assert.That(recovered, Has.None.AnyOf(after[volume].Select(w => w.Data).ToArray()));
        }
    }

    [Test]
    public async Task Promoting_the_same_volume_twice_returns_the_first_copy_instead_of_a_second()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "vol1");
        var group = (await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes))).Group;
        await arrays.WriteAsync(arrays.A, volumes, "w", 2);
        var first = await arrays.Plugin.ReplicateNowAsync(group, TimeSpan.FromMinutes(10));

        var request = new PromoteRequest(group, "vol1", "run7", PromotePurpose.Failover);
        var once = await arrays.Plugin.PromoteVolumeAsync(request);
        // A newer recovery point arrives between the attempts; the retry must still find its own copy.
        await arrays.WriteAsync(arrays.A, volumes, "later", 1);
        await arrays.Plugin.ReplicateNowAsync(group, TimeSpan.FromMinutes(10));
        var twice = await arrays.Plugin.PromoteVolumeAsync(request);

        Assert.That(once.CreatedNow, Is.True);
        Assert.That(twice.CreatedNow, Is.False);
        Assert.That(twice.ArrayVolumeName, Is.EqualTo(once.ArrayVolumeName));
        Assert.That(twice.RecoveryPoint.Id, Is.EqualTo(first.Id));
        Assert.That(await arrays.VolumeNamesAsync(arrays.B, "draas-fo-*"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Ensuring_protection_a_second_time_changes_nothing_and_replicate_now_waits_for_the_transfer()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "v1", "v2");
        var spec = arrays.Spec(ReplicationMode.Async, volumes);

        var first = await arrays.Plugin.EnsureProtectedAsync(spec);
        var second = await arrays.Plugin.EnsureProtectedAsync(spec);
        Assert.That(first.Changes, Has.Count.GreaterThanOrEqualTo(5));
        Assert.That(second.Changes, Is.Empty);

        await arrays.WriteAsync(arrays.A, volumes, "w", 1);
        var point = await arrays.Plugin.ReplicateNowAsync(first.Group, TimeSpan.FromMinutes(10));
        var listed = new List<RecoveryPoint>();
        await foreach (var p in arrays.Plugin.ListRecoveryPointsAsync(first.Group)) listed.Add(p);
        Assert.That(listed.Select(p => p.Id), Does.Contain(point.Id));
        Assert.That(listed[0].Id, Is.EqualTo(point.Id), "newest first");

        // Membership follows the plan: dropping a volume removes it from the group.
        var shrunk = await arrays.Plugin.EnsureProtectedAsync(spec with { Volumes = ["v1"] });
        Assert.That(shrunk.Changes, Is.EqualTo(new[] { "removed members v2" }));
    }

    [Test]
    public async Task Reprotect_replicates_the_recovered_volumes_back_to_the_old_primary()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "vol1");
        var group = (await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes))).Group;
        await arrays.WriteAsync(arrays.A, volumes, "w", 1);
        await arrays.Plugin.ReplicateNowAsync(group, TimeSpan.FromMinutes(10));
        var promoted = await arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(group, "vol1", "run1", PromotePurpose.Failover));

        var reversed = await arrays.Plugin.ReverseAsync(group, [promoted.ArrayVolumeName], TimeSpan.FromHours(1));
        await arrays.Admin.WriteAsync("array-b", promoted.ArrayVolumeName, "written-after-failover");
        var back = await arrays.Plugin.ReplicateNowAsync(reversed.Group, TimeSpan.FromMinutes(10));
        var home = await arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(reversed.Group, promoted.ArrayVolumeName, "run2", PromotePurpose.Failover));

        Assert.That(reversed.Group.Source.Name, Is.EqualTo("array-b"));
        Assert.That(back.Id, Does.StartWith("array-b:"));
        var data = (await arrays.Admin.ReadAsync("array-a", home.ArrayVolumeName)).Select(w => w.Data);
        Assert.That(data, Is.EqualTo(new[] { "w-vol1-1", "written-after-failover" }));
    }
}
