using System.Text.Json.Nodes;
using Draas.Simulators.OpenStack.Core;
using Draas.Tests.Reliability;
using Draas.Tests.Support;

namespace Draas.Tests.Runs;

/// <summary>
/// Runs that do not go to plan, told as one tenant's day: a member cancels their own drill; an admin
/// cancels a planned migration halfway and gets the primary's servers back; a failover fences the primary
/// that still answers, runs into the recovery project's Cinder quota on one import, and after the operator
/// raises the quota is resumed in place: each volume promoted and imported exactly once, as the array's
/// copy log and Cinder count them.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RunsThatGoWrongTests
{
    private static CancellationToken Ct => CancellationToken.None;

    private TenantInTheLab _t = null!;

    [OneTimeSetUp]
    public async Task Start() => _t = await TenantInTheLab.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private async Task<string> StartRunAsync(string kind, object? options = null, string token = TenantInTheLab.Admin)
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", token, new { run = new { plan_id = _t.Plan, kind, options = options ?? new { } } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        return body!["run"]!["id"]!.GetValue<string>();
    }

    private async Task<JsonNode> RunViewAsync(string id) => (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs/{id}", TenantInTheLab.Admin)).Body!["run"]!;

    private async Task<JsonNode> EndOfAsync(string id, int seconds = 180)
    {
        try
        {
            return await Eventually.WaitForAsync(async () =>
            {
                var run = await RunViewAsync(id);
                return run["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" ? run : null;
            }, $"run {id} to end", TimeSpan.FromSeconds(seconds));
        }
        catch (AssertionException)
        {
            throw new AssertionException($"run {id} did not end:\n{TenantInTheLab.Describe(await RunViewAsync(id))}\n{await _t.FailedJobsAsync()}");
        }
    }

    private static IEnumerable<JsonNode> Steps(JsonNode run, string kind) => run["steps"]!.AsArray().Where(s => s!["kind"]!.GetValue<string>() == kind).Select(s => s!);

    private Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> ActionAsync(string id, string action, string token = TenantInTheLab.Admin) =>
        _t.Service.SendAsync(HttpMethod.Post, $"/v1/runs/{id}/action", token, new Dictionary<string, object> { [action] = new { } });

    [Test, Order(1)]
    public async Task A_member_cancels_their_own_drill_and_its_cleanup_still_leaves_the_recovery_site_clean()
    {
        // Nova at the recovery site is slow today, so the drill is still booting when its owner cancels it.
        var recovery = _t.Lab.SiteB.OpenStack;
        recovery.Faults.Set("compute", new ServiceFault { Latency = TimeSpan.FromMilliseconds(500) });
        int status;
        JsonNode? body;
        string id;
        try
        {
            id = await StartRunAsync("drill", token: TenantInTheLab.Member);
            await Eventually.WaitForAsync(async () => Steps(await RunViewAsync(id), "import_volume").Any(s => s["state"]!.GetValue<string>() == "succeeded") ? "yes" : null,
                "the drill's first import", TimeSpan.FromSeconds(120));

            (status, body, _) = await ActionAsync(id, "cancel", TenantInTheLab.Member);
        }
        finally
        {
            recovery.Faults.Clear();
        }

        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        var run = await EndOfAsync(id);
        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("cancelled"), TenantInTheLab.Describe(run));
        var report = await _t.ReportAsync(id);
        Assert.That(report["cleanup"]!["clean"]!.GetValue<bool>(), Is.True, report["cleanup"]!.ToJsonString());
        Assert.That(await RecoveryAudit.OrphanCopiesAsync(_t), Is.Empty);
        var (again, answer, _) = await ActionAsync(id, "resume", TenantInTheLab.Member);
        Assert.That(again, Is.EqualTo(409), "a drill is not resumed: its cleanup already ran");
        Assert.That(answer!.ToJsonString(), Does.Contain("start a new drill"));
    }

    [Test, Order(2)]
    public async Task Cancelling_a_planned_migration_after_it_stopped_the_primary_starts_the_primarys_servers_again_and_the_report_says_so()
    {
        var site = _t.Lab.SiteA.OpenStack;
        // The last replication is slow today: every call to array-a takes a second and a half.
        await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-a", 1500, 0, Ct);
        string id;
        try
        {
            id = await StartRunAsync("planned_migration");
            await Eventually.WaitForAsync(async () =>
            {
                var now = await RunViewAsync(id);
                return Steps(now, "stop_server").All(s => s["state"]!.GetValue<string>() == "succeeded") ? "yes" : null;
            }, "the primary's servers to be stopped", TimeSpan.FromSeconds(120));
            Assert.That(_t.Servers.Values.Select(site.ServerStatus), Is.All.EqualTo("SHUTOFF"), "the migration stopped the primary");

            var (status, body, _) = await ActionAsync(id, "cancel");
            Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        }
        finally
        {
            await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-a", 0, 0, Ct);
        }

        var run = await EndOfAsync(id);
        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("cancelled"), TenantInTheLab.Describe(run));
        Assert.That(Steps(run, "boot_server").Select(s => s["state"]!.GetValue<string>()), Is.All.EqualTo("cancelled"));
        Assert.That(_t.Servers.Values.Select(site.ServerStatus), Is.All.EqualTo("ACTIVE"), "the cancel gave the tenant its primary back");
        var report = await _t.ReportAsync(id);
        var restart = report["primary_restart"]!;
        Assert.That(restart["restarted"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "web", "app", "db" }), restart.ToJsonString());
        Assert.That(restart["reason"]!.GetValue<string>(), Does.Contain("started again"));
        var markdown = await _t.Service.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/runs/{id}/report")
        {
            Headers = { { "X-Auth-Token", TenantInTheLab.Admin }, { "Accept", "text/markdown" } },
        });
        Assert.That(await markdown.Content.ReadAsStringAsync(), Does.Contain("started again: web"));

        var (again, answer, _) = await ActionAsync(id, "resume");
        Assert.That(again, Is.EqualTo(409), "resuming would migrate without stopping the restarted primary");
        Assert.That(answer!.ToJsonString(), Does.Contain("new planned migration"));
    }

    [Test, Order(3)]
    public async Task A_failover_that_hits_the_cinder_quota_on_one_import_is_resumed_after_the_quota_is_raised_and_promotes_and_imports_each_volume_exactly_once()
    {
        var recovery = _t.Lab.SiteB.OpenStack;
        var project = recovery.ProjectId("demo");
        await _t.AdminB.BlockStorage.Admin.UpdateQuotasAsync(project, new Dictionary<string, int> { ["volumes"] = 10 }, Ct);
        // Slow Cinder at the recovery site leaves time to shrink the quota between preflight's check and the imports.
        recovery.Faults.Set("volume", new ServiceFault { Latency = TimeSpan.FromMilliseconds(700) });
        string id;
        try
        {
            id = await StartRunAsync("failover", new { max_parallel = 2 });
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (true)
            {
                var preflight = Steps(await RunViewAsync(id), "preflight").Single()["state"]!.GetValue<string>();
                if (preflight == "succeeded") break;
                Assert.That(preflight, Is.Not.EqualTo("failed"));
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "preflight did not finish");
                await Task.Delay(20);
            }
            // Another project's admin took room meanwhile: four of the five imports fit.
            await _t.AdminB.BlockStorage.Admin.UpdateQuotasAsync(project, new Dictionary<string, int> { ["volumes"] = 4 }, Ct);
        }
        finally
        {
            recovery.Faults.Clear();
        }

        var failed = await EndOfAsync(id);

        Assert.That(failed["state"]!.GetValue<string>(), Is.EqualTo("failed"), TenantInTheLab.Describe(failed));
        var refused = Steps(failed, "import_volume").Where(s => s["state"]!.GetValue<string>() == "failed").ToList();
        Assert.That(refused, Has.Count.EqualTo(1), TenantInTheLab.Describe(failed));
        Assert.That(refused[0]["error"]!.GetValue<string>(), Does.Contain("VolumeLimitExceeded"), "the report carries Cinder's own message");
        var fencing = (await _t.ReportAsync(id))["fencing"]!;
        Assert.That(fencing["fenced"]!.GetValue<bool>(), Is.True, fencing.ToJsonString());
        Assert.That(fencing["servers"]!.AsArray().Select(s => s!["detail"]!.GetValue<string>()), Is.All.EqualTo("stopped"), fencing.ToJsonString());
        Assert.That(_t.Servers.Values.Select(_t.Lab.SiteA.OpenStack.ServerStatus), Is.All.EqualTo("SHUTOFF"), "the primary answered, so it was fenced: no split brain");

        var (denied, _, _) = await ActionAsync(id, "resume", TenantInTheLab.Member);
        Assert.That(denied, Is.EqualTo(403), "a member may not resume the admin's failover");
        var (cancelDenied, _, _) = await ActionAsync(id, "cancel", TenantInTheLab.Member);
        Assert.That(cancelDenied, Is.EqualTo(403), "nor cancel it");

        await _t.AdminB.BlockStorage.Admin.UpdateQuotasAsync(project, new Dictionary<string, int> { ["volumes"] = 20 }, Ct);
        var (status, body, _) = await ActionAsync(id, "resume");
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        var resumed = await EndOfAsync(id);

        Assert.That(resumed["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(resumed));
        var findings = await RecoveryAudit.RecoveryAsync(_t, id);
        Assert.That(findings, Is.Empty, "audited from array-b's copy log, Cinder and Nova: each volume promoted, imported and each server booted exactly once");
        var promotes = Steps(resumed, "promote_volume").ToList();
        Assert.That(promotes.Select(s => s["attempts"]!.GetValue<int>()), Is.All.EqualTo(1), "the resume did not promote again");
        var report = await _t.ReportAsync(id);
        Assert.That(report["resumes"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(report["recovered"]!["volumes"]!.AsArray(), Has.Count.EqualTo(5));
        TestContext.Out.WriteLine($"resume: 1 import refused by the quota, resumed once; {promotes.Count} promotes, {report["recovered"]!["volumes"]!.AsArray().Count} imports, " +
            $"{report["recovered"]!["servers"]!.AsArray().Count} boots; audit findings {findings.Count}; fenced {fencing["servers"]!.AsArray().Count} primary servers");

        var (twice, _, _) = await ActionAsync(id, "resume");
        Assert.That(twice, Is.EqualTo(409), "a succeeded run has nothing to resume");
    }
}
