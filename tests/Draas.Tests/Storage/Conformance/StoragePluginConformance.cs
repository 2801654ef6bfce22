using Draas.Storage;

namespace Draas.Tests.Storage.Conformance;

/// <summary>
/// The contract every storage plugin keeps, told as an operator relies on it: protecting twice changes nothing,
/// asking for a recovery twice gives the same volume, a drill copy holds the recovery point while replication
/// runs on and its release leaves nothing, a failover never writes to the source, a cancelled recovery gives back
/// what its promote made, a cancelled switch's demote is undone, reversing twice restores the direction, and
/// failures arrive as the contract's kinds. A vendor's fixture supplies only the lab.
/// </summary>
public abstract class StoragePluginConformance
{
    protected IConformanceLab Lab { get; private set; } = null!;
    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    protected abstract Task<IConformanceLab> StartLabAsync();

    [SetUp]
    public async Task StartLab() => Lab = await StartLabAsync();

    [TearDown]
    public async Task StopLab() => await Lab.DisposeAsync();

    private ProtectionSpec Spec(params string[] volumes) =>
        new("p1", "c" + Guid.NewGuid().ToString("N")[..10], Lab.Source, Lab.Target, ReplicationMode.Async, Lab.Interval, RetentionPolicy.Default, volumes);

    private Task<RecoveryPoint> ReplicateAsync(ReplicationGroupRef group) =>
        Lab.Plugin.Require<IReplicateNow>("replicate now").ReplicateNowAsync(group, Lab.ReplicateTimeout, Ct);

    private async Task<ProtectionResult> ProtectedAsync(params string[] volumes)
    {
        var result = await Lab.Plugin.EnsureProtectedAsync(Spec(volumes), Ct);
        return result;
    }

    [Test]
    public async Task Ensuring_protection_twice_changes_nothing_the_second_time()
    {
        var volumes = new[] { await Lab.CreateVolumeAsync(Lab.Source, Ct), await Lab.CreateVolumeAsync(Lab.Source, Ct) };
        var spec = Spec(volumes);

        var first = await Lab.Plugin.EnsureProtectedAsync(spec, Ct);
        var second = await Lab.Plugin.EnsureProtectedAsync(spec, Ct);

        Assert.That(first.Changed, Is.True, "the first call made the group");
        Assert.That(second.Changes, Is.Empty, "the second call found everything in place");
        Assert.That(second.Group, Is.EqualTo(first.Group));
        Assert.That(second.Members, Is.EqualTo(first.Members));
    }

