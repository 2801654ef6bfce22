using Draas.Data;
using Draas.Domain.Arrays;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.Domain.Sites;
using Draas.Tests.Support;
using Draas.Workflows.Runs;
using Microsoft.EntityFrameworkCore;

namespace Draas.Tests.Runs;

/// <summary>
/// A recovery site whose Cinder takes one manage at a time, shared by a failover and two drills of other
/// tenants: the one import slot goes to the failover's waiting import before any drill's, a drill waits
/// while the slot is taken, and steps the site does not limit never wait for it. An array that makes one
/// copy at a time queues the promotes of two drills, and holds up nothing on another array.
/// </summary>
[TestFixture]
public sealed class SiteCapacityTests
{
    private TestDatabase _database = null!;

    [OneTimeSetUp]
    public async Task Migrate() => _database = await TestDatabase.CreateMigratedAsync();

    [OneTimeTearDown]
    public async Task Drop() => await _database.DisposeAsync();

    private DraasDbContext Context() => _database.Context();

    [Test]
    public async Task The_one_import_slot_goes_to_the_failover_before_the_drill_and_flavors_never_wait()
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = Context();
        var site = new Site { Id = Guid.NewGuid(), Name = "busy-b", AuthUrl = "https://k/v3", Username = "u", ProjectName = "p", SecretCiphertext = "x", MaxConcurrentImports = 1 };
        var protection = new TenantProtection { Id = Guid.NewGuid(), Name = "t-busy", PrimarySiteId = site.Id, RecoverySiteId = site.Id, PrimaryProjectId = "p-busy" };
        Run NewRun(RunKind kind)
        {
            var run = new Run { Id = Guid.NewGuid(), Kind = kind, ProtectionId = protection.Id, ProjectId = "p-busy", TargetSiteId = site.Id, CreatedAt = now, Queue = kind == RunKind.Drill ? "drills" : "failover" };
            run.TransitionTo(RunState.Running, now);
            return run;
        }
        Step NewStep(Run run, string kind, int sequence)
        {
            var step = new Step { Id = Guid.NewGuid(), Kind = kind, Target = $"{kind}-{sequence}", Sequence = sequence, Phase = 3 };
            run.Steps.Add(step);
            return step;
        }
        var otherDrill = NewRun(RunKind.Drill);
        var holding = NewStep(otherDrill, RunPlanner.ImportVolume, 1);
        holding.TransitionTo(StepState.Running, now);
        var failover = NewRun(RunKind.Failover);
        var failoverImport = NewStep(failover, RunPlanner.ImportVolume, 1);
        var drill = NewRun(RunKind.Drill);
        var drillImport = NewStep(drill, RunPlanner.ImportVolume, 1);
        var drillFlavor = NewStep(drill, RunPlanner.EnsureFlavor, 2);
        db.AddRange(site, protection, otherDrill, failover, drill);
        await db.SaveChangesAsync();

        // The slot is taken by the other tenant's drill: the drill's flavor goes, its import waits.
        Assert.That(await AdmitAsync(drill, drillImport, drillFlavor), Is.EqualTo(new[] { drillFlavor.Id }));
        Assert.That(await AdmitAsync(failover, failoverImport), Is.Empty, "the failover waits for the slot too");

        // The slot frees while both imports wait: the runs waiting for it are the ones to pump, the failover
        // first, and the drill leaves the slot to the failover.
        await EndAsync(holding);
        await using (var kick = Context())
        {
            var waiting = await SiteCapacity.WaitingRunsAsync(kick, otherDrill, holding, CancellationToken.None);
            Assert.That(waiting.Select(w => w.Id), Is.EqualTo(new[] { failover.Id, drill.Id }));
        }
        Assert.That(await AdmitAsync(drill, drillImport), Is.Empty, "a drill does not take the slot a failover waits for");
        Assert.That(await AdmitAsync(failover, failoverImport), Is.EqualTo(new[] { failoverImport.Id }));
        await StartAsync(failoverImport);
        Assert.That(await AdmitAsync(drill, drillImport), Is.Empty, "the failover's import holds the slot");

        // The failover's import ends: now the drill's turn.
        await EndAsync(failoverImport);
        Assert.That(await AdmitAsync(drill, drillImport), Is.EqualTo(new[] { drillImport.Id }));

