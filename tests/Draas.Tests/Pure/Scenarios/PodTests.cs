using Draas.Storage;

namespace Draas.Tests.Pure.Scenarios;

/// <summary>Sync (stretched pod, ActiveCluster) and continuous (pod replica link, ActiveDR) replication.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class PodTests
{
    [Test]
    public async Task A_stretched_pod_loses_no_writes_when_the_primary_array_goes_down()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "db", "logs");
        var protection = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Sync, volumes));
        Assert.That(protection.Members, Is.EqualTo(new[] { "draas-p1-web::db", "draas-p1-web::logs" }));
        Assert.That((await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Sync, volumes))).Changes, Is.Empty);

        await arrays.WriteAsync(arrays.A, protection.Members, "w", 4);
        await arrays.Admin.SetArrayDownAsync("array-a", true);
        var status = await arrays.Plugin.GetReplicationStatusAsync(protection.Group);

        foreach (var member in protection.Members)
        {
            var promoted = await arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(protection.Group, member, "run1", PromotePurpose.Failover));
            Assert.That(promoted.RecoveryPoint.IsCurrent, Is.True);
            var recovered = (await arrays.Admin.ReadAsync("array-b", promoted.ArrayVolumeName)).Select(w => w.Data);
            Assert.That(recovered, Is.EqualTo(Enumerable.Range(1, 4).Select(i => $"w-{member}-{i}")), "0 writes lost");
        }
        Assert.That(status.Health, Is.EqualTo(ReplicationHealth.Degraded), "the recovery side sees its peer offline");
    }

    [Test]
    public async Task A_planned_migration_with_quiesce_carries_every_write_across_an_ActiveDR_link()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "db");
        var protection = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Continuous, volumes));
        var group = protection.Group;
        await arrays.WriteAsync(arrays.A, protection.Members, "early", 2);
        await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(1)); // baseline done
        Assert.That((await arrays.Plugin.GetReplicationStatusAsync(group)).Health, Is.EqualTo(ReplicationHealth.Healthy));

        // Written just before the migration: still inside the link's lag, only a quiesce carries it.
        await arrays.WriteAsync(arrays.A, protection.Members, "last", 1);
        var demoted = await arrays.Plugin.DemoteSourceAsync(group, quiesce: true);
        var again = await arrays.Plugin.DemoteSourceAsync(group, quiesce: true);
        var promoted = await arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(group, "db", "mig1", PromotePurpose.Failover));

        Assert.That(demoted.Changes, Has.Count.EqualTo(1));
        Assert.That(again.Changes, Is.Empty, "demoting twice is a no-op");
        Assert.That(demoted.UndoName, Is.EqualTo("draas-p1-web.undo-demote"));
        Assert.That((await arrays.Admin.ReadAsync("array-b", promoted.ArrayVolumeName)).Select(w => w.Data),
            Is.EqualTo(new[] { "early-draas-p1-web::db-1", "early-draas-p1-web::db-2", "last-draas-p1-web::db-1" }));
        var targetPod = await arrays.Client(arrays.B).FindPodAsync(group.Name);
        Assert.That(targetPod!.PromotionStatus, Is.EqualTo("promoted"));
    }

    [Test]
    public async Task An_ActiveDR_failover_after_the_link_drops_holds_the_writes_up_to_the_link_recovery_point()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "db");
        var protection = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Continuous, volumes));
        var group = protection.Group;
        await arrays.WriteAsync(arrays.A, protection.Members, "replicated", 3);
        await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(1));
        await arrays.Admin.SetLinkDownAsync("array-a", "array-b", true);
        await arrays.WriteAsync(arrays.A, protection.Members, "stranded", 2);

        var status = await arrays.Plugin.GetReplicationStatusAsync(group);
        var promoted = await arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(group, "db", "dis1", PromotePurpose.Failover));

        Assert.That(status.Health, Is.EqualTo(ReplicationHealth.Broken));
        var primary = await arrays.Admin.ReadAsync("array-a", "draas-p1-web::db");
        var recovered = (await arrays.Admin.ReadAsync("array-b", promoted.ArrayVolumeName)).Select(w => w.Data).ToList();
        Assert.That(recovered, Is.EqualTo(primary.Where(w => w.Time <= promoted.RecoveryPoint.Time).Select(w => w.Data)));
        Assert.That(recovered, Has.Count.EqualTo(3).And.All.StartsWith("replicated"));
    }

    [Test]
    public async Task An_ActiveDR_drill_copies_the_demoted_pod_without_promoting_it()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "db");
        var protection = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Continuous, volumes));
        await arrays.WriteAsync(arrays.A, protection.Members, "w", 2);
        await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(1));

        var drill = await arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(protection.Group, "db", "d1", PromotePurpose.Drill));

        Assert.That((await arrays.Client(arrays.B).FindPodAsync(protection.Group.Name))!.PromotionStatus, Is.EqualTo("demoted"));
        Assert.That((await arrays.Plugin.GetReplicationStatusAsync(protection.Group)).Health, Is.EqualTo(ReplicationHealth.Healthy));
        Assert.That(await arrays.Admin.ReadAsync("array-b", drill.ArrayVolumeName), Has.Count.EqualTo(2));
        Assert.That(await arrays.Plugin.ReleaseDrillCopyAsync(arrays.B, drill.ArrayVolumeName), Is.True);
    }

    [Test]
    public async Task Undo_demote_gives_the_source_pod_back_its_writes()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "db");
        var protection = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Continuous, volumes));
        await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(1));
        await arrays.Admin.SetLinkDownAsync("array-a", "array-b", true);
        await arrays.WriteAsync(arrays.A, protection.Members, "only-on-a", 2);

        await arrays.Plugin.DemoteSourceAsync(protection.Group, quiesce: false);
        await arrays.Plugin.UndoDemoteAsync(protection.Group);
        await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(1)); // promoting → promoted

        var pod = await arrays.Client(arrays.A).FindPodAsync(protection.Group.Name);
        Assert.That(pod!.PromotionStatus, Is.EqualTo("promoted"));
        Assert.That(await arrays.Admin.ReadAsync("array-a", "draas-p1-web::db"), Has.Count.EqualTo(2));
    }
}
