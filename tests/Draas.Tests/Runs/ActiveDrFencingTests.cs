using Draas.Tests.Protection;

namespace Draas.Tests.Runs;

/// <summary>
/// No split brain with ActiveDR: a failover of a <c>continuous</c> plan whose primary still answers stops the
/// primary's servers and demotes the source pod, so only the recovery site's pod takes writes; the report's
/// fencing section says so, and array-a and array-b show it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ActiveDrFencingTests
{
    private TenantInTheLab _t = null!;

    [OneTimeSetUp]
    public async Task Start() => _t = await TenantInTheLab.StartAsync(mode: "continuous", continuousLag: TimeSpan.FromMinutes(5));

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    [Test]
    public async Task A_failover_of_an_activedr_plan_with_the_primary_up_demotes_the_source_pod_so_only_the_recovery_site_writes()
    {
        var pod = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}/status", TenantInTheLab.Admin)).Body!["status"]!["groups"]![0]!["name"]!.GetValue<string>();

        var run = await _t.RunAsync("failover", timeoutSeconds: 180);

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var fencing = (await _t.ReportAsync(run["id"]!.GetValue<string>()))["fencing"]!;
        Assert.That(fencing["fenced"]!.GetValue<bool>(), Is.True, fencing.ToJsonString());
        var group = fencing["groups"]!.AsArray().Single()!;
        Assert.That(group["demoted"]!.GetValue<bool>(), Is.True, fencing.ToJsonString());
        Assert.That(_t.Servers.Values.Select(_t.Lab.SiteA.OpenStack.ServerStatus), Is.All.EqualTo("SHUTOFF"), "the primary's servers were stopped");
        using var a = new ArrayInspector(_t.Lab.SiteA.ArrayUrl, _t.Lab.SiteA.ApiToken);
        using var b = new ArrayInspector(_t.Lab.SiteB.ArrayUrl, _t.Lab.SiteB.ApiToken);
        string Promotion(System.Text.Json.Nodes.JsonArray pods) => pods.Single(p => p!["name"]!.GetValue<string>() == pod)!["promotion_status"]!.GetValue<string>();
        Assert.That(Promotion(await a.GetAsync("pods")), Is.EqualTo("demoted"), "the source pod no longer takes writes");
        Assert.That(Promotion(await b.GetAsync("pods")), Is.EqualTo("promoted"), "the recovery pod does");
        TestContext.Out.WriteLine($"activedr fencing: {fencing["servers"]!.AsArray().Count} servers stopped, pod {pod} demoted at array-a: {group["detail"]}");
    }
}
