using Draas.Tests.Runs;

namespace Draas.Tests.Reliability;

/// <summary>
/// Real recoveries, not only drills, while 10 % of every OpenStack call (both sites, every service) and
/// every array call (both arrays) fail with a 503: each run succeeds, with nothing promoted, imported or
/// booted twice and nothing left on the arrays. The fast form is one failover and one planned migration;
/// the long form (./tox -e chaos) three of each.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TransientFaultTests
{
    private ReliabilityFigures? _figures;

    [TearDown]
    public void PrintFigures() => _figures?.Print();

    [Test]
    [CancelAfter(600_000)]
    public async Task A_failover_and_a_planned_migration_with_ten_percent_of_every_openstack_and_array_call_failing_both_succeed()
    {
        var figures = _figures = new ReliabilityFigures("transient faults, fast form");
        var failures = new List<string>();
        foreach (var kind in new[] { "failover", "planned_migration" }) failures.AddRange(await RecoverUnderFaultsAsync(kind, figures));
        Assert.That(failures, Is.Empty);
        Assert.That(figures.FaultsInjected, Is.GreaterThan(0), "the simulators injected faults");
    }

    [Test]
    [Category(CrashTests.Category)]
    [CancelAfter(1_800_000)]
    public async Task Three_failovers_and_three_planned_migrations_with_ten_percent_of_every_call_failing_all_succeed()
    {
        var figures = _figures = new ReliabilityFigures("transient faults, long form");
        var failures = new List<string>();
        for (var i = 0; i < 3; i++)
            foreach (var kind in new[] { "failover", "planned_migration" }) failures.AddRange(await RecoverUnderFaultsAsync(kind, figures));
        Assert.That(failures, Is.Empty);
        Assert.That(figures.FaultsInjected, Is.GreaterThan(0), "the simulators injected faults");
    }

    /// <summary>One run of a fresh tenant under the faults; what went wrong with it, one line each.</summary>
    private static async Task<List<string>> RecoverUnderFaultsAsync(string kind, ReliabilityFigures figures)
    {
        await using var t = await TenantInTheLab.StartAsync();
        var before = await LabFaults.InjectedAsync(t.Lab);
        System.Text.Json.Nodes.JsonNode run;
        await using (await LabFaults.TransientEverywhereAsync(t.Lab, 0.1))
        {
            run = await t.RunAsync(kind, timeoutSeconds: 300);
        }
        var injected = await LabFaults.InjectedAsync(t.Lab) - before;
        var id = run["id"]!.GetValue<string>();
        var findings = await RecoveryAudit.RecoveryAsync(t, id);
        figures.Runs++;
        figures.FaultsInjected += injected;
        figures.Leftovers += findings.Count;
        var retried = run["steps"]!.AsArray().Sum(s => Math.Max(0, s!["attempts"]!.GetValue<int>() - 1));
        figures.Other["step attempts repeated"] = figures.Other.GetValueOrDefault("step attempts repeated") + retried;
        TestContext.Progress.WriteLine($"[chaos] {kind} {id}: {run["state"]} with {injected} faults injected, {retried} step attempts repeated, {findings.Count} findings");
        var failures = findings.Select(f => $"{kind} {id}: {f}").ToList();
        if (run["state"]!.GetValue<string>() != "succeeded") failures.Insert(0, $"{kind} {id} ended {run["state"]}:\n{TenantInTheLab.Describe(run)}");
        return failures;
    }
}
