using System.Text.Json.Nodes;
using Draas.Simulators.FlashArray;
using Draas.Tests.Support;

namespace Draas.Tests.Runs;

/// <summary>
/// The recovery story of a tenant whose plan replicates through a Pure pod, once per pod mode, each in its
/// own lab: <c>sync</c> (an ActiveCluster pod stretched to the recovery array: every acknowledged write is on
/// both) and <c>continuous</c> (an ActiveDR pod replica link, here trailing its source by five lab minutes).
/// A dry run and the runbook show the mode's steps; then a drill, a planned migration, a reprotect, a failback
/// and a disaster failover. Every "no write lost" is read from the arrays' own write logs: the primary
/// volume's against its recovered copy's.
/// </summary>
[TestFixture("sync")]
[TestFixture("continuous")]
[NonParallelizable]
public sealed class PodRecoveryRunsTests(string mode)
{
    /// <summary>Longer than a run takes from the last write to its promote, so only a quiesced demote can
    /// bring those writes across.</summary>
    private static readonly TimeSpan Lag = TimeSpan.FromMinutes(5);

    private TenantInTheLab _t = null!;

    private static CancellationToken Ct => CancellationToken.None;

    [OneTimeSetUp]
    public async Task Start() => _t = await TenantInTheLab.StartAsync(mode: mode, continuousLag: Lag);

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private async Task<List<SimWrite>> WritesAsync(string array, string volumeId) =>
        [.. await _t.Lab.FlashArray.Admin.ReadAsync(array, $"volume-{volumeId}-cinder", Ct)];

    private async Task<List<string>> DataAsync(string array, string volumeId) => [.. (await WritesAsync(array, volumeId)).Select(w => w.Data)];

    private async Task<JsonNode> GroupAsync() =>
        (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}/status", TenantInTheLab.Admin)).Body!["status"]!["groups"]![0]!;

