using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.Simulators.OpenStack;
using Draas.Tests.Protection;
using Draas.Tests.Support;

namespace Draas.Tests.Runs;

/// <summary>
/// The service is killed (SIGKILL) in the middle of a failover's import phase and started again: the run
/// completes from the database alone, every volume promoted once and imported once, nothing orphaned.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CrashRecoveryTests
{
    [Test]
    [CancelAfter(400_000)]
    public async Task A_failover_whose_service_is_killed_during_the_imports_completes_after_a_restart_with_each_volume_promoted_and_imported_once()
    {
        // Imports take 40 lab-seconds (2 s of real time), so the kill lands while some are in flight.
        await using var t = await TenantInTheLab.StartAsync(new SimDelays { VolumeManage = TimeSpan.FromSeconds(40) });
        await t.Service.StopHostAsync();
        using var service = new ServiceProcess(t.Service.Database.ConnectionString, t.Service.Keystone);
        await service.StartAsync();

        using var start = new HttpRequestMessage(HttpMethod.Post, "/v1/runs") { Content = JsonContent.Create(new { run = new { plan_id = t.Plan, kind = "failover" } }) };
        start.Headers.Add("X-Auth-Token", TenantInTheLab.Admin);
        var created = await service.Http.SendAsync(start);
        Assert.That((int)created.StatusCode, Is.EqualTo(202), await created.Content.ReadAsStringAsync());
        var runId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["run"]!["id"]!.GetValue<string>();

        async Task<JsonNode> RunAsync()
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, $"/v1/runs/{runId}");
            get.Headers.Add("X-Auth-Token", TenantInTheLab.Admin);
            return JsonNode.Parse(await (await service.Http.SendAsync(get)).Content.ReadAsStringAsync())!["run"]!;
        }
        await Eventually.WaitForAsync(async () =>
            (await RunAsync())["steps"]!.AsArray().Any(s => s!["kind"]!.GetValue<string>() == "import_volume" && s["state"]!.GetValue<string>() == "running") ? "yes" : null,
            "an import to be running", TimeSpan.FromSeconds(120));
        service.Kill();
        await service.StartAsync();

        var run = await Eventually.WaitForAsync(async () =>
        {
            var r = await RunAsync();
            return r["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" ? r : null;
        }, "the failover to end after the restart", TimeSpan.FromSeconds(180));

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        Assert.That(run["steps"]!.AsArray().Any(s => s!["attempts"]!.GetValue<int>() > 1), Is.True, "some step was re-run after the kill");
        var imported = await t.AdminB.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, CancellationToken.None)
            .Where(v => v.Metadata.GetValueOrDefault("draas:run") == runId).ToListAsync();
        Assert.That(imported.Select(v => v.Metadata["draas:source"]), Is.EquivalentTo(t.Volumes.Values), "each volume imported exactly once");
        using var arrayB = new ArrayInspector(t.Lab.SiteB.ArrayUrl, t.Lab.SiteB.ApiToken);
        var names = (await arrayB.GetAsync("volumes")).Select(v => v!["name"]!.GetValue<string>()).ToList();
        Assert.That(names.Where(n => n.StartsWith("draas-fo-", StringComparison.Ordinal)), Is.Empty, "every promoted copy was imported: none orphaned, none made twice");
        foreach (var v in imported) Assert.That(names, Does.Contain($"volume-{v.Id}-cinder"));
        Assert.That(service.Starts, Is.EqualTo(2));
    }
}