        // Boots have the site's default ten slots, none taken: they go up to the run's own room.
        var boots = Enumerable.Range(10, 5).Select(i => new Step { Id = Guid.NewGuid(), RunId = drill.Id, Kind = RunPlanner.BootServer, Target = $"server-{i}", Sequence = i, Phase = 4 }).ToArray();
        await using (var more = Context())
        {
            more.Steps.AddRange(boots);
            await more.SaveChangesAsync();
        }
        Assert.That(await AdmitAsync(drill, 3, boots), Is.EqualTo(boots.Take(3).Select(b => b.Id)));
    }

    [Test]
    public async Task An_array_that_makes_one_copy_at_a_time_queues_two_tenants_promotes_and_leaves_other_arrays_alone()
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = Context();
        var site = new Site { Id = Guid.NewGuid(), Name = "copies-b", AuthUrl = "https://k/v3", Username = "u", ProjectName = "p", SecretCiphertext = "x" };
        StorageArray NewArray(string name, int copies) => new()
        {
            Id = Guid.NewGuid(),
            Name = name,
            SiteId = site.Id,
            Plugin = "pure",
            Endpoint = "https://fa",
            ApiTokenCiphertext = "x",
            CinderBackend = "cinder@pure#pool",
            MaxConcurrentCopies = copies,
        };
        var slow = NewArray("slow-b", 1);
        var roomy = NewArray("roomy-b", 10);
        var protection = new TenantProtection { Id = Guid.NewGuid(), Name = "t-copies", PrimarySiteId = site.Id, RecoverySiteId = site.Id, PrimaryProjectId = "p-copies" };
        var plan = new Plan { Id = Guid.NewGuid(), ProtectionId = protection.Id, ProjectId = "p-copies", Name = "copies" };
        PlanPlacement.Home(plan, protection);
        ReplicationGroup NewGroup(StorageArray target) => new() { Id = Guid.NewGuid(), PlanId = plan.Id, SourceArrayId = target.Id, TargetArrayId = target.Id, Name = "g-" + target.Name };
        var toSlow = NewGroup(slow);
        var toRoomy = NewGroup(roomy);
        Run NewDrill()
        {
            var run = new Run { Id = Guid.NewGuid(), Kind = RunKind.Drill, ProtectionId = protection.Id, ProjectId = "p-copies", TargetSiteId = site.Id, CreatedAt = now, Queue = "drills" };
            run.TransitionTo(RunState.Running, now);
            return run;
        }
        Step Promote(Run run, ReplicationGroup group, int sequence)
        {
            var step = new Step { Kind = RunPlanner.PromoteVolume, Target = $"vol-{sequence}", Sequence = sequence, Phase = 2, Input = $"{{\"group_id\": \"{group.Id}\"}}" };
            run.Steps.Add(step);
            return step;
        }
        var first = NewDrill();
        var copying = Promote(first, toSlow, 1);
        copying.TransitionTo(StepState.Running, now);
        var second = NewDrill();
        var waitsForSlow = Promote(second, toSlow, 1);
        var onRoomy = Promote(second, toRoomy, 2);
        db.AddRange(site, slow, roomy, protection, plan, toSlow, toRoomy, first, second);
        await db.SaveChangesAsync();

        Assert.That(await AdmitAsync(second, waitsForSlow, onRoomy), Is.EqualTo(new[] { onRoomy.Id }), "the slow array's one copy is the first tenant's");
        await EndAsync(copying);
        Assert.That(await AdmitAsync(second, waitsForSlow), Is.EqualTo(new[] { waitsForSlow.Id }));
    }

    private Task<Guid[]> AdmitAsync(Run run, params Step[] ready) => AdmitAsync(run, 10, ready);

    private async Task<Guid[]> AdmitAsync(Run run, int room, params Step[] ready)
    {
        await using var db = Context();
        await using var tx = await db.Database.BeginTransactionAsync();
        var admitted = await SiteCapacity.AdmitAsync(db, run, ready, room, CancellationToken.None);
        await tx.CommitAsync();
        return [.. admitted.Select(s => s.Id)];
    }

    private Task StartAsync(Step step) => _database.ExecuteAsync($"UPDATE steps SET state = 'running' WHERE id = '{step.Id}'");

    private Task EndAsync(Step step) => _database.ExecuteAsync($"UPDATE steps SET state = 'succeeded' WHERE id = '{step.Id}'");
}
