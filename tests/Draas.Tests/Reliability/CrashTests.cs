using Draas.Tests.Runs;
using Draas.Tests.Support;

namespace Draas.Tests.Reliability;

/// <summary>
/// The service is SIGKILLed at seeded points of real recoveries and started again each time: every run
/// completes from the database alone, each volume promoted once and imported once, each server booted
/// once, no copy orphaned on either array. The fast form (three kills in one failover) runs with
/// ./tox -e test; the long form (at least 20 kills, or DRAAS_CHAOS_KILLS, over failovers, drills (the
/// last kill of each during its cleanup) and planned migrations) with ./tox -e chaos.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CrashTests
{
    public const string Category = "Chaos";

    private ReliabilityFigures? _figures;

    [TearDown]
    public void PrintFigures() => _figures?.Print();

    [Test]
    [CancelAfter(300_000)]
    public async Task A_failover_whose_service_is_killed_at_three_seeded_points_completes_with_each_volume_promoted_imported_and_booted_once()
    {
        var figures = _figures = new ReliabilityFigures("crash, fast form");
        var random = ChaosSeed.For(nameof(A_failover_whose_service_is_killed_at_three_seeded_points_completes_with_each_volume_promoted_imported_and_booted_once));
        // Imports take 40 lab-seconds (2 s of real time), so kills land while volumes are in flight.
        await using var lab = await KillingHarness.StartAsync(new Draas.Simulators.OpenStack.SimDelays { VolumeManage = TimeSpan.FromSeconds(40) });

        var (run, kills) = await lab.RunWithKillsAsync("failover", 3, random, allowDelays: false);
        figures.Runs = 1;
        figures.Kills = kills;
        var findings = await RecoveryAudit.RecoveryAsync(lab.Tenant, run["id"]!.GetValue<string>());
        figures.Leftovers = findings.Count;
        figures.Other["step attempts repeated"] = Repeated(run);

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        Assert.That(kills, Is.EqualTo(3), "every kill point was reached before the run ended");
        Assert.That(lab.Service.Starts, Is.EqualTo(4));
        Assert.That(findings, Is.Empty);
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task A_drill_whose_service_is_killed_at_two_seeded_points_and_during_its_cleanup_leaves_the_recovery_site_and_both_arrays_as_it_found_them()
    {
        var figures = _figures = new ReliabilityFigures("crash, drill");
        var random = ChaosSeed.For(nameof(A_drill_whose_service_is_killed_at_two_seeded_points_and_during_its_cleanup_leaves_the_recovery_site_and_both_arrays_as_it_found_them));
        // Imports and deletes take 40 lab-seconds (2 s of real time), so kills land while volumes are in flight and while the cleanup waits.
        await using var lab = await KillingHarness.StartAsync(new Draas.Simulators.OpenStack.SimDelays { VolumeManage = TimeSpan.FromSeconds(40), VolumeDelete = TimeSpan.FromSeconds(40) });
        var before = await RecoveryAudit.InventoryAsync(lab.Tenant);

        var (run, kills) = await lab.RunWithKillsAsync("drill", 2, random, allowDelays: false, lastDuring: "cleanup");
        figures.Runs = 1;
        figures.Kills = kills;
        var findings = await RecoveryAudit.DrillAsync(lab.Tenant, run["id"]!.GetValue<string>());
        findings.AddRange(RecoveryAudit.Difference(before, await RecoveryAudit.InventoryAsync(lab.Tenant)).Select(d => $"left behind: {d}"));
        figures.Leftovers = findings.Count;
        figures.Other["step attempts repeated"] = Repeated(run);

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        Assert.That(kills, Is.EqualTo(3), "every kill point was reached before the drill ended, the last during its cleanup");
        Assert.That(run["steps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "cleanup")!["attempts"]!.GetValue<int>(), Is.GreaterThan(1), "the cleanup was cut short and ran again");
        Assert.That(findings, Is.Empty);
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task A_failover_awaiting_commit_and_its_rollback_survive_kills_and_leave_both_sites_and_arrays_as_they_were()
    {
        var figures = _figures = new ReliabilityFigures("crash, rollback");
        // Imports and unmanages take 40 lab-seconds (2 s of real time), so the kill lands while the rollback waits.
        await using var lab = await KillingHarness.StartAsync(new Draas.Simulators.OpenStack.SimDelays { VolumeManage = TimeSpan.FromSeconds(40), VolumeDelete = TimeSpan.FromSeconds(40) });
        var before = await RecoveryAudit.FullInventoryAsync(lab.Tenant);

        var id = await lab.Runs.StartAsync(lab.Tenant.Plan, "failover", new { commit = "manual" });
        await lab.Runs.WaitForStateAsync(id, TimeSpan.FromSeconds(180), "awaiting_commit");
        // The wait for a person is a row, not a worker: a killed service finds it waiting still.
        await lab.KillAndRestartAsync();
        var waiting = await lab.Runs.WaitForStateAsync(id, TimeSpan.FromSeconds(60), "awaiting_commit", "succeeded", "failed");
        Assert.That(waiting["state"]!.GetValue<string>(), Is.EqualTo("awaiting_commit"));

        var (status, body) = await lab.Runs.ActAsync(id, "rollback");
        Assert.That(status, Is.EqualTo(202), body);
        await Eventually.WaitForAsync(async () => await lab.Runs.TryGetAsync(id) is { } run
                && run["steps"]!.AsArray().Any(s => s!["kind"]!.GetValue<string>() == "rollback" && s["state"]!.GetValue<string>() == "running") ? "running" : null,
            "the rollback step to run", TimeSpan.FromSeconds(120));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await lab.KillAndRestartAsync();

        var end = await lab.Runs.WaitForEndAsync(id, TimeSpan.FromSeconds(240));
        figures.Runs = 1;
        figures.Kills = 2;
        var findings = RecoveryAudit.Difference(before, await RecoveryAudit.FullInventoryAsync(lab.Tenant)).Select(d => $"left behind: {d}").ToList();
        findings.AddRange(await RecoveryAudit.OrphanCopiesAsync(lab.Tenant));
        foreach (var (name, server) in lab.Tenant.Servers)
        {
            var status2 = (await lab.Tenant.TenantA.Compute.Servers.GetAsync(server, CancellationToken.None)).Status;
            if (status2 != "ACTIVE") findings.Add($"primary server {name} is {status2}");
        }
        figures.Leftovers = findings.Count;
        figures.Other["step attempts repeated"] = Repeated(end);

        Assert.That(end["state"]!.GetValue<string>(), Is.EqualTo("rolled_back"), TenantInTheLab.Describe(end));
        Assert.That(end["steps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "rollback")!["attempts"]!.GetValue<int>(), Is.GreaterThan(1), "the rollback was cut short and ran again");
        Assert.That(findings, Is.Empty);
    }

    [Test]
    [Category(Category)]
    [CancelAfter(1_800_000)]
    public async Task Failovers_drills_and_planned_migrations_killed_at_twenty_seeded_points_all_complete_and_leave_nothing_twice_or_behind()
    {
        var figures = _figures = new ReliabilityFigures("crash, long form");
        var random = ChaosSeed.For(nameof(Failovers_drills_and_planned_migrations_killed_at_twenty_seeded_points_all_complete_and_leave_nothing_twice_or_behind));
        var wanted = int.TryParse(Environment.GetEnvironmentVariable("DRAAS_CHAOS_KILLS"), out var k) ? k : 20;
        var failures = new List<string>();
        var repeated = 0L;
        var drills = 0;
        string[] kinds = ["failover", "drill", "planned_migration"];
        for (var n = 0; figures.Kills < wanted && n < wanted; n++)
        {
            var kind = kinds[n % kinds.Length];
            var drill = kind == "drill";
            // A fresh tenant for each run: a recovery turns the protection round, and each audit starts clean.
            // Deletes are slow too for drills, so kills land while the cleanup waits on Cinder.
            await using var lab = await KillingHarness.StartAsync(new Draas.Simulators.OpenStack.SimDelays
            {
                VolumeManage = TimeSpan.FromSeconds(40),
                VolumeDelete = drill ? TimeSpan.FromSeconds(40) : TimeSpan.Zero,
            });
            var before = drill ? await RecoveryAudit.InventoryAsync(lab.Tenant) : null;
            // A drill's last kill lands in its cleanup, after its seeded points.
            var seeded = Math.Min(random.Next(3, 6), wanted - figures.Kills) - (drill ? 1 : 0);
            var (run, kills) = await lab.RunWithKillsAsync(kind, Math.Max(1, seeded), random, allowDelays: true, lastDuring: drill ? "cleanup" : null);
            figures.Runs++;
            figures.Kills += kills;
            repeated += Repeated(run);
            var id = run["id"]!.GetValue<string>();
            List<string> findings;
            if (drill)
            {
                drills++;
                findings = await RecoveryAudit.DrillAsync(lab.Tenant, id);
                findings.AddRange(RecoveryAudit.Difference(before!, await RecoveryAudit.InventoryAsync(lab.Tenant)).Select(d => $"left behind: {d}"));
            }
            else findings = await RecoveryAudit.RecoveryAsync(lab.Tenant, id);
            figures.Leftovers += findings.Count;
            if (run["state"]!.GetValue<string>() != "succeeded") failures.Add($"{kind} {id} ended {run["state"]}:\n{TenantInTheLab.Describe(run)}");
            failures.AddRange(findings.Select(f => $"{kind} {id}: {f}"));
            TestContext.Progress.WriteLine($"[chaos] {kind} {id}: {run["state"]} after {kills} kills; {findings.Count} findings");
        }
        figures.Other["drills"] = drills;
        figures.Other["step attempts repeated"] = repeated;

        Assert.That(failures, Is.Empty);
        Assert.That(drills, Is.GreaterThan(0), "the long form killed at least one drill");
        Assert.That(figures.Kills, Is.GreaterThanOrEqualTo(wanted));
    }

    /// <summary>How many step attempts beyond the first the run needed (a kill costs the attempts it cut short).</summary>
    private static long Repeated(System.Text.Json.Nodes.JsonNode run) =>
        run["steps"]!.AsArray().Sum(s => Math.Max(0, s!["attempts"]!.GetValue<int>() - 1));
}
