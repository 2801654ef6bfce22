using Draas.Storage;

namespace Draas.Tests.Pure.Scenarios;

[TestFixture]
[CancelAfter(60_000)]
public sealed class ReprotectAndRemoveTests
{
    [Test]
    public async Task Reprotect_after_an_ActiveDR_failover_carries_new_writes_back_to_the_old_primary()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "db");
        var protection = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Continuous, volumes));
        await arrays.WriteAsync(arrays.A, protection.Members, "before", 1);
        await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(1));
        var promoted = await arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(protection.Group, "db", "fo1", PromotePurpose.Failover));

        var reversed = await arrays.Plugin.ReverseAsync(protection.Group, [promoted.ArrayVolumeName], TimeSpan.FromHours(1));
        var inService = reversed.Members.Single();
        await arrays.Admin.WriteAsync("array-b", inService, "after-failover");
        await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.That(reversed.Group.Source.Name, Is.EqualTo("array-b"));
        Assert.That(inService, Is.EqualTo($"draas-p1-web::{promoted.ArrayVolumeName}"));
        Assert.That((await arrays.Admin.ReadAsync("array-a", inService)).Select(w => w.Data),
            Is.EqualTo(new[] { "before-draas-p1-web::db-1", "after-failover" }));
        var status = await arrays.Plugin.GetReplicationStatusAsync(reversed.Group);
        Assert.That(status.Health, Is.EqualTo(ReplicationHealth.Healthy), status.Detail);
        Assert.That((await arrays.Plugin.ReverseAsync(protection.Group, [promoted.ArrayVolumeName], TimeSpan.FromHours(1))).Changes, Is.Empty);
    }

    [Test]
    public async Task Removing_async_protection_deletes_the_group_and_keeps_the_volumes()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "v1", "v2");
        var group = (await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes))).Group;

        Assert.That(await arrays.Plugin.RemoveProtectionAsync(group), Is.True);
        Assert.That(await arrays.Plugin.RemoveProtectionAsync(group), Is.False, "nothing left the second time");
        Assert.That(await arrays.Client(arrays.A).FindProtectionGroupAsync(group.Name), Is.Null);
        Assert.That(await arrays.VolumeNamesAsync(arrays.A, "v*"), Is.EquivalentTo(volumes));
        Assert.That((await arrays.Plugin.GetReplicationStatusAsync(group)).Health, Is.EqualTo(ReplicationHealth.Broken));
    }

    [Test]
    public async Task Removing_sync_protection_moves_the_volumes_out_of_the_pod_and_deletes_it()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        // More volumes than one page of the simulator's lists (3), so removal must not page while it moves them.
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "v1", "v2", "v3", "v4");
        var protection = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Sync, volumes));
        await arrays.Admin.WriteAsync("array-a", protection.Members[0], "kept");

        Assert.That(await arrays.Plugin.RemoveProtectionAsync(protection.Group), Is.True);
        Assert.That(await arrays.Client(arrays.A).FindPodAsync(protection.Group.Name), Is.Null);
        Assert.That(await arrays.Client(arrays.B).FindPodAsync(protection.Group.Name), Is.Null, "unstretched first");
        Assert.That(await arrays.VolumeNamesAsync(arrays.A, "v*"), Is.EquivalentTo(volumes));
        Assert.That((await arrays.Admin.ReadAsync("array-a", "v1")).Single().Data, Is.EqualTo("kept"));
    }

    [Test]
    public async Task Removing_continuous_protection_deletes_the_replica_link_first()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "v1");
        var protection = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Continuous, volumes));

        Assert.That(await arrays.Plugin.RemoveProtectionAsync(protection.Group), Is.True);
        Assert.That(await arrays.Client(arrays.A).FindPodAsync(protection.Group.Name), Is.Null);
        Assert.That(await arrays.VolumeNamesAsync(arrays.A, "v*"), Is.EqualTo(new[] { "v1" }));
    }
}
