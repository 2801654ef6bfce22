using Draas.Data;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.Domain.Sites;
using Draas.Tests.Support;
using Draas.Workflows.Runs;
using Microsoft.EntityFrameworkCore;

namespace Draas.Tests.Runs;

/// <summary>
/// When a whole site fails over, hundreds of steps are claimed at once and their jobs wait for a free worker.
/// A step waiting in the queue has lost nobody: it keeps its attempt for longer than a lease. Once its job
/// has started (its first renewal), a lapsed lease means its worker is gone and the step is handed on.
/// </summary>
[TestFixture]
public sealed class QueuedStepLeaseTests
{
    private static readonly StepLeases Leases = new(TimeSpan.FromSeconds(1));
    private TestDatabase _database = null!;

    [OneTimeSetUp]
    public async Task Migrate() => _database = await TestDatabase.CreateMigratedAsync();

    [OneTimeTearDown]
    public async Task Drop() => await _database.DisposeAsync();

    private DraasDbContext Context() => _database.Context();

    /// <summary>A running import step of a run of its own, as a pump leaves it before its lease is taken.</summary>
    private static async Task<Step> RunningStepAsync(DraasDbContext db)
    {
        var now = DateTimeOffset.UtcNow;
        var name = Guid.NewGuid().ToString("N")[..8];
        var site = new Site { Id = Guid.NewGuid(), Name = $"site-{name}", AuthUrl = "https://k/v3", Username = "u", ProjectName = "p", SecretCiphertext = "x" };
        var protection = new TenantProtection { Id = Guid.NewGuid(), Name = $"t-{name}", PrimarySiteId = site.Id, RecoverySiteId = site.Id, PrimaryProjectId = $"p-{name}" };
        var run = new Run { Id = Guid.NewGuid(), Kind = RunKind.Failover, ProtectionId = protection.Id, ProjectId = $"p-{name}", TargetSiteId = site.Id, CreatedAt = now, Queue = "failover" };
        run.TransitionTo(RunState.Running, now);
        var step = new Step { Id = Guid.NewGuid(), Kind = RunPlanner.ImportVolume, Target = "vol-1", Sequence = 1, Phase = 3 };
        run.Steps.Add(step);
        step.TransitionTo(StepState.Running, now);
        db.AddRange(site, protection, run);
        await db.SaveChangesAsync();
        return step;
    }

    [Test]
    public async Task A_claimed_step_whose_job_waits_for_a_worker_longer_than_a_lease_keeps_its_attempt_until_its_job_starts_and_stops()
    {
        await using var db = Context();
        var step = await RunningStepAsync(db);

        // Claimed: the pump gives it the queued lease, and its job waits behind busy workers for two leases.
        await Leases.TakeAsync(db, [step.Id], CancellationToken.None);
        await Task.Delay(Leases.Lease * 2);
        Assert.That(await Leases.ReclaimLapsedAsync(db, CancellationToken.None), Is.Empty, "a step waiting for a worker has lost no worker");

        // The job starts (its first renewal), then its worker dies: one lease later the step is handed on.
        Assert.That(await Leases.RenewAsync(db, step.Id, 1, CancellationToken.None), Is.True);
        await Task.Delay(Leases.Lease * 2);
        var lapsed = await Leases.ReclaimLapsedAsync(db, CancellationToken.None);
        Assert.That(lapsed.Select(s => s.Id), Is.EqualTo(new[] { step.Id }));
    }

    [Test]
    public async Task Only_the_first_job_to_start_a_claimed_step_is_told_that_nothing_of_the_step_ran_before()
    {
        // The import skips looking for an earlier import when told so: a second copy of its job (a crashed worker's
        // job handed out again while the step still has its attempt) must be told otherwise, or it imports twice.
        var ct = CancellationToken.None;
        await using var db = Context();
        var step = await RunningStepAsync(db);
        await Leases.TakeAsync(db, [step.Id], ct);
        Assert.That(await Leases.StartAsync(db, step.Id, 1, ct), Is.True, "the job the pump handed the step to");
        Assert.That(await Leases.StartAsync(db, step.Id, 1, ct), Is.False, "a second copy of that job");
        Assert.That(await Leases.StartAsync(db, step.Id, 2, ct), Is.False, "a job of another attempt");

        // Two copies starting at the same moment, each on its own connection: exactly one is the first.
        var raced = await RunningStepAsync(db);
        await Leases.TakeAsync(db, [raced.Id], ct);
        await using var one = Context();
        await using var two = Context();
        var firsts = await Task.WhenAll(Leases.StartAsync(one, raced.Id, 1, ct), Leases.StartAsync(two, raced.Id, 1, ct));
        Assert.That(firsts.Count(f => f), Is.EqualTo(1), "one of two jobs started together is first");
    }
}
