using Draas.Storage;

namespace Draas.Tests.Pure.Scenarios;

/// <summary>What the operator sees when arrays, links and capacity fail.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class FaultTests
{
    [Test]
    public async Task Array_down_during_promote_is_a_clear_error_and_the_retry_makes_no_second_volume()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "vol1");
        var group = (await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes))).Group;
        await arrays.WriteAsync(arrays.A, volumes, "w", 1);
        await arrays.Plugin.ReplicateNowAsync(group, TimeSpan.FromMinutes(10));
        var request = new PromoteRequest(group, "vol1", "run1", PromotePurpose.Failover);

        await arrays.Admin.SetArrayDownAsync("array-b", true);
        var error = Assert.ThrowsAsync<ArrayException>(() => arrays.Plugin.PromoteVolumeAsync(request));
        await arrays.Admin.SetArrayDownAsync("array-b", false);
        var promoted = await arrays.Plugin.PromoteVolumeAsync(request);
        var retried = await arrays.Plugin.PromoteVolumeAsync(request);

        Assert.That(error!.Kind, Is.EqualTo(ArrayErrorKind.Unreachable));
        Assert.That(error.Array, Is.EqualTo("array-b"));
        Assert.That(retried.ArrayVolumeName, Is.EqualTo(promoted.ArrayVolumeName));
        Assert.That(await arrays.VolumeNamesAsync(arrays.B, "draas-fo-*"), Is.EqualTo(new[] { promoted.ArrayVolumeName }));
    }

    [Test]
    public async Task A_volume_name_clash_on_the_recovery_array_is_refused_not_overwritten()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "vol1");
        var group = (await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes))).Group;
        await arrays.WriteAsync(arrays.A, volumes, "w", 1);
        await arrays.Plugin.ReplicateNowAsync(group, TimeSpan.FromMinutes(10));
        var squatter = Draas.Plugins.Pure.PureNames.FailoverCopy("run1", "vol1");
        await arrays.CreateVolumesAsync(arrays.B, squatter);
        await arrays.Admin.WriteAsync("array-b", squatter, "someone-else's-data");

        var error = Assert.ThrowsAsync<ArrayException>(() =>
            arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(group, "vol1", "run1", PromotePurpose.Failover)));

        Assert.That(error!.Kind, Is.EqualTo(ArrayErrorKind.AlreadyExists));
        Assert.That(error.Message, Does.Contain("name clash"));
        Assert.That((await arrays.Admin.ReadAsync("array-b", squatter)).Single().Data, Is.EqualTo("someone-else's-data"));
    }

    [Test]
    public async Task Protecting_to_an_unconnected_array_says_the_arrays_are_not_connected()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "vol1");

        var error = Assert.ThrowsAsync<ArrayException>(() =>
            arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes, target: arrays.C)));

        Assert.That(error!.Kind, Is.EqualTo(ArrayErrorKind.NotConnected));
        Assert.That(error.Message, Does.Contain("array-c"));
    }

    [Test]
    public async Task A_group_whose_target_was_removed_reports_broken_and_has_nothing_to_promote()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "vol1");
        var group = (await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes))).Group;
        // Someone removes the target on the array behind the service's back.
        await arrays.Client(arrays.A).RemoveGroupTargetForTestAsync(group.Name, "array-b");

        var status = await arrays.Plugin.GetReplicationStatusAsync(group);
        var error = Assert.ThrowsAsync<ArrayException>(() =>
            arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(group, "vol1", "run1", PromotePurpose.Failover)));

        Assert.That(status.Health, Is.EqualTo(ReplicationHealth.Broken));
        Assert.That(status.Detail, Does.Contain("not a target"));
        Assert.That(error!.Kind, Is.EqualTo(ArrayErrorKind.NotFound));
        Assert.That((await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes))).Changes,
            Does.Contain("added target array-b"), "ensuring protection repairs it");
    }

    [Test]
    public async Task A_full_recovery_array_fails_the_promote_before_copying_anything()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "vol1");
        var group = (await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes))).Group;
        await arrays.WriteAsync(arrays.A, volumes, "w", 5); // 5 MiB of data
        await arrays.Plugin.ReplicateNowAsync(group, TimeSpan.FromMinutes(10));
        await arrays.Admin.SetCapacityAsync("array-b", 2L << 20);

        var error = Assert.ThrowsAsync<ArrayException>(() =>
            arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(group, "vol1", "run1", PromotePurpose.Failover)));

        Assert.That(error!.Kind, Is.EqualTo(ArrayErrorKind.InsufficientCapacity));
        Assert.That(await arrays.VolumeNamesAsync(arrays.B, "draas-fo-*"), Is.Empty);
    }

    [Test]
    public async Task An_unknown_volume_in_the_plan_is_named_in_the_error()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        await arrays.CreateVolumesAsync(arrays.A, "vol1");

        var error = Assert.ThrowsAsync<ArrayException>(() =>
            arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, ["vol1", "ghost"])));

        Assert.That(error!.Kind, Is.EqualTo(ArrayErrorKind.NotFound));
        Assert.That(error.Context, Is.EqualTo("ghost"));
        Assert.That(error.RequestId, Is.Not.Null);
    }

    [Test]
    public async Task An_expired_session_is_renewed_without_the_caller_noticing()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var probe = await arrays.Plugin.ProbeAsync(arrays.A);
        await arrays.Admin.ExpireSessionsAsync("array-a");

        var again = await arrays.Plugin.ProbeAsync(arrays.A);

        Assert.That(again.Name, Is.EqualTo(probe.Name));
        Assert.That(probe.ApiVersion, Is.EqualTo("2.36"));
        Assert.That(probe.Connections.Select(c => (c.RemoteName, c.Type, c.Connected)),
            Is.EquivalentTo(new[] { ("array-b", "async-replication", true), ("array-b", "sync-replication", true) }));
    }

    [Test]
    public async Task Slow_arrays_still_answer_within_the_request_timeout()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        await arrays.Admin.SetFaultsAsync("array-a", latencyMs: 30, errorRate: 0);

        var probe = await arrays.Plugin.ProbeAsync(arrays.A);

        Assert.That(probe.FreeBytes, Is.GreaterThan(0));
    }
}
