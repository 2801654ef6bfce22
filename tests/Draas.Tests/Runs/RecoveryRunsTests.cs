using System.Text.Json.Nodes;
using Draas.Data;
using Draas.Domain.Runs;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Servers;
using Draas.Storage;
using Draas.Tests.Support;
using Draas.Workflows.Protection;
using Draas.Workflows.Runs;
using Draas.Workflows.Runs.Steps;
using Draas.Workflows.Sites;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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
        // The drill recovers a point replicated before it started: its RPO is that gap, to the millisecond.
        var started = report["started_at"]!.GetValue<DateTimeOffset>();
        var point = report["recovery_point_at"]!.GetValue<DateTimeOffset>();
        Assert.That(point, Is.LessThan(started));
        Assert.That(report["rpo_seconds"]!.GetValue<double>(), Is.EqualTo((started - point).TotalSeconds).Within(0.001));
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
    public async Task A_step_of_the_drill_loads_the_outputs_its_handler_reads_and_no_other()
    {
        await using var scope = _t.Service.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<DraasDbContext>();
        var run = await db.Runs.AsNoTracking().Where(r => r.PlanId == Guid.Parse(_t.Plan) && r.Kind == RunKind.Drill && r.State == RunState.Succeeded).FirstOrDefaultAsync(Ct);
        if (run is null)
        {
            await _t.RunAsync("drill");
            run = await db.Runs.AsNoTracking().FirstAsync(r => r.PlanId == Guid.Parse(_t.Plan) && r.Kind == RunKind.Drill && r.State == RunState.Succeeded, Ct);
        }
        var steps = await db.Steps.AsNoTracking().Where(s => s.RunId == run.Id).ToListAsync(Ct);
        var import = steps.First(s => s.Kind == RunPlanner.ImportVolume);
        var promote = steps.Single(s => s.Kind == RunPlanner.PromoteVolume && s.Target == import.Target);
        var handlers = services.GetServices<IStepHandler>().ToList();
        Task<StepContext> LoadAsync(Step step) => StepContext.LoadAsync(db, run, step, handlers.Single(h => h.Kind == step.Kind).ReadsOutputsOf,
            services.GetRequiredService<SiteSessionPool>(), services.GetRequiredService<StoragePluginCatalog>(), services.GetRequiredService<ArrayReferences>(), TimeProvider.System, Ct);

        // The import reads what the promote of its own volume made, as the promote stored it.
        var importing = await LoadAsync(import);
        Assert.That(importing.Output<PromoteVolumeOutput>(RunPlanner.PromoteVolume, import.Target)!.ArrayVolume,
            Is.EqualTo(JsonNode.Parse(promote.Output!)!["array_volume"]!.GetValue<string>()));
        Assert.That(importing.Outputs<PromoteVolumeOutput>(RunPlanner.PromoteVolume).Count(), Is.EqualTo(steps.Count(s => s.Kind == RunPlanner.PromoteVolume)));
        // The servers booted in the same run are not the import's business: not loaded, and asking for them is a mistake, not an empty answer.
        Assert.That(steps.Any(s => s.Kind == RunPlanner.BootServer && s.Output is not null), "the drill booted servers");
        Assert.Throws<InvalidOperationException>(() => importing.Outputs<BootServerOutput>(RunPlanner.BootServer).ToList());
        // Preflight reads no earlier step: its context holds none.
        var preflight = await LoadAsync(steps.Single(s => s.Kind == RunPlanner.Preflight));
        Assert.Throws<InvalidOperationException>(() => preflight.Output<PromoteVolumeOutput>(RunPlanner.PromoteVolume, import.Target));
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

    private async Task<List<string>> ContentsAsync(string array, string volumeId) =>
        [.. (await _t.Lab.FlashArray.Admin.ReadAsync(array, $"volume-{volumeId}-cinder", Ct)).Select(w => w.Data)];

    private async Task<JsonNode> ProtectionAsync() =>
        (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/protections/{_t.Protection}", TenantInTheLab.Admin)).Body!["protection"]!;

    private static Dictionary<string, string> Recovered(JsonObject report) =>
        report["recovered"]!["volumes"]!.AsArray().ToDictionary(v => v!["source_id"]!.GetValue<string>(), v => v!["volume_id"]!.GetValue<string>());

    [Test, Order(5)]
    public async Task A_planned_migration_stops_the_primary_replicates_once_more_and_loses_no_write()
    {
        var site = _t.Lab.SiteA.OpenStack;
        Assert.That(site.WriteFromServer(_t.Servers["web"], "order-1", _t.Volumes["web-data"]), Is.True);
        Assert.That(site.WriteFromServer(_t.Servers["db"], "row-1"), Is.True);
        Assert.That(site.WriteFromServer(_t.Servers["db"], "row-2-just-before"), Is.True);

        var run = await _t.RunAsync("planned_migration");

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var report = await _t.ReportAsync(run["id"]!.GetValue<string>());
        var recovered = Recovered(report);
        Assert.That(recovered, Has.Count.EqualTo(5));
        foreach (var (source, target) in recovered)
        {
            var primary = await ContentsAsync("array-a", source);
            Assert.That(await ContentsAsync("array-b", target), Is.EqualTo(primary), $"volume {source}: every write reached the recovery site");
        }
        Assert.That(await ContentsAsync("array-b", recovered[_t.Volumes["db-root"]]), Does.Contain("row-2-just-before"));
        Assert.That(site.ServerStatus(_t.Servers["web"]), Is.EqualTo("SHUTOFF"), "the primary was stopped first");
        var servers = await _t.AdminB.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true }, Ct).ToListAsync(Ct);
        foreach (var s in report["recovered"]!["servers"]!.AsArray())
            Assert.That(servers.Single(x => x.Id == s!["server_id"]!.GetValue<string>()).Status, Is.EqualTo("ACTIVE"));
        Assert.That((await ProtectionAsync())["status"]!.GetValue<string>(), Is.EqualTo("failed_over"));
    }

    [Test, Order(4)]
    public async Task A_drill_of_a_tenant_bigger_than_a_new_projects_default_quota_raises_its_own_drill_projects_quota_to_fit()
    {
        // The cloud gives a new project 3 volumes; the tenant has 5.
        _t.Lab.SiteB.OpenStack.SetDefaultVolumeQuota("volumes", 3);
        try
        {
            var run = await _t.RunAsync("drill");

            Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
            var report = await _t.ReportAsync(run["id"]!.GetValue<string>());
            Assert.That(report["recovered"]!["volumes"]!.AsArray(), Has.Count.EqualTo(5));
        }
        finally
        {
            _t.Lab.SiteB.OpenStack.SetDefaultVolumeQuota("volumes", 10);
        }
    }

    [Test, Order(4)]
    public async Task A_failover_into_a_project_whose_quota_is_mostly_used_already_is_stopped_by_preflight_naming_the_quota_and_touches_nothing()
    {
        var lab = _t.Lab;
        var project = lab.SiteB.OpenStack.ProjectId("demo");
        using var tenantB = TenantInTheLab.Session(lab.SiteB, lab.SiteB.Demo, lab);
        // The recovery project is not empty: someone's volume already counts against its 5-volume quota.
        var squatter = await tenantB.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Name = "already-here", Size = 1 }, Ct);
        await tenantB.BlockStorage.Volumes.WaitForStatusAsync(squatter.Id, "available", null, Ct);
        var limit = (await _t.AdminB.BlockStorage.Admin.GetQuotasAsync(project, Ct)).Volumes;
        await _t.AdminB.BlockStorage.Admin.UpdateQuotasAsync(project, new Dictionary<string, int> { ["volumes"] = 5 }, Ct);
        try
        {
            var run = await _t.RunAsync("failover");

            Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("failed"), TenantInTheLab.Describe(run));
            var preflight = run["steps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "preflight")!;
            Assert.That(preflight["error"]!.GetValue<string>(), Does.Contain("Cinder quota: the run needs 5 volumes, the project has 4 free (1 in use"));
            Assert.That(run["steps"]!.AsArray().Where(s => s!["kind"]!.GetValue<string>() != "preflight").Select(s => s!["state"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { "skipped" }));
            Assert.That((await ProtectionAsync())["status"]!.GetValue<string>(), Is.EqualTo("active"), "a refused failover changes nothing");
        }
        finally
        {
            await _t.AdminB.BlockStorage.Admin.UpdateQuotasAsync(project, new Dictionary<string, int> { ["volumes"] = limit }, Ct);
            await tenantB.BlockStorage.Volumes.DeleteAsync(squatter.Id, cascade: false, Ct);
        }
    }

    [Test, Order(6)]
    public async Task Reprotect_turns_replication_round_so_the_recovered_workload_is_protected_back_to_the_old_primary()
    {
        // The db check names its server by id: the reprotect must point it at the recovered server.
        var checks = new object[] { new { server = "web", type = "http", port = 80, path = "/" }, new { server_id = _t.Servers["db"], type = "tcp", port = 5432 } };
        var (put, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin, new { plan = new { health_checks = checks } });
        Assert.That(put, Is.EqualTo(200), body?.ToJsonString());

        // The old site booted web again, as a site back from an outage may: a second writer.
        await _t.TenantA.Compute.Servers.StartAsync(_t.Servers["web"], Ct);
        await _t.TenantA.Compute.Servers.WaitForStatusAsync(_t.Servers["web"], "ACTIVE", null, Ct);

        var run = await _t.RunAsync("reprotect");

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        Assert.That(_t.Lab.SiteA.OpenStack.ServerStatus(_t.Servers["web"]), Is.EqualTo("SHUTOFF"), "the stale web was fenced before replication turned round");
        var left = (await _t.ReportAsync(run["id"]!.GetValue<string>()))["left_behind"]!;
        Assert.That(left["site"]!.GetValue<string>(), Is.EqualTo("site-a"));
        Assert.That(left["servers"]!.AsArray().Where(x => x!["stopped"]!.GetValue<bool>()).Select(x => x!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "web" }));
        Assert.That(left["servers"]!.AsArray(), Has.Count.EqualTo(3), "every original server is listed, none deleted");
        Assert.That(left["volumes"]!.AsArray().Select(x => x!["volume_id"]!.GetValue<string>()), Is.EquivalentTo(_t.Volumes.Values));
        var protection = await ProtectionAsync();
        Assert.That(protection["reversed"]!.GetValue<bool>(), Is.True);
        Assert.That(protection["status"]!.GetValue<string>(), Is.EqualTo("active"));
        await _t.ProtectAsync();
        var group = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}/status", TenantInTheLab.Admin)).Body!["status"]!["groups"]![0]!;
        Assert.That(group["source_array"]!.GetValue<string>(), Is.EqualTo("array-b"));
        Assert.That(group["target_array"]!.GetValue<string>(), Is.EqualTo("array-a"));
        Assert.That(group["members"]!.AsArray(), Has.Count.EqualTo(5));
        var plan = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin)).Body!["plan"]!;
        var db = plan["resources"]!.AsArray().Single(r => r!["priority_group"]!.GetValue<int>() == 2)!["id"]!.GetValue<string>();
        Assert.That(plan["health_checks"]![1]!["server_id"]!.GetValue<string>(), Is.EqualTo(db), "the check follows db to its recovered id");
    }

    [Test, Order(7)]
    public async Task A_failback_brings_the_workload_home_with_the_writes_made_at_the_recovery_site_and_protects_it_again()
    {
        var plan = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin)).Body!["plan"]!;
        var db = plan["resources"]!.AsArray().Single(r => r!["priority_group"]!.GetValue<int>() == 2)!["id"]!.GetValue<string>();
        Assert.That(_t.Lab.SiteB.OpenStack.WriteFromServer(db, "row-3-written-at-b"), Is.True);

        var run = await _t.RunAsync("failback");

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var report = await _t.ReportAsync(run["id"]!.GetValue<string>());
        var home = report["recovered"]!["servers"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "db")!["server_id"]!.GetValue<string>();
        Assert.That(_t.Lab.SiteA.OpenStack.ServerStatus(home), Is.EqualTo("ACTIVE"));
        var checks = run["steps"]!.AsArray().Where(s => s!["kind"]!.GetValue<string>() == "health_check").Select(s => s!["state"]!.GetValue<string>());
        Assert.That(checks, Is.EqualTo(new[] { "succeeded", "succeeded" }), "both checks ran at home, the one by id too");
        var dbRoot = Recovered(report).Values.Select(id => id).ToList();
        var contents = new List<string>();
        foreach (var id in dbRoot) contents.AddRange(await ContentsAsync("array-a", id));
        Assert.That(contents, Does.Contain("row-3-written-at-b").And.Contain("row-2-just-before"));
        var protection = await ProtectionAsync();
        Assert.That(protection["reversed"]!.GetValue<bool>(), Is.False);
        Assert.That(protection["status"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    [Test, Order(3)]
    public async Task A_permanent_fault_on_one_volumes_import_fails_that_step_with_cinders_reason_and_the_drill_still_cleans_up_everything()
    {
        var before = await RecoverySiteAsync();
        _t.Lab.SiteB.OpenStack.Faults.ManageFailures["app-data"] = true;
        try
        {
            var run = await _t.RunAsync("drill");

            Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("failed"), TenantInTheLab.Describe(run));
            var steps = run["steps"]!.AsArray();
            var import = steps.Single(s => s!["kind"]!.GetValue<string>() == "import_volume" && s["target"]!.GetValue<string>() == _t.Volumes["app-data"])!;
            Assert.That(import["state"]!.GetValue<string>(), Is.EqualTo("failed"));
            Assert.That(import["error"]!.GetValue<string>(), Does.Contain("could not import").And.Contain("went to status error"));
            Assert.That(steps.Single(s => s!["kind"]!.GetValue<string>() == "boot_server" && s["target"]!.GetValue<string>() == _t.Servers["app"])!["state"]!.GetValue<string>(),
                Is.EqualTo("skipped"), "the server whose volume failed is not booted");
            Assert.That(steps.Single(s => s!["kind"]!.GetValue<string>() == "cleanup")!["state"]!.GetValue<string>(), Is.EqualTo("succeeded"));
            var report = await _t.ReportAsync(run["id"]!.GetValue<string>());
            Assert.That(report["failures"]!.AsArray().Select(f => f!["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "import_volume" }));
            Assert.That(report["cleanup"]!["clean"]!.GetValue<bool>(), Is.True, report["cleanup"]!.ToJsonString());
            Assert.That(report["cleanup"]!["removed"]!["array_copies"]!.AsArray(), Has.Count.EqualTo(5), "the copy Cinder refused is released too");
            var after = await RecoverySiteAsync();
            Assert.That(after.Servers, Is.EquivalentTo(before.Servers));
            Assert.That(after.Volumes, Is.EquivalentTo(before.Volumes));
        }
        finally
        {
            _t.Lab.SiteB.OpenStack.Faults.ManageFailures.Clear();
        }
    }

    [Test, Order(4)]
    public async Task With_ten_percent_transient_faults_in_every_simulator_ten_consecutive_drills_all_succeed()
    {
        var faults = new Draas.Simulators.OpenStack.Core.ServiceFault { ErrorRate = 0.1, ErrorStatus = 503 };
        foreach (var site in _t.Lab.Sites)
            foreach (var service in Draas.Simulators.OpenStack.Core.SiteFaults.Services) site.OpenStack.Faults.Set(service, faults);
        await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-a", 0, 0.1, Ct);
        await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-b", 0, 0.1, Ct);
        var outcomes = new List<string>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                var run = await _t.RunAsync("drill");
                outcomes.Add(run["state"]!.GetValue<string>());
                Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), $"drill {i + 1}: {TenantInTheLab.Describe(run)}");
            }
        }
        finally
        {
            foreach (var site in _t.Lab.Sites) site.OpenStack.Faults.Clear();
            await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-a", 0, 0, Ct);
            await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-b", 0, 0, Ct);
        }
        Assert.That(outcomes, Is.All.EqualTo("succeeded"));
    }

    [Test, Order(8)]
    public async Task A_failover_with_the_primary_site_switched_off_holds_exactly_the_writes_before_its_recovery_point()
    {
        await _t.ProtectAsync();
        var plan = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin)).Body!["plan"]!;
        var db = plan["resources"]!.AsArray().Single(r => r!["priority_group"]!.GetValue<int>() == 2)!["id"]!.GetValue<string>();
        var siteA = _t.Lab.SiteA.OpenStack;
        Assert.That(siteA.WriteFromServer(db, "row-4-before-the-disaster"), Is.True);
        await _t.ProtectAsync();
        Assert.That(siteA.WriteFromServer(db, "row-5-lost-in-the-disaster"), Is.True);
        siteA.Faults.Down = true;
        await _t.Lab.FlashArray.Admin.SetArrayDownAsync("array-a", true, Ct);
        try
        {
            var run = await _t.RunAsync("failover");

            Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
            var report = await _t.ReportAsync(run["id"]!.GetValue<string>());
            var point = report["recovery_point_at"]!.GetValue<DateTimeOffset>();
            var servers = report["recovered"]!["servers"]!.AsArray();
            Assert.That(servers, Has.Count.EqualTo(3));
            var dbRoot = (await _t.AdminB.Compute.Servers.GetAsync(servers.Single(s => s!["name"]!.GetValue<string>() == "db")!["server_id"]!.GetValue<string>(), Ct)).VolumesAttached[0].Id;
            var writes = await _t.Lab.FlashArray.Admin.ReadAsync("array-b", $"volume-{dbRoot}-cinder", Ct);
            var data = writes.Select(w => w.Data).ToList();
            Assert.That(data, Does.Contain("row-4-before-the-disaster"));
            Assert.That(data, Does.Not.Contain("row-5-lost-in-the-disaster"), $"the recovery point of {point:O} holds only what was written before it");
            Assert.That(report["rpo_seconds"]!.GetValue<double>(), Is.GreaterThan(0));
        }
        finally
        {
            siteA.Faults.Down = false;
            await _t.Lab.FlashArray.Admin.SetArrayDownAsync("array-a", false, Ct);
        }
    }

    [Test, Order(4)]
    public async Task A_drill_schedule_that_came_due_starts_one_drill_per_plan_and_the_plan_status_shows_its_rto_in_the_history()
    {
        async Task Schedule(string cron) => Assert.That((await _t.Service.SendAsync(HttpMethod.Put, $"/v1/protections/{_t.Protection}", TenantInTheLab.Admin,
            new { protection = new { drill_schedule = cron } })).Status, Is.EqualTo(200));
        var jobs = (Hangfire.IBackgroundJobClient)_t.Service.Services.GetService(typeof(Hangfire.IBackgroundJobClient))!;
        await Schedule("* * * * *");
        try
        {
            jobs.Enqueue<Draas.Workflows.Runs.ScheduledDrillsJob>(j => j.RunAsync(CancellationToken.None));
            var run = await Eventually.WaitForAsync(async () =>
            {
                var runs = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs?plan_id={_t.Plan}&kind=drill", TenantInTheLab.Admin)).Body!["runs"]!.AsArray();
                var scheduled = runs.FirstOrDefault(r => r!["requested_by"]?.GetValue<string>() == "schedule");
                return scheduled?["state"]!.GetValue<string>() is "succeeded" or "failed" ? scheduled : null;
            }, "the scheduled drill to run", TimeSpan.FromSeconds(120));
            Assert.That(run!["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        }
        finally
        {
            await Schedule("0 0 1 1 *");
        }
        var status = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}/status", TenantInTheLab.Admin)).Body!["status"]!;
        var drills = status["drills"]!.AsArray();
        Assert.That(drills.Count(d => d!["scheduled"]!.GetValue<bool>()), Is.EqualTo(1));
        Assert.That(drills.All(d => d!["rto_seconds"] is not null || d["state"]!.GetValue<string>() != "succeeded"), Is.True, status.ToJsonString());
    }
}
