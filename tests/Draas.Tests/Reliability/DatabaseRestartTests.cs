using Draas.Tests.Runs;
using Draas.Tests.Support;

namespace Draas.Tests.Reliability;

/// <summary>
/// The service's PostgreSQL goes away in the middle of a failover (stopped with <c>-m immediate</c>, every
/// connection cut, kept down a few seconds, started again): the service rides it out and the run resumes
/// and completes, each volume promoted, imported and booted once. The cluster is the test's own.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DatabaseRestartTests
{
    private ReliabilityFigures? _figures;

    [TearDown]
    public void PrintFigures() => _figures?.Print();

    [Test]
    [CancelAfter(300_000)]
    public async Task A_failover_whose_postgresql_restarts_twice_while_its_steps_run_resumes_and_completes_with_each_volume_imported_once()
    {
        var figures = _figures = new ReliabilityFigures("postgresql restart");
        await using var cluster = await PrivateCluster.StartAsync();
        var database = await TestDatabase.CreateAsync(cluster.Server);
        await using var lab = await KillingHarness.StartAsync(new Draas.Simulators.OpenStack.SimDelays { VolumeManage = TimeSpan.FromSeconds(40) }, database);

        var runId = await lab.Runs.StartAsync(lab.Tenant.Plan, "failover");
        var restarts = 0;
        foreach (var kind in new[] { "import_volume", "boot_server" })
        {
            await Eventually.WaitForAsync(async () =>
                (await lab.Runs.TryGetAsync(runId))?["steps"]!.AsArray().Any(s => s!["kind"]!.GetValue<string>() == kind && s["state"]!.GetValue<string>() == "running") == true ? "yes" : null,
                $"a {kind} step to be running", TimeSpan.FromSeconds(120));
            TestContext.Progress.WriteLine($"[chaos] restarting PostgreSQL while a {kind} step runs");
            await cluster.RestartAsync(TimeSpan.FromSeconds(3));
            restarts++;
        }
        var run = await lab.Runs.WaitForEndAsync(runId, TimeSpan.FromSeconds(180));
        var findings = await RecoveryAudit.RecoveryAsync(lab.Tenant, runId);
        figures.Runs = 1;
        figures.Leftovers = findings.Count;
        figures.Other["postgresql restarts"] = restarts;

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        Assert.That(lab.Service.Starts, Is.EqualTo(1), "the service itself was never restarted");
        Assert.That(findings, Is.Empty);
    }
}
