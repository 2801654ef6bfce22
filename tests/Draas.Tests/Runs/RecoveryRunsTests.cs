using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Servers;

namespace Draas.Tests.Runs;

/// <summary>
/// The heart of the product, told as one tenant's story against the DR lab: a drill that leaves the
/// recovery site as it found it, a dry run that is the real run's plan, a planned migration that loses
/// no write, a reprotect that turns replication round, and a failback home.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RecoveryRunsTests
{
    private TenantInTheLab _t = null!;

    private static CancellationToken Ct => CancellationToken.None;

    [OneTimeSetUp]
    public async Task Start() => _t = await TenantInTheLab.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private async Task<(List<string> Servers, List<string> Volumes)> RecoverySiteAsync() => (
        await _t.AdminB.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true }, Ct).Select(s => s.Id).ToListAsync(Ct),
        await _t.AdminB.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, Ct).Select(v => v.Id).ToListAsync(Ct));

    [Test, Order(1)]
    public async Task A_drill_of_a_three_server_tenant_brings_every_server_up_healthy_and_leaves_the_recovery_site_as_it_found_it()
    {
        var before = await RecoverySiteAsync();
        var groupBefore = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}/status", TenantInTheLab.Admin)).Body!["status"]!["groups"]![0]!;

        var run = await _t.RunAsync("drill", token: TenantInTheLab.Member);

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var report = await _t.ReportAsync(run["id"]!.GetValue<string>());
        Assert.That(report["recovered"]!["servers"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "web", "app", "db" }));
        Assert.That(report["recovered"]!["volumes"]!.AsArray(), Has.Count.EqualTo(5));
        Assert.That(report["health"]!.AsArray().Select(h => h!["state"]!.GetValue<string>()), Is.EqualTo(new[] { "succeeded", "succeeded" }));
        Assert.That(report["rto_seconds"]!.GetValue<double>(), Is.GreaterThan(0));
        Assert.That(report["rpo_seconds"]!.GetValue<double>(), Is.GreaterThanOrEqualTo(0));
        Assert.That(report["cleanup"]!["clean"]!.GetValue<bool>(), Is.True, report["cleanup"]!.ToJsonString());
        Assert.That(report["cleanup"]!["removed"]!["servers"]!.AsArray(), Has.Count.EqualTo(3));
        Assert.That(report["cleanup"]!["removed"]!["array_copies"]!.AsArray(), Has.Count.EqualTo(5));
        Assert.That(report["cleanup"]!["removed"]!["flavors"]!.AsArray(), Has.Count.EqualTo(1), "the pinned flavor only site A had");

        // Priority groups: db (group 2) booted only after web and app were ACTIVE.
        var steps = run["steps"]!.AsArray();
        DateTimeOffset At(string kind, string target, string field) => steps.Single(s => s!["kind"]!.GetValue<string>() == kind && s["target"]?.GetValue<string>() == target)![field]!.GetValue<DateTimeOffset>();
        Assert.That(At("boot_server", _t.Servers["db"], "started_at"), Is.GreaterThanOrEqualTo(At("boot_server", _t.Servers["web"], "finished_at")));
        Assert.That(At("boot_server", _t.Servers["db"], "started_at"), Is.GreaterThanOrEqualTo(At("boot_server", _t.Servers["app"], "finished_at")));

        var after = await RecoverySiteAsync();
        Assert.That(after.Servers, Is.EquivalentTo(before.Servers), "no server left at the recovery site");
        Assert.That(after.Volumes, Is.EquivalentTo(before.Volumes), "no volume left at the recovery site");
        var groupAfter = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}/status", TenantInTheLab.Admin)).Body!["status"]!["groups"]![0]!;
        Assert.That(groupAfter["members"]!.ToJsonString(), Is.EqualTo(groupBefore["members"]!.ToJsonString()), "the primary's replication is untouched");
        Assert.That(groupAfter["source_array"]!.GetValue<string>(), Is.EqualTo("array-a"));
    }

    [Test, Order(2)]
    public async Task A_dry_run_lists_exactly_the_steps_the_real_run_then_executes()
    {
        var (status, dry, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin,
            new { run = new { plan_id = _t.Plan, kind = "drill", dry_run = true } });
        Assert.That(status, Is.EqualTo(200), dry?.ToJsonString());
        var (_, list, _) = await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs?plan_id={_t.Plan}&kind=drill", TenantInTheLab.Admin);
        Assert.That(list!["runs"]!.AsArray(), Has.Count.EqualTo(1), "a dry run stores nothing");

        var real = await _t.RunAsync("drill");

        static string[] Plan(JsonNode run) => [.. run["steps"]!.AsArray().Select(s => $"{s!["sequence"]} {s["phase"]} {s["kind"]} {s["target"]} after {s["depends_on"]!.ToJsonString()}")];
        Assert.That(Plan(real), Is.EqualTo(Plan(dry!["run"]!)));
        Assert.That(real["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(real));
    }
}