    private async Task<JsonNode> ProtectionAsync() =>
        (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/protections/{_t.Protection}", TenantInTheLab.Admin)).Body!["protection"]!;

    private async Task<string> DbServerAsync()
    {
        var plan = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin)).Body!["plan"]!;
        return plan["resources"]!.AsArray().Single(r => r!["priority_group"]!.GetValue<int>() == 2)!["id"]!.GetValue<string>();
    }

    private static Dictionary<string, string> Recovered(JsonObject report) =>
        report["recovered"]!["volumes"]!.AsArray().ToDictionary(v => v!["source_id"]!.GetValue<string>(), v => v!["volume_id"]!.GetValue<string>());

    private static string[] Kinds(JsonNode run) => [.. run["steps"]!.AsArray().Select(s => s!["kind"]!.GetValue<string>())];

    [Test, Order(1)]
    public async Task The_dry_run_and_the_runbook_show_the_steps_of_the_plans_replication_mode()
    {
        var (status, dry, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin,
            new { run = new { plan_id = _t.Plan, kind = "planned_migration", dry_run = true } });
        Assert.That(status, Is.EqualTo(200), dry?.ToJsonString());
        var steps = dry!["run"]!["steps"]!.AsArray();
        var last = mode == "continuous" ? "demote_source" : "replicate_now";
        var other = mode == "continuous" ? "replicate_now" : "demote_source";
        Assert.That(Kinds(dry["run"]!), Does.Contain(last).And.Not.Contain(other), "the last sync before the switch is the mode's own");
        var promotes = steps.Where(s => s!["kind"]!.GetValue<string>() == "promote_volume").ToList();
        Assert.That(promotes, Has.Count.EqualTo(5), "the preflight finds every pod member: none is 'not replicated yet'");
        Assert.That(promotes.Select(p => p!["input"]!["mode"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { mode }));
        Assert.That(promotes.Select(p => p!["input"]!["group"]!.GetValue<string>()).Distinct().Single(), Is.EqualTo((await GroupAsync())["name"]!.GetValue<string>()));

        var runbook = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/protections/{_t.Protection}/runbook", TenantInTheLab.Admin)).Body!.GetValue<string>();
        Assert.That(runbook, Does.Contain(mode == "sync" ? "Sync (ActiveCluster pod)" : "Continuous (ActiveDR pod replica link)"));
        Assert.That(runbook, Does.Contain(mode == "sync" ? ", copied out of the stretched pod" : ", after promoting the recovery pod"));
        Assert.That(runbook, Does.Not.Contain("from the chosen replicated snapshot"), "no protection-group wording for a pod");
    }

    [Test, Order(2)]
    public async Task A_drill_copies_each_volume_out_of_the_recovery_arrays_pod_and_leaves_replication_untouched()
    {
        var before = await GroupAsync();
        var pod = before["name"]!.GetValue<string>();

        var run = await _t.RunAsync("drill", token: TenantInTheLab.Member);

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var report = await _t.ReportAsync(run["id"]!.GetValue<string>());
        Assert.That(report["recovered"]!["servers"]!.AsArray(), Has.Count.EqualTo(3));
        Assert.That(report["cleanup"]!["clean"]!.GetValue<bool>(), Is.True, report["cleanup"]!.ToJsonString());
        var copies = (await _t.Lab.FlashArray.Admin.CopiesAsync("array-b", Ct)).Where(c => c.Name.StartsWith("draas-drill-", StringComparison.Ordinal)).ToList();
        Assert.That(copies, Has.Count.EqualTo(5));
        Assert.That(copies.Select(c => c.Source), Is.All.StartWith($"{pod}::"), "each drill copy is taken from the pod on the recovery array");
        var after = await GroupAsync();
        Assert.That(after["members"]!.ToJsonString(), Is.EqualTo(before["members"]!.ToJsonString()));
        Assert.That(after["source_array"]!.GetValue<string>(), Is.EqualTo("array-a"));
    }

    [Test, Order(3)]
    public async Task A_planned_migration_cancelled_after_the_switch_began_gives_the_primary_back_writable_and_its_servers_running()
    {
        var site = _t.Lab.SiteA.OpenStack;
        var pod = (await GroupAsync())["name"]!.GetValue<string>();
        var last = mode == "continuous" ? "demote_source" : "replicate_now";
        // The recovery array is slow today: every call takes a second and a half, so the promotes are still
        // under way when the operator changes their mind.
        await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-b", 1500, 0, Ct);
        string id;
        try
        {
            var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin, new { run = new { plan_id = _t.Plan, kind = "planned_migration" } });
            Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
            id = body!["run"]!["id"]!.GetValue<string>();
            await Eventually.WaitForAsync(async () =>
            {
                var now = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs/{id}", TenantInTheLab.Admin)).Body!["run"]!;
                return now["steps"]!.AsArray().Where(s => s!["kind"]!.GetValue<string>() is "stop_server" || s!["kind"]!.GetValue<string>() == last)
                    .All(s => s!["state"]!.GetValue<string>() == "succeeded") ? "yes" : null;
            }, $"the primary stopped and {last} done", TimeSpan.FromSeconds(120));
            Assert.That(site.WriteFromServer(_t.Servers["db"], "refused-while-switching"), Is.False, "the primary is stopped mid-switch");
            var (cancel, answer, _) = await _t.Service.SendAsync(HttpMethod.Post, $"/v1/runs/{id}/action", TenantInTheLab.Admin, new { cancel = new { } });
            Assert.That(cancel, Is.EqualTo(202), answer?.ToJsonString());
        }
        finally
        {
            await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-b", 0, 0, Ct);
        }

        var run = await Eventually.WaitForAsync(async () =>
        {
            var now = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs/{id}", TenantInTheLab.Admin)).Body!["run"]!;
            return now["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" ? now : null;
        }, "the cancelled migration to end", TimeSpan.FromSeconds(180));

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("cancelled"), TenantInTheLab.Describe(run));
        Assert.That(_t.Servers.Values.Select(site.ServerStatus), Is.All.EqualTo("ACTIVE"), "the cancel started the primary's servers again");
        Assert.That(site.WriteFromServer(_t.Servers["db"], "row-0-after-the-cancel"), Is.True, "the primary takes writes again: its storage is writable");
        using (var a = new Draas.Tests.Protection.ArrayInspector(_t.Lab.SiteA.ArrayUrl, _t.Lab.SiteA.ApiToken))
        using (var b = new Draas.Tests.Protection.ArrayInspector(_t.Lab.SiteB.ArrayUrl, _t.Lab.SiteB.ApiToken))
        {
            string Promotion(JsonArray pods) => pods.Single(p => p!["name"]!.GetValue<string>() == pod)!["promotion_status"]?.GetValue<string>() ?? "(stretched)";
            if (mode == "continuous")
            {
                Assert.That(Promotion(await a.GetAsync("pods")), Is.EqualTo("promoted"), "the source pod takes writes again");
                Assert.That(Promotion(await b.GetAsync("pods")), Is.EqualTo("demoted"), "the recovery pod is a replica again");
            }
        }
        var report = await _t.ReportAsync(id);
        var restart = report["primary_restart"]!;
        Assert.That(restart["restarted"]!.AsArray(), Has.Count.EqualTo(3), restart.ToJsonString());
        var groups = restart["groups"]!.AsArray();
        if (mode == "continuous")
        {
            Assert.That(groups.Select(g => g!["group"]!.GetValue<string>()), Is.EqualTo(new[] { pod }), restart.ToJsonString());
            Assert.That(groups[0]!["detail"]!.GetValue<string>(), Does.Contain($"promoted pod {pod} on array-a again"));
            Assert.That(restart["reason"]!.GetValue<string>(), Does.Contain("1 replication source(s) writable again").And.Contain("3 primary server(s) started again"));
        }
        else
        {
            Assert.That(groups, Is.Empty, "a stretched pod was never demoted: both arrays kept taking writes");
        }
        var markdown = await _t.Service.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/runs/{id}/report")
        {
            Headers = { { "X-Auth-Token", TenantInTheLab.Admin }, { "Accept", "text/markdown" } },
        });
        var text = await markdown.Content.ReadAsStringAsync();
        Assert.That(text, Does.Contain("started again: db"));
        if (mode == "continuous") Assert.That(text, Does.Contain($"replication source given back: {pod}"));
        var (again, refusal, _) = await _t.Service.SendAsync(HttpMethod.Post, $"/v1/runs/{id}/action", TenantInTheLab.Admin, new { resume = new { } });
        Assert.That(again, Is.EqualTo(409), refusal?.ToJsonString());
        // Replication runs source → target again: the migration that follows brings this write across.
        Assert.That((await GroupAsync())["source_array"]!.GetValue<string>(), Is.EqualTo("array-a"));
    }

    [Test, Order(4)]
    public async Task A_planned_migration_loses_no_acknowledged_write_even_the_ones_made_just_before_it()
    {
        var site = _t.Lab.SiteA.OpenStack;
        Assert.That(site.WriteFromServer(_t.Servers["web"], "order-1", _t.Volumes["web-data"]), Is.True);
        Assert.That(site.WriteFromServer(_t.Servers["db"], "row-1"), Is.True);
        Assert.That(site.WriteFromServer(_t.Servers["db"], "row-2-just-before"), Is.True);

        var run = await _t.RunAsync("planned_migration");

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        Assert.That(Kinds(run), Does.Contain(mode == "continuous" ? "demote_source" : "replicate_now"));
        var recovered = Recovered(await _t.ReportAsync(run["id"]!.GetValue<string>()));
        Assert.That(recovered, Has.Count.EqualTo(5));
        foreach (var (source, target) in recovered)
            Assert.That(await DataAsync("array-b", target), Is.EqualTo(await DataAsync("array-a", source)), $"volume {source}: every acknowledged write reached the recovery site");
        Assert.That(await DataAsync("array-b", recovered[_t.Volumes["db-root"]]), Does.Contain("row-2-just-before").And.Contain("row-0-after-the-cancel"));
        Assert.That(site.ServerStatus(_t.Servers["db"]), Is.EqualTo("SHUTOFF"));
        Assert.That((await ProtectionAsync())["status"]!.GetValue<string>(), Is.EqualTo("failed_over"));
    }

    [Test, Order(5)]
    public async Task Reprotect_puts_the_recovered_volumes_in_the_pod_replicating_back_to_the_old_primary()
    {
        var run = await _t.RunAsync("reprotect");

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        Assert.That((await ProtectionAsync())["reversed"]!.GetValue<bool>(), Is.True);
        await _t.ProtectAsync();
        var group = await GroupAsync();
        Assert.That(group["source_array"]!.GetValue<string>(), Is.EqualTo("array-b"));
        Assert.That(group["target_array"]!.GetValue<string>(), Is.EqualTo("array-a"));
        var pod = group["name"]!.GetValue<string>();
        Assert.That(group["members"]!.AsArray().Select(m => m!.GetValue<string>()).ToList(), Has.Count.EqualTo(5).And.All.StartWith($"{pod}::"));
        Assert.That(group["health"]!.GetValue<string>(), Is.EqualTo("healthy"), group.ToJsonString());
    }

    [Test, Order(6)]
    public async Task A_failback_brings_home_every_write_made_at_the_recovery_site()
    {
        var db = await DbServerAsync();
        Assert.That(_t.Lab.SiteB.OpenStack.WriteFromServer(db, "row-3-written-at-b"), Is.True);

        var run = await _t.RunAsync("failback");

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var recovered = Recovered(await _t.ReportAsync(run["id"]!.GetValue<string>()));
        Assert.That(recovered, Has.Count.EqualTo(5));
        var all = new List<string>();
        foreach (var (source, target) in recovered)
        {
            var home = await DataAsync("array-a", target);
            Assert.That(home, Is.EqualTo(await DataAsync("array-b", source)), $"volume {source}: every acknowledged write came home");
            all.AddRange(home);
        }
        Assert.That(all, Does.Contain("row-3-written-at-b").And.Contain("row-2-just-before"));
        var protection = await ProtectionAsync();
        Assert.That(protection["reversed"]!.GetValue<bool>(), Is.False);
        Assert.That(protection["status"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    [Test, Order(7)]
    public async Task A_failover_with_the_primary_site_switched_off_loses_only_what_the_mode_allows()
    {
        await _t.ProtectAsync();
        var db = await DbServerAsync();
        var siteA = _t.Lab.SiteA.OpenStack;
        Assert.That(siteA.WriteFromServer(db, "row-4-before-the-disaster"), Is.True);
        await _t.ProtectAsync();
        // ActiveDR: the disaster takes the replication link first, then the site. ActiveCluster: a write is
        // acknowledged only once both arrays hold it, so the last one survives the site.
        if (mode == "continuous") await _t.Lab.FlashArray.Admin.SetLinkDownAsync("array-a", "array-b", true, Ct);
        Assert.That(siteA.WriteFromServer(db, "row-5-last-acknowledged"), Is.True);
        siteA.Faults.Down = true;
        await _t.Lab.FlashArray.Admin.SetArrayDownAsync("array-a", true, Ct);
        try
        {
            var run = await _t.RunAsync("failover");

            Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
            var report = await _t.ReportAsync(run["id"]!.GetValue<string>());
            var point = report["recovery_point_at"]!.GetValue<DateTimeOffset>();
            var recovered = Recovered(report);
            Assert.That(recovered, Has.Count.EqualTo(5));
            await _t.Lab.FlashArray.Admin.SetArrayDownAsync("array-a", false, Ct); // to read the primary's logs
            var lost = new List<SimWrite>();
            var kept = new List<string>();
            foreach (var (source, target) in recovered)
            {
                var primary = await WritesAsync("array-a", source);
                var copy = (await DataAsync("array-b", target)).ToHashSet();
                lost.AddRange(primary.Where(w => !copy.Contains(w.Data)));
                kept.AddRange(primary.Where(w => copy.Contains(w.Data)).Select(w => w.Data));
            }
            Assert.That(kept, Does.Contain("row-4-before-the-disaster").And.Contain("row-3-written-at-b"), "what was replicated before the disaster is there");
            if (mode == "sync")
            {
                Assert.That(lost, Is.Empty, "ActiveCluster: no acknowledged write is lost");
            }
            else
            {
                Assert.That(lost.Select(w => w.Data), Does.Contain("row-5-last-acknowledged"), "written after the link went: beyond the recovery point");
                Assert.That(lost.Select(w => w.Time), Is.All.GreaterThan(point), $"only writes after the recovery point {point:O} are lost");
            }
        }
        finally
        {
            siteA.Faults.Down = false;
            await _t.Lab.FlashArray.Admin.SetArrayDownAsync("array-a", false, Ct);
            await _t.Lab.FlashArray.Admin.SetLinkDownAsync("array-a", "array-b", false, Ct);
        }
    }
}
