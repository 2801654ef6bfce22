using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Servers;
using Draas.Tests.Support;

namespace Draas.Tests.Runs;

/// <summary>
/// One tenant, two plans on the same arrays: the shop (web, app, db) and a mail server. Each plan moves on
/// its own: the shop fails over, is reprotected and fails back while mail stays protected at home, drillable
/// and captured from where it runs; then mail makes the same round trip.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TwoPlansOfOneTenantTests
{
    private TenantInTheLab _t = null!;
    private string _mail = null!;
    private string _mailServer = null!;

    private static CancellationToken Ct => CancellationToken.None;

    [OneTimeSetUp]
    public async Task Start()
    {
        _t = await TenantInTheLab.StartAsync();
        // Room for both plans and the stale copies a failback finds at home (the old volumes stay until the operator removes them).
        foreach (var site in _t.Lab.Sites)
        {
            using var admin = TenantInTheLab.Session(site, site.Admin, _t.Lab);
            var project = site.OpenStack.ProjectId("demo");
            await admin.BlockStorage.Admin.UpdateQuotasAsync(project, new Dictionary<string, int> { ["volumes"] = 40, ["gigabytes"] = 1000 }, Ct);
            await admin.Compute.Admin.UpdateQuotasAsync(project, new Dictionary<string, int> { ["instances"] = 20, ["cores"] = 80, ["ram"] = 163_840 }, Ct);
        }
        var tenant = _t.TenantA;
        var data = (await tenant.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 2, Name = "mail-data" }, Ct)).Id;
        await tenant.BlockStorage.Volumes.WaitForStatusAsync(data, "available", null, Ct);
        var root = (await tenant.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 4, Name = "mail-root" }, Ct)).Id;
        await tenant.BlockStorage.Volumes.WaitForStatusAsync(root, "available", null, Ct);
        await tenant.BlockStorage.Volumes.SetBootableAsync(root, true, Ct);
        var net = (await tenant.Networking.ListNetworksAsync(new Draas.OpenStack.Networking.NetworkListOptions { Name = "private" }, Ct).FirstAsync(Ct)).Id;
        _mailServer = (await tenant.Compute.Servers.CreateAsync(new CreateServerOptions
        {
            Name = "mail",
            FlavorRef = "2",
            Networks = ServerNetworks.Of(new NetworkRef { Uuid = net }),
            BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(root)],
        }, Ct)).Id;
        await tenant.Compute.Servers.WaitForStatusAsync(_mailServer, "ACTIVE", null, Ct);
        await tenant.Compute.VolumeAttachments.AttachAsync(_mailServer, new AttachVolumeOptions { VolumeId = data }, Ct);
        await tenant.BlockStorage.Volumes.WaitForStatusAsync(data, "in-use", null, Ct);
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/plans", TenantInTheLab.Admin, new
        {
            plan = new
            {
                protection_id = _t.Protection,
                name = "mail",
                replication = new { mode = "async", interval_seconds = 60, retention = 60 },
                resources = new object[] { new { kind = "server", id = _mailServer } },
            },
        });
        Assert.That(status, Is.EqualTo(201), body?.ToJsonString());
        _mail = body!["plan"]!["id"]!.GetValue<string>();
        await _t.ProtectAsync(_mail);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private async Task<JsonNode> PlanAsync(string id) => (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{id}", TenantInTheLab.Admin)).Body!["plan"]!;

    private async Task<JsonNode> ProtectionAsync() => (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/protections/{_t.Protection}", TenantInTheLab.Admin)).Body!["protection"]!;

    private async Task<string> StateAsync(string id) => (await PlanAsync(id))["state"]!.GetValue<string>();

    private async Task<string> SiteOfAsync(string id)
    {
        var at = (await PlanAsync(id))["runs_at"]!["site_id"]!.GetValue<string>();
        var sites = (await _t.Service.SendAsync(HttpMethod.Get, "/v1/sites", TenantInTheLab.Admin)).Body!["sites"]!.AsArray();
        return sites.Single(s => s!["id"]!.GetValue<string>() == at)!["name"]!.GetValue<string>();
    }

    private async Task<string> SourceArrayAsync(string id) =>
        (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{id}/status", TenantInTheLab.Admin)).Body!["status"]!["groups"]![0]!["source_array"]!.GetValue<string>();

    /// <summary>The project every stored manifest of a plan was captured from.</summary>
    private async Task<List<string>> ManifestProjectsAsync(string id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_t.Service.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select content->>'project_id' from manifests where plan_id = @p order by sequence", connection);
        command.Parameters.AddWithValue("p", Guid.Parse(id));
        var projects = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) projects.Add(reader.GetString(0));
        return projects;
    }

    private async Task<(int Status, string Message)> TryRunAsync(string plan, string kind, bool dryRun = false)
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin, new { run = new { plan_id = plan, kind, dry_run = dryRun } });
        return (status, body?.AsObject().FirstOrDefault().Value?["message"]?.GetValue<string>() ?? body?.ToJsonString() ?? "");
    }

    private static void Succeeded(JsonNode run) => Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));

    [Test, Order(0)]
    public async Task Drills_of_both_plans_started_at_the_same_moment_both_start_and_share_the_sites_one_import_slot()
    {
        // Site B's Cinder takes one manage at a time: the shop's five volumes and mail's two queue for it
        // across both runs, whatever each run's own max_parallel says.
        var siteB = await SiteIdAsync("site-b");
        await SetImportLimitAsync(siteB, 1);
        try
        {
            // Two operators (or the scheduler and an operator) press start at once: each plan's one-run rule is
            // checked per plan, so neither start may refuse or fail the other.
            var starts = await Task.WhenAll(TryStartAsync(_t.Plan), TryStartAsync(_mail));
            Assert.That(starts.Select(s => s.Status), Is.EqualTo(new[] { 202, 202 }), string.Join("\n", starts.Select(s => s.Body)));
            var runs = new List<JsonNode>();
            foreach (var start in starts)
            {
                var run = await _t.WaitForRunAsync(start.Id, "drill", timeoutSeconds: 300);
                Succeeded(run);
                runs.Add(run);
            }
            var imports = runs.SelectMany(r => r["steps"]!.AsArray())
                .Where(s => s!["kind"]!.GetValue<string>() == "import_volume")
                .Select(s => (Name: s!["name"]!.GetValue<string>(), From: s["started_at"]!.GetValue<DateTimeOffset>(), To: s["finished_at"]!.GetValue<DateTimeOffset>()))
                .OrderBy(i => i.From).ToList();
            Assert.That(imports, Has.Count.EqualTo(7), "the shop's five volumes and mail's two");
            for (var i = 1; i < imports.Count; i++)
                Assert.That(imports[i].From, Is.GreaterThanOrEqualTo(imports[i - 1].To),
                    $"import of {imports[i].Name} started while {imports[i - 1].Name}'s still ran:\n{string.Join("\n", imports)}");
        }
        finally
        {
            await SetImportLimitAsync(siteB, 10);
        }
    }

    private async Task<string> SiteIdAsync(string name) =>
        (await _t.Service.SendAsync(HttpMethod.Get, "/v1/sites", TenantInTheLab.Admin)).Body!["sites"]!.AsArray()
            .Single(s => s!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<string>();

    private async Task SetImportLimitAsync(string site, int limit)
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/sites/{site}", TenantInTheLab.Admin, new { site = new { max_concurrent_imports = limit } });
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        Assert.That(body!["site"]!["max_concurrent_imports"]!.GetValue<int>(), Is.EqualTo(limit));
    }

    private async Task<(int Status, string Body, string Id)> TryStartAsync(string plan)
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin, new { run = new { plan_id = plan, kind = "drill" } });
        return (status, body?.ToJsonString() ?? "", body?["run"]?["id"]?.GetValue<string>() ?? "");
    }

    [Test, Order(1)]
    public async Task Failing_over_the_shop_leaves_the_mail_plan_protected_at_home_drillable_and_failover_able()
    {
        Succeeded(await _t.RunAsync("planned_migration"));

        Assert.That(await StateAsync(_t.Plan), Is.EqualTo("failed_over"));
        Assert.That(await SiteOfAsync(_t.Plan), Is.EqualTo("site-b"));
        Assert.That(await StateAsync(_mail), Is.EqualTo("normal"), "the other plan did not move");
        Assert.That(await SiteOfAsync(_mail), Is.EqualTo("site-a"));
        var protection = await ProtectionAsync();
        Assert.That(protection["status"]!.GetValue<string>(), Is.EqualTo("partly_failed_over"));
        Assert.That(protection["plan_states"]!["failed_over"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(protection["plan_states"]!["normal"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(_t.Lab.SiteA.OpenStack.ServerStatus(_mailServer), Is.EqualTo("ACTIVE"), "mail's server was not stopped with the shop's");
        // The operator asks draasctl: the shop is failed over at site B, not "protected".
        var draasctl = new Draas.Tests.Cli.Draasctl().With("OS_TOKEN", TenantInTheLab.Admin).With("DRAAS_ENDPOINT", _t.Service.BaseAddress.ToString());
        var shop = await draasctl.JsonAsync("status", "shop-all");
        Assert.That(shop["state"]!.GetValue<string>(), Is.EqualTo("failed_over"));
        Assert.That(shop["runs_at"]!["site"]!.GetValue<string>(), Is.EqualTo("site-b"));
        Assert.That(shop["replicates_to"], Is.Null);
        var table = await draasctl.OkAsync("status", "shop-all");
        Assert.That(table.Out, Does.Match(@"\| State +\| failed_over +\|").And.Match(@"\| Runs at +\| site-b \(project "), table.Out);
        Assert.That(table.Out, Does.Not.Match(@"\| State +\|[^\n]*\bprotected\b"), table.Out);
        var mail = await draasctl.JsonAsync("status", "mail");
        Assert.That(mail["plan_state"]!.GetValue<string>(), Is.EqualTo("normal"));
        Assert.That(mail["replicates_to"]!.GetValue<string>(), Is.EqualTo("site-b"));

        var drill = await _t.RunAsync("drill", planId: _mail);
        Succeeded(drill);
        var (dry, why) = await TryRunAsync(_mail, "failover", dryRun: true);
        Assert.That(dry, Is.EqualTo(200), why);
    }

    [Test, Order(2)]
    public async Task The_failed_over_shop_refuses_a_drill_and_a_second_failover_at_once_with_the_reason()
    {
        foreach (var kind in new[] { "drill", "failover", "planned_migration" })
        {
            foreach (var dry in new[] { false, true })
            {
                var (status, message) = await TryRunAsync(_t.Plan, kind, dry);
                Assert.That(status, Is.EqualTo(409), $"{kind} (dry run: {dry}): {message}");
                Assert.That(message, Does.Contain("is failed over").And.Contain("reprotect it"));
            }
        }
        var (failback, reason) = await TryRunAsync(_t.Plan, "failback");
        Assert.That(failback, Is.EqualTo(409));
        Assert.That(reason, Does.Contain("reprotect it before a failback"));
        var (reprotectMail, mailReason) = await TryRunAsync(_mail, "reprotect");
        Assert.That(reprotectMail, Is.EqualTo(409));
        Assert.That(mailReason, Does.Contain("only a failed-over plan can be reprotected"));
        var runs = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs?plan_id={_t.Plan}", TenantInTheLab.Admin)).Body!["runs"]!.AsArray();
        // The shop's runs are the drills of the first test and the migration: nothing refused was stored.
        Assert.That(runs.Select(r => r!["kind"]!.GetValue<string>()).Order(), Is.EqualTo(new[] { "drill", "planned_migration" }), runs.ToJsonString());
    }

    [Test, Order(3)]
    public async Task Reprotecting_and_failing_back_the_shop_turns_only_the_shop_and_mail_stays_captured_at_home()
    {
        Succeeded(await _t.RunAsync("reprotect"));
        Assert.That(await StateAsync(_t.Plan), Is.EqualTo("reversed"));
        await _t.ProtectAsync();
        Assert.That(await SourceArrayAsync(_t.Plan), Is.EqualTo("array-b"), "the shop replicates back from site B");
        Assert.That(await SourceArrayAsync(_mail), Is.EqualTo("array-a"), "mail's replication was not turned round");

        // A capture of each plan while the shop runs at site B: each from where it runs.
        var mailCaptures = (await ManifestProjectsAsync(_mail)).Count;
        await _t.TenantA.Compute.Servers.UpdateMetadataAsync(_mailServer, new Dictionary<string, string> { ["drift"] = "while the shop was away" }, Ct);
        await _t.ProtectAsync(_mail);
        var projectA = _t.Lab.SiteA.OpenStack.ProjectId("demo");
        var projectB = _t.Lab.SiteB.OpenStack.ProjectId("demo");
        Assert.That((await ManifestProjectsAsync(_t.Plan)).Last(), Is.EqualTo(projectB), "the shop is captured at site B, where it runs");

        Succeeded(await _t.RunAsync("failback"));
        Assert.That(await StateAsync(_t.Plan), Is.EqualTo("normal"));
        Assert.That(await SiteOfAsync(_t.Plan), Is.EqualTo("site-a"));
        await _t.ProtectAsync(_mail);
        var projects = await ManifestProjectsAsync(_mail);
        Assert.That(projects, Has.Count.GreaterThan(mailCaptures), "mail's drift while the shop was away was captured");
        Assert.That(projects, Is.All.EqualTo(projectA), "every capture of mail read site A, where mail runs");
        Assert.That((await ProtectionAsync())["status"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    [Test, Order(4)]
    public async Task Then_mail_fails_over_and_back_on_its_own_while_the_shop_stays_home()
    {
        await _t.ProtectAsync(_mail);
        Succeeded(await _t.RunAsync("planned_migration", planId: _mail));
        Assert.That(await StateAsync(_mail), Is.EqualTo("failed_over"));
        Assert.That(await StateAsync(_t.Plan), Is.EqualTo("normal"));
        var (drill, _) = await TryRunAsync(_t.Plan, "drill", dryRun: true);
        Assert.That(drill, Is.EqualTo(200), "the shop is drillable while mail is failed over");

        Succeeded(await _t.RunAsync("reprotect", planId: _mail));
        Assert.That(await StateAsync(_mail), Is.EqualTo("reversed"));
        await _t.ProtectAsync(_mail);
        Succeeded(await _t.RunAsync("failback", planId: _mail));
        Assert.That(await StateAsync(_mail), Is.EqualTo("normal"));
        Assert.That(await SiteOfAsync(_mail), Is.EqualTo("site-a"));
        Assert.That(await SourceArrayAsync(_t.Plan), Is.EqualTo("array-a"));
        var protection = await ProtectionAsync();
        Assert.That(protection["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(protection["plan_states"]!["normal"]!.GetValue<int>(), Is.EqualTo(2));
    }
}