    [Test]
    public async Task Asking_for_the_same_drill_copy_or_failover_twice_returns_the_same_volume()
    {
        var drilled = await Lab.CreateVolumeAsync(Lab.Source, Ct);
        var failed = await Lab.CreateVolumeAsync(Lab.Source, Ct);
        var group = (await ProtectedAsync(drilled, failed)).Group;
        await Lab.WriteAsync(Lab.Source, drilled, "first", Ct);
        await ReplicateAsync(group);

        var drill1 = await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(group, drilled, "run1", PromotePurpose.Drill), Ct);
        var drill2 = await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(group, drilled, "run1", PromotePurpose.Drill), Ct);
        var failover1 = await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(group, failed, "run2", PromotePurpose.Failover), Ct);
        var failover2 = await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(group, failed, "run2", PromotePurpose.Failover), Ct);

        Assert.That((drill1.CreatedNow, drill2.CreatedNow), Is.EqualTo((true, false)));
        Assert.That(drill2.ArrayVolumeName, Is.EqualTo(drill1.ArrayVolumeName));
        Assert.That((failover1.CreatedNow, failover2.CreatedNow), Is.EqualTo((true, false)));
        Assert.That(failover2.ArrayVolumeName, Is.EqualTo(failover1.ArrayVolumeName));
        Assert.That(Lab.Plugin.ManageExistingRef(drill1.ArrayVolumeName), Is.Not.Empty, "the recovery site's Cinder is told how to find the copy");
    }

    [Test]
    public async Task A_drill_copy_holds_its_recovery_point_leaves_replication_running_and_its_release_leaves_nothing()
    {
        var volume = await Lab.CreateVolumeAsync(Lab.Source, Ct);
        var group = (await ProtectedAsync(volume)).Group;
        await Lab.WriteAsync(Lab.Source, volume, "before-the-point", Ct);
        var point = await ReplicateAsync(group);
        var atPoint = await Lab.FingerprintAsync(Lab.Source, volume, Ct);
        await Lab.WriteAsync(Lab.Source, volume, "after-the-point", Ct);
        var before = await Lab.VolumesAsync(Lab.Target, Ct);

        var copy = await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(group, volume, "drill1", PromotePurpose.Drill, point.Id), Ct);

        Assert.That(await Lab.FingerprintAsync(Lab.Target, copy.ArrayVolumeName, Ct), Is.EqualTo(atPoint), "the copy holds the point, not what came after");
        var next = await ReplicateAsync(group);
        Assert.That(next.Time, Is.GreaterThanOrEqualTo(point.Time), "replication went on while the copy existed");
        Assert.That(next.Id, Is.Not.EqualTo(point.Id));
        var status = await Lab.Plugin.GetReplicationStatusAsync(group, Ct);
        Assert.That(status.Health, Is.EqualTo(ReplicationHealth.Healthy), status.Detail);

        Assert.That(await Lab.Plugin.ReleaseDrillCopyAsync(Lab.Target, copy.ArrayVolumeName, cancellationToken: Ct), Is.True);
        Assert.That(await Lab.Plugin.ReleaseDrillCopyAsync(Lab.Target, copy.ArrayVolumeName, cancellationToken: Ct), Is.False, "already gone");
        Assert.That(await Lab.VolumesAsync(Lab.Target, Ct), Is.EquivalentTo(before), "nothing of the drill is left");
    }

    [Test]
    public async Task A_failover_never_writes_to_the_source()
    {
        var volume = await Lab.CreateVolumeAsync(Lab.Source, Ct);
        var group = (await ProtectedAsync(volume)).Group;
        await Lab.WriteAsync(Lab.Source, volume, "tenant-data", Ct);
        await ReplicateAsync(group);
        var source = await Lab.FingerprintAsync(Lab.Source, volume, Ct);
        var sourceVolumes = await Lab.VolumesAsync(Lab.Source, Ct);

        var promoted = await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(group, volume, "fo1", PromotePurpose.Failover), Ct);

        Assert.That(await Lab.FingerprintAsync(Lab.Source, volume, Ct), Is.EqualTo(source));
        Assert.That(await Lab.VolumesAsync(Lab.Source, Ct), Is.EquivalentTo(sourceVolumes));
        Assert.That(await Lab.FingerprintAsync(Lab.Target, promoted.ArrayVolumeName, Ct), Is.EqualTo(source), "the recovered volume holds the tenant's data");
    }

    [Test]
    public async Task Reversing_after_a_failover_and_again_after_a_failback_restores_the_direction()
    {
        var volume = await Lab.CreateVolumeAsync(Lab.Source, Ct);
        var group = (await ProtectedAsync(volume)).Group;
        await Lab.WriteAsync(Lab.Source, volume, "at-home", Ct);
        await ReplicateAsync(group);
        var reverse = Lab.Plugin.Require<IReverseReplication>("reverse");

        var away = await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(group, volume, "fo1", PromotePurpose.Failover), Ct);
        var reprotected = await reverse.ReverseAsync(group, [away.ArrayVolumeName], Lab.Interval, Ct);
        Assert.That((reprotected.Group.Source.Name, reprotected.Group.Target.Name), Is.EqualTo((Lab.Target.Name, Lab.Source.Name)));
        await Lab.WriteAsync(Lab.Target, away.ArrayVolumeName, "while-away", Ct);
        await ReplicateAsync(reprotected.Group);
        var writtenAway = await Lab.FingerprintAsync(Lab.Target, away.ArrayVolumeName, Ct);
        var home = await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(reprotected.Group, reprotected.Members.Single(), "fb1", PromotePurpose.Failover), Ct);
        var restored = await reverse.ReverseAsync(reprotected.Group, [home.ArrayVolumeName], Lab.Interval, Ct);

        Assert.That((restored.Group.Source.Name, restored.Group.Target.Name), Is.EqualTo((Lab.Source.Name, Lab.Target.Name)));
        Assert.That(await Lab.FingerprintAsync(Lab.Source, home.ArrayVolumeName, Ct), Is.EqualTo(writtenAway), "what was written away came home");
        await Lab.WriteAsync(Lab.Source, home.ArrayVolumeName, "home-again", Ct);
        var point = await ReplicateAsync(restored.Group);
        var drill = await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(restored.Group, restored.Members.Single(), "d2", PromotePurpose.Drill, point.Id), Ct);
        Assert.That(await Lab.FingerprintAsync(Lab.Target, drill.ArrayVolumeName, Ct), Is.EqualTo(await Lab.FingerprintAsync(Lab.Source, home.ArrayVolumeName, Ct)),
            "replication runs the original way again");
        Assert.That(await Lab.Plugin.ReleaseDrillCopyAsync(Lab.Target, drill.ArrayVolumeName, cancellationToken: Ct), Is.True);
    }

    [Test]
    public async Task A_cancelled_recovery_gives_back_what_its_promote_made_and_the_target_keeps_nothing_of_it()
    {
        var volume = await Lab.CreateVolumeAsync(Lab.Source, Ct);
        var group = (await ProtectedAsync(volume)).Group;
        await Lab.WriteAsync(Lab.Source, volume, "tenant-data", Ct);
        await ReplicateAsync(group);
        var release = Lab.Plugin.Require<IReleaseRecoveryCopy>("release a recovery copy");
        var before = await Lab.VolumesAsync(Lab.Target, Ct);
        var drill = await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(group, volume, "d7", PromotePurpose.Drill), Ct);

        var promoted = await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(group, volume, "fo7", PromotePurpose.Failover), Ct);
        await release.ReleaseRecoveryCopyAsync(Lab.Target, promoted.ArrayVolumeName, cancellationToken: Ct);

        var notARecovery = Assert.ThrowsAsync<ArrayException>(() => release.ReleaseRecoveryCopyAsync(Lab.Target, drill.ArrayVolumeName, cancellationToken: Ct));
        Assert.That(notARecovery!.Kind, Is.EqualTo(ArrayErrorKind.InvalidRequest), "a drill copy is not released as a recovery's");
        Assert.That(await Lab.Plugin.ReleaseDrillCopyAsync(Lab.Target, drill.ArrayVolumeName, cancellationToken: Ct), Is.True);
        Assert.That(await Lab.VolumesAsync(Lab.Target, Ct), Is.EquivalentTo(before), "nothing the cancelled recovery made is left at the target");
        Assert.That(await Lab.FingerprintAsync(Lab.Source, volume, Ct), Is.Not.Empty, "the source still holds the tenant's data");
    }

    [Test]
    public async Task Undoing_a_demote_after_the_target_was_promoted_makes_the_source_writable_and_replicating_to_the_target_again()
    {
        if (Lab.Plugin is not (IDemoteSource demote and IUndoDemote undo)) { Assert.Ignore("the plugin cannot demote and undo a demote"); return; }
        var volume = await Lab.CreateVolumeAsync(Lab.Source, Ct);
        var group = (await ProtectedAsync(volume)).Group;
        await Lab.WriteAsync(Lab.Source, volume, "before-the-switch", Ct);
        await ReplicateAsync(group);
        try
        {
            await demote.DemoteSourceAsync(group, quiesce: true, Ct);
        }
        catch (ArrayException e) when (e.Kind == ArrayErrorKind.InvalidRequest)
        {
            Assert.Ignore($"this lab's groups have nothing to demote: {e.ArrayMessage}");
        }
        await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(group, volume, "pm8", PromotePurpose.Failover), Ct);

        var changes = await undo.UndoDemoteAsync(group, Ct);
        var again = await undo.UndoDemoteAsync(group, Ct);

        Assert.That(changes, Is.Not.Empty, "the source was demoted and the target promoted: both changed back");
        Assert.That(again, Is.Empty, "a second undo finds everything given back");
        await Lab.WriteAsync(Lab.Source, volume, "after-the-cancel", Ct);
        var point = await ReplicateAsync(group);
        var copy = await Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(group, volume, "d8", PromotePurpose.Drill, point.Id), Ct);
        Assert.That(await Lab.FingerprintAsync(Lab.Target, copy.ArrayVolumeName, Ct), Is.EqualTo(await Lab.FingerprintAsync(Lab.Source, volume, Ct)),
            "the source took the write and replicated it to the target, a replica again");
        Assert.That(await Lab.Plugin.ReleaseDrillCopyAsync(Lab.Target, copy.ArrayVolumeName, cancellationToken: Ct), Is.True);
    }

    [Test]
    public async Task Failures_arrive_as_the_contracts_kinds()
    {
        var volume = await Lab.CreateVolumeAsync(Lab.Source, Ct);
        var group = (await ProtectedAsync(volume)).Group;

        var missing = Assert.ThrowsAsync<ArrayException>(() => Lab.Plugin.EnsureProtectedAsync(Spec("volume-00000000-0000-4000-8000-00000000dead"), Ct));
        Assert.That(missing!.Kind, Is.EqualTo(ArrayErrorKind.NotFound), missing.Message);
        var notADrill = Assert.ThrowsAsync<ArrayException>(() => Lab.Plugin.ReleaseDrillCopyAsync(Lab.Target, volume, cancellationToken: Ct));
        Assert.That(notADrill!.Kind, Is.EqualTo(ArrayErrorKind.InvalidRequest), notADrill.Message);
        var down = Assert.ThrowsAsync<ArrayException>(() => Lab.Plugin.ProbeAsync(Lab.Unreachable, Ct));
        Assert.That(down!.Kind, Is.EqualTo(ArrayErrorKind.Unreachable), down.Message);
        var notThere = Assert.ThrowsAsync<ArrayException>(() => Lab.Plugin.PromoteVolumeAsync(new PromoteRequest(group, "volume-00000000-0000-4000-8000-00000000beef", "run9", PromotePurpose.Drill), Ct));
        Assert.That(notThere!.Kind, Is.EqualTo(ArrayErrorKind.NotFound), notThere.Message);
        var probe = await Lab.Plugin.ProbeAsync(Lab.Source, Ct);
        Assert.That(probe.Connections, Is.Not.Empty, "the source knows its replication peer");
    }
}
