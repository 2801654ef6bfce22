using Draas.Plugins.Pure.Rest;
using Draas.Storage;

namespace Draas.Tests.Pure.Scenarios;

/// <summary>The simulator's replication on a stopped clock (it moves only when the test says), so the
/// timings are exact.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class SimulatorBehaviourTests
{
    private static Task<SimulatedArrays> StoppedClockAsync() => SimulatedArrays.StartAsync(o => o with { Acceleration = 0 });

    [Test]
    public async Task A_scheduled_snapshot_reaches_the_target_after_its_size_divided_by_the_bandwidth()
    {
        await using var arrays = await StoppedClockAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "big");
        var group = (await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes))).Group;
        for (var i = 0; i < 10; i++) await arrays.Admin.WriteAsync("array-a", "big", $"chunk{i}", 100L << 20); // 1000 MiB at 100 MiB/s
        var target = arrays.Client(arrays.B);

        await arrays.Admin.AdvanceAsync(TimeSpan.FromHours(1));
        var started = (await target.FindTransferAsync("array-a:draas-p1-web.1"))!;
        await arrays.Admin.AdvanceAsync(TimeSpan.FromSeconds(5));
        var halfway = (await target.FindTransferAsync("array-a:draas-p1-web.1"))!;
        await arrays.Admin.AdvanceAsync(TimeSpan.FromSeconds(5));
        var done = (await target.FindTransferAsync("array-a:draas-p1-web.1"))!;

        Assert.That(started.Progress, Is.EqualTo(0));
        Assert.That(started.Completed, Is.Null);
        Assert.That(halfway.Progress, Is.EqualTo(0.5).Within(0.01));
        Assert.That(done.Progress, Is.EqualTo(1.0));
        Assert.That(done.Completed - done.Started, Is.EqualTo(10_000));
        Assert.That(await target.FindVolumeSnapshotAsync("array-a:draas-p1-web.1.big"), Is.Not.Null);
    }

    [Test]
    public async Task A_transfer_stalls_while_the_link_is_down_and_finishes_after_it_returns()
    {
        await using var arrays = await StoppedClockAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "v");
        var group = (await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes))).Group;
        await arrays.Admin.WriteAsync("array-a", "v", "w", 100L << 20);
        await arrays.Admin.SetLinkDownAsync("array-a", "array-b", true);

        await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(70));
        var during = await arrays.Plugin.GetReplicationStatusAsync(group);
        await arrays.Admin.SetLinkDownAsync("array-a", "array-b", false);
        await arrays.Admin.AdvanceAsync(TimeSpan.FromSeconds(2));
        var after = await arrays.Plugin.GetReplicationStatusAsync(group);

        Assert.That(during.Health, Is.EqualTo(ReplicationHealth.Broken));
        Assert.That(during.Detail, Does.Contain("connecting"));
        Assert.That(during.Latest, Is.Null);
        Assert.That(after.Health, Is.EqualTo(ReplicationHealth.Healthy));
        Assert.That(after.Latest!.Id, Is.EqualTo("array-a:draas-p1-web.1"));
    }

    [Test]
    public async Task Target_retention_keeps_everything_recent_and_a_few_older_snapshots()
    {
        await using var arrays = await StoppedClockAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "v");
        var spec = arrays.Spec(ReplicationMode.Async, volumes) with { Retention = new RetentionPolicy(TimeSpan.FromHours(2), 1, 1) };
        var group = (await arrays.Plugin.EnsureProtectedAsync(spec)).Group;

        await arrays.Admin.AdvanceAsync(TimeSpan.FromHours(6));
        var points = new List<RecoveryPoint>();
        await foreach (var p in arrays.Plugin.ListRecoveryPointsAsync(group)) points.Add(p);

        Assert.That(points.Select(p => p.Id.Split('.').Last()), Is.EqualTo(new[] { "6", "5", "4", "3" }));
    }

    [Test]
    public async Task A_local_snapshot_schedule_snapshots_the_source_and_ships_nothing()
    {
        await using var arrays = await StoppedClockAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "v");
        var group = (await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, volumes))).Group;
        var source = arrays.Client(arrays.A);
        await source.PatchProtectionGroupAsync(group.Name, new Draas.Plugins.Pure.Rest.Models.ProtectionGroupPatch(
            SnapshotSchedule: new Draas.Plugins.Pure.Rest.Models.ReplicationSchedule(Enabled: true, Frequency: 1_200_000)));

        await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(50)); // two 20-minute local snapshots, no replication yet
        var local = new List<string>();
        await foreach (var s in source.ListGroupSnapshotsAsync(group.Name)) local.Add(s.Name);
        var shipped = new List<RecoveryPoint>();
        await foreach (var p in arrays.Plugin.ListRecoveryPointsAsync(group)) shipped.Add(p);

        Assert.That(local, Is.EqualTo(new[] { "draas-p1-web.1", "draas-p1-web.2" }));
        Assert.That(shipped, Is.Empty);
    }

    [Test]
    public async Task A_write_to_a_stretched_pod_lands_on_both_arrays_at_once()
    {
        await using var arrays = await StoppedClockAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "db");
        var protection = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Sync, volumes));

        await arrays.Admin.WriteAsync("array-a", "draas-p1-web::db", "x");

        Assert.That((await arrays.Admin.ReadAsync("array-b", "draas-p1-web::db")).Single().Data, Is.EqualTo("x"));
        Assert.That((await arrays.Plugin.GetReplicationStatusAsync(protection.Group)).Latest!.IsCurrent, Is.True);
    }

    [Test]
    public async Task An_ActiveDR_target_cannot_be_promoted_while_baselining()
    {
        await using var arrays = await StoppedClockAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "db");
        var protection = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Continuous, volumes));

        var error = Assert.ThrowsAsync<ArrayException>(() => arrays.Client(arrays.B).PatchPodAsync(protection.Group.Name,
            new Draas.Plugins.Pure.Rest.Models.PodPatch(RequestedPromotionState: "promoted")));

        Assert.That(error!.Message, Does.Contain("baselining"));
        Assert.That((await arrays.Plugin.GetReplicationStatusAsync(protection.Group)).Health, Is.EqualTo(ReplicationHealth.Degraded));
    }

    [Test]
    public async Task An_array_failing_every_call_is_unreachable_after_the_bounded_retries()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        await arrays.Admin.SetFaultsAsync("array-b", latencyMs: 0, errorRate: 1.0);

        var error = Assert.ThrowsAsync<ArrayException>(() => arrays.Plugin.ProbeAsync(arrays.B));

        Assert.That(error!.Kind, Is.EqualTo(ArrayErrorKind.Unreachable));
        Assert.That(error.Status, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable));
    }
}
