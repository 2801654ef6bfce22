using Draas.Plugins.Pure.Rest;
using Draas.Storage;

namespace Draas.Tests.Pure.Scenarios;

[TestFixture]
[CancelAfter(60_000)]
public sealed class DrillTests
{
    [Test]
    public async Task A_drill_copy_leaves_replication_untouched_and_releasing_it_leaves_no_volume()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "vol1", "vol2");
        var spec = arrays.Spec(ReplicationMode.Async, volumes);
        var group = (await arrays.Plugin.EnsureProtectedAsync(spec)).Group;
        await arrays.WriteAsync(arrays.A, volumes, "w", 2);
        await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(61));
        var source = arrays.Client(arrays.A);
        var before = await arrays.Plugin.GetReplicationStatusAsync(group);
        var pgBefore = await source.FindProtectionGroupAsync(group.Name);

        var drill = await arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(group, "vol1", "drill1", PromotePurpose.Drill));

        var after = await arrays.Plugin.GetReplicationStatusAsync(group);
        var pgAfter = await source.FindProtectionGroupAsync(group.Name);
        Assert.That(after with { Lag = null }, Is.EqualTo(before with { Lag = null }));
        Assert.That(pgAfter!.ReplicationSchedule, Is.EqualTo(pgBefore!.ReplicationSchedule));
        Assert.That(pgAfter.TargetRetention, Is.EqualTo(pgBefore.TargetRetention));
        Assert.That((await arrays.Plugin.EnsureProtectedAsync(spec)).Changes, Is.Empty);
        Assert.That((await arrays.Admin.ReadAsync("array-b", drill.ArrayVolumeName)).Select(w => w.Data),
            Is.EqualTo(new[] { "w-vol1-1", "w-vol1-2" }));

        // Replication keeps going while the drill copy exists.
        await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(60));
        var later = await arrays.Plugin.GetReplicationStatusAsync(group);
        Assert.That(later.Latest!.Time, Is.GreaterThan(before.Latest!.Time));

        Assert.That(await arrays.Plugin.ReleaseDrillCopyAsync(arrays.B, drill.ArrayVolumeName), Is.True);
        Assert.That(await arrays.Client(arrays.B).FindVolumeAsync(drill.ArrayVolumeName), Is.Null, "destroyed and eradicated");
        Assert.That(await arrays.Plugin.ReleaseDrillCopyAsync(arrays.B, drill.ArrayVolumeName), Is.False, "a second release finds nothing");
    }

    [Test]
    public async Task Releasing_refuses_a_volume_that_is_not_a_drill_copy()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        await arrays.CreateVolumesAsync(arrays.B, "production-vol");

        var error = Assert.ThrowsAsync<ArrayException>(() => arrays.Plugin.ReleaseDrillCopyAsync(arrays.B, "production-vol"));

        Assert.That(error!.Kind, Is.EqualTo(ArrayErrorKind.InvalidRequest));
        Assert.That(await arrays.Client(arrays.B).FindVolumeAsync("production-vol"), Is.Not.Null);
    }
}
