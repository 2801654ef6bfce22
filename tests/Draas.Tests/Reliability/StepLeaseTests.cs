using Draas.Data;
using Draas.Simulators.OpenStack.Core;
using Draas.Tests.Runs;
using Draas.Workflows.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Reliability;

/// <summary>
/// A step never runs twice at once, and a live worker keeps its step. The service runs with a 4 s step
/// lease (<c>[jobs] step_lease_seconds</c>) and a database that does not always answer the lease renewals:
/// a drill whose every other renewal fails keeps each step on its first attempt; a failover whose first
/// attempts of every import and boot cannot renew at all (their worker lost the database while Cinder and
/// Nova take seconds per call) has a second attempt start beside each of them, and the recovery site still
/// holds exactly one imported volume and one booted server per resource, counted in Cinder and Nova.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class StepLeaseTests
{
    private static CancellationToken Ct => CancellationToken.None;

    private const int LeaseSeconds = 4;

    /// <summary>Lease renewals through a database connection that fails when <see cref="Fails"/> says so.</summary>
    private sealed class TroubledLeases() : StepLeases(TimeSpan.FromSeconds(LeaseSeconds))
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid, int), long> _calls = new();
        private long _failed;

        /// <summary>(step kind, attempt, number of this attempt's renewal) → this renewal fails.</summary>
        public Func<string, int, long, bool> Fails { get; set; } = (_, _, _) => false;

        public long Failed => Interlocked.Read(ref _failed);

        public override async Task<bool> RenewAsync(DraasDbContext db, Guid stepId, int attempt, CancellationToken ct)
        {
            var kind = await db.Steps.AsNoTracking().Where(s => s.Id == stepId).Select(s => s.Kind).SingleAsync(ct);
            if (Fails(kind, attempt, _calls.AddOrUpdate((stepId, attempt), 1, (_, n) => n + 1)))
            {
                Interlocked.Increment(ref _failed);
                throw new TimeoutException("simulated: the database did not answer the lease renewal in time");
            }
            return await base.RenewAsync(db, stepId, attempt, ct);
        }
    }

    private readonly TroubledLeases _leases = new();
    private TenantInTheLab _t = null!;
    private ReliabilityFigures _figures = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        // The watchdog looks for lapsed leases every quarter lease (1 s), so a lapse is acted on within the test's patience.
        _t = await TenantInTheLab.StartAsync(
            extra: new Dictionary<string, string?> { ["jobs:step_lease_seconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), ["jobs:workers"] = "6" },
            configure: services => services.AddSingleton<StepLeases>(_leases));
        _figures = new ReliabilityFigures("step leases");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _figures.Print();
        await _t.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task A_drill_whose_every_other_lease_renewal_fails_keeps_every_step_on_its_first_attempt()
    {
        // Imports take several seconds (each Cinder call one): longer than a lease, so they live on renewals.
        _t.Lab.SiteB.OpenStack.Faults.Set("volume", new ServiceFault { Latency = TimeSpan.FromSeconds(1) });
        _leases.Fails = (_, _, n) => n % 2 == 0;
        var failedBefore = _leases.Failed;
        System.Text.Json.Nodes.JsonNode run;
        try
        {
            run = await _t.RunAsync("drill", timeoutSeconds: 240);
        }
        finally
        {
            _leases.Fails = (_, _, _) => false;
            _t.Lab.SiteB.OpenStack.Faults.Clear();
        }
        _figures.Runs++;

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var failed = _leases.Failed - failedBefore;
        _figures.FaultsInjected += failed;
        Assert.That(failed, Is.GreaterThan(0), "renewals did fail");
        Assert.That(run["steps"]!.AsArray().Select(s => $"{s!["kind"]} {s["target"]}: {s["attempts"]}"), Is.All.EndsWith(": 1"),
            "no step was taken from the worker that was still running it");
        TestContext.Out.WriteLine($"step leases: {failed} renewals failed, {run["steps"]!.AsArray().Count} steps, all on their first attempt");
    }

    [Test, Order(2)]
    public async Task A_failover_whose_import_and_boot_workers_lose_their_leases_mid_call_imports_and_boots_each_resource_exactly_once()
    {
        // Cinder and Nova at the recovery site take five seconds a call, longer than the 4 s lease (the lab clock
        // runs 20 times faster, hence the long recovery_timeout); the first attempt of each import and boot gets
        // only the renewal at its start through, so its lease lapses while it is still calling (its manage or its
        // boot: a first attempt skips looking for earlier work), and a second attempt starts beside it.
        var recovery = _t.Lab.SiteB.OpenStack;
        recovery.Faults.Set("volume", new ServiceFault { Latency = TimeSpan.FromSeconds(5) });
        recovery.Faults.Set("compute", new ServiceFault { Latency = TimeSpan.FromSeconds(5) });
        _leases.Fails = (kind, attempt, _) => attempt == 1 && kind is RunPlanner.ImportVolume or RunPlanner.BootServer;
        var failedBefore = _leases.Failed;
        System.Text.Json.Nodes.JsonNode run;
        try
        {
            run = await _t.RunAsync("failover", new { max_parallel = 4, recovery_timeout = 36000 }, timeoutSeconds: 420);
        }
        finally
        {
            _leases.Fails = (_, _, _) => false;
            recovery.Faults.Clear();
        }
        _figures.Runs++;
        _figures.FaultsInjected += _leases.Failed - failedBefore;

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var overlapped = run["steps"]!.AsArray()
            .Where(s => s!["kind"]!.GetValue<string>() is RunPlanner.ImportVolume or RunPlanner.BootServer)
            .Select(s => (Name: $"{s!["kind"]} {s["target"]}", Attempts: s["attempts"]!.GetValue<int>())).ToList();
        Assert.That(overlapped.Where(s => s.Attempts < 2).Select(s => s.Name), Is.Empty, "every import and boot had a second attempt start beside its first");
        var findings = await RecoveryAudit.RecoveryAsync(_t, run["id"]!.GetValue<string>());
        _figures.Leftovers += findings.Count;
        Assert.That(findings, Is.Empty, "one import and one boot per resource, as Cinder, Nova and array-b's copy log count them");
        TestContext.Out.WriteLine($"step leases: {overlapped.Count} imports and boots each ran {overlapped.Min(s => s.Attempts)}-{overlapped.Max(s => s.Attempts)} attempts, " +
            $"{_leases.Failed - failedBefore} renewals blocked; audit findings {findings.Count}");
    }
}
