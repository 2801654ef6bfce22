using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.Simulators.Lab;
using Draas.Tests.Support;

namespace Draas.Tests.Cli;

/// <summary>
/// A cloud admin sets up disaster recovery for a tenant with nothing but draasctl, against the real
/// service and the DR lab: registers the two sites and their arrays, enrols the tenant, and the
/// tenant's member protects a web and a db server. Then every command that reads is tried in table
/// and in JSON, and the mistakes an operator makes end with one line and exit 2.
/// </summary>
[TestFixture]
public sealed class DraasctlOperatorTests
{
    private const string Member = "gAAAAAcli-demo-member";
    private const string Reader = "gAAAAAcli-demo-reader";
    private ServiceInTheLab _inTheLab = null!;
    private DrLab _lab = null!;
    private RunningService _service = null!;
    private KeystoneSession _tenant = null!;
    private Draasctl _ops = null!;
    private Draasctl _member = null!;
    private string _project = null!;
    private string _dir = null!;
    private readonly List<string> _servers = [];

    private static CancellationToken Ct => CancellationToken.None;

    [OneTimeSetUp]
    public async Task Start()
    {
        // The lab and the service beside it, nothing registered yet: that is the operator's work below.
        _inTheLab = await ServiceInTheLab.StartAsync(register: LabRegistered.Nothing);
        (_lab, _service) = (_inTheLab.Lab, _inTheLab.Service);
        _service.Keystone.AcceptOperator(_service.BaseAddress);
        _project = _lab.SiteA.OpenStack.ProjectId("demo");
        // The service runs on the lab's clock, which the run tests move on by hours: tokens live long.
        _service.Keystone.AddToken(Member, "cli-demo", "demo", _project, ["member", "reader"], DateTimeOffset.UtcNow.AddDays(30));
        _service.Keystone.AddToken(Reader, "cli-rita", "rita", _project, ["reader"], DateTimeOffset.UtcNow.AddDays(30));
        _dir = Directory.CreateTempSubdirectory("draasctl-ops-").FullName;

        // The cloud admin logs in from a clouds.yaml profile; the tenant's member uses a token.
        var clouds = Path.Combine(_dir, "clouds.yaml");
        await File.WriteAllTextAsync(clouds, $"""
            clouds:
              dr-admin:
                auth:
                  auth_url: {_service.Keystone.AuthUrl}
                  username: {OperatorKeystone.User}
                  password: {OperatorKeystone.Password}
                  project_name: admin
                  domain_name: Default
                region_name: RegionOne
            """);
        _ops = new Draasctl().With("OS_CLIENT_CONFIG_FILE", clouds).With("OS_CLOUD", "dr-admin");
        _member = new Draasctl().With("OS_TOKEN", Member).With("DRAAS_ENDPOINT", _service.BaseAddress.ToString());

        foreach (var site in _lab.Sites)
        {
            await _ops.OkAsync("site", "create", site.Name, "--auth-url", site.AuthUrl, "--region", site.OpenStack.Region,
                "--username", site.Admin.Username, "--password", site.Admin.Password, "--project", site.Admin.ProjectName);
            // Health checks of recovered servers go through the product's probe agent, over real sockets.
            var id = (await _ops.JsonAsync("site", "show", site.Name))["id"]!.GetValue<string>();
            var (status, body, _) = await _service.SendAsync(HttpMethod.Put, $"/v1/sites/{id}", KeystoneStandIn.AdminToken, new { site = new { probe_url = _inTheLab.ProbeAgent!.Url } });
            Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        }
        await _ops.OkAsync("array", "create", _lab.SiteB.ArrayName, "--site", "site-b", "--plugin", "pure", "--url", _lab.SiteB.ArrayUrl.ToString(),
            "--api-token", _lab.SiteB.ApiToken, "--cinder-backend", _lab.SiteB.CinderBackend);
        await _ops.OkAsync("array", "create", _lab.SiteA.ArrayName, "--site", "site-a", "--plugin", "pure", "--url", _lab.SiteA.ArrayUrl.ToString(),
            "--api-token", _lab.SiteA.ApiToken, "--cinder-backend", _lab.SiteA.CinderBackend, "--peer", _lab.SiteB.ArrayName, "--volume-type", "pure-replicated");
        // The run tests move the lab's clock on by hours until replication has a point at site B; a weekly
        // schedule would come due on the way and its drill would hold the plan's one run. Feb 29 is years off.
        await _ops.OkAsync("protection", "create", "demo", "--primary-site", "site-a", "--primary-project", _project, "--recovery-site", "site-b",
            "--rpo", "15m", "--drill-schedule", "0 3 29 2 *", "--network-map", "net-a=net-b", "--network-map", "private=private", "--contact", "oncall@demo.example");

        _tenant = _inTheLab.Session(_lab.SiteA.Demo);
        // On the shared private network, so a recovered server has an address its health check can reach, with
        // the checked port open to the monitoring network.
        await LabProbeAgent.AllowInDefaultGroupAsync(_tenant, 80);
        var privateNet = (await _tenant.Networking.ListNetworksAsync(new Draas.OpenStack.Networking.NetworkListOptions { Name = "private" }, Ct).FirstAsync(Ct)).Id;
        foreach (var name in new[] { "web", "db" })
        {
            var boot = await VolumeAsync($"{name}-boot", 10);
            await _tenant.BlockStorage.Volumes.SetBootableAsync(boot, true, Ct);
            var data = await VolumeAsync($"{name}-data", 20);
            var server = (await _tenant.Compute.Servers.CreateAsync(new CreateServerOptions
            {
                Name = name,
                FlavorRef = "2",
                Networks = ServerNetworks.Of(new NetworkRef { Uuid = privateNet }),
                BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(boot)],
            }, Ct)).Id;
            await _tenant.Compute.Servers.WaitForStatusAsync(server, "ACTIVE", null, Ct);
            await _tenant.Compute.VolumeAttachments.AttachAsync(server, new AttachVolumeOptions { VolumeId = data }, Ct);
            _servers.Add(server);
        }
        await _member.OkAsync("plan", "create", "shop", "--protection", "demo", "--server", _servers[0], "--server", _servers[1] + ":2",
            "--replication", "async", "--interval", "5m", "--retention", "12",
            "--health-check", $$"""{"server": "{{_servers[0]}}", "type": "http", "port": 80, "path": "/"}""");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _tenant.Dispose();
        await _inTheLab.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> VolumeAsync(string name, int size)
    {
        var id = (await _tenant.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = size, Name = name }, Ct)).Id;
        await _tenant.BlockStorage.Volumes.WaitForStatusAsync(id, "available", null, Ct);
        return id;
    }

    /// <summary>The plan's first manifest, captured now rather than at the next cycle.</summary>
    private async Task CapturedAsync()
    {
        if ((await _member.JsonAsync("manifest", "list", "shop")).AsArray().Count > 0) return;
        await _member.OkAsync("plan", "capture", "shop");
        await Eventually.WaitForAsync(async () => (await _member.JsonAsync("manifest", "list", "shop")).AsArray().Count > 0 ? "captured" : null,
            "the plan's first manifest", TimeSpan.FromSeconds(60));
    }

    private static string[] Column(JsonNode list, string field) => [.. list.AsArray().Select(i => i![field]!.GetValue<string>())];

    [Test]
    public async Task Sites_are_listed_as_a_table_for_people_and_as_json_for_scripts_and_never_show_a_password()
    {
        var table = await _ops.OkAsync("site", "list");
        var json = await _ops.JsonAsync("site", "list");
        var yaml = await _ops.OkAsync("site", "show", "site-a", "-f", "yaml");

        Assert.That(table.Out.Split('\n')[1], Does.Contain("| ID").And.Contain("| Name").And.Contain("| Auth URL").And.Contain("| Last check"));
        Assert.That(table.Out, Does.Contain("| site-a ").And.Contain("| site-b ").And.Contain(_lab.SiteA.AuthUrl));
        Assert.That(Column(json, "name"), Is.EquivalentTo(new[] { "site-a", "site-b" }));
        Assert.That(yaml.Out, Does.Contain("name: site-a").And.Contain($"auth_url: {_lab.SiteA.AuthUrl}"));
        Assert.That(table.Out + json.ToJsonString() + yaml.Out, Does.Not.Contain(_lab.SiteA.Admin.Password));
    }

    [Test]
    public async Task A_site_check_is_queued_and_its_result_shows_on_the_site()
    {
        var queued = await _ops.OkAsync("site", "check", "site-a");

        Assert.That(queued.Out, Does.StartWith("Check of site site-a queued (job "));
        var check = await Eventually.WaitForAsync(async () => (await _ops.JsonAsync("site", "show", "site-a"))["last_check"], "site-a's last_check");
        Assert.That(check["ok"]!.GetValue<bool>(), Is.True, check.ToJsonString());
        Assert.That((await _ops.OkAsync("site", "list")).Out, Does.Contain("| ok "));
    }

    [Test]
    public async Task Arrays_are_listed_per_site_and_a_probe_reaches_the_array_and_its_peer_connection()
    {
        var all = await _ops.OkAsync("array", "list");
        var ofSiteA = await _ops.JsonAsync("array", "list", "--site", "site-a");
        var probe = await _ops.OkAsync("array", "probe", _lab.SiteA.ArrayName);
        var probeJson = await _ops.JsonAsync("array", "probe", _lab.SiteA.ArrayName);

        Assert.That(all.Out, Does.Contain(_lab.SiteA.ArrayName).And.Contain(_lab.SiteB.ArrayName).And.Contain(_lab.SiteA.CinderBackend));
        var rowA = all.Out.Split('\n').Single(l => l.Contains($"| {_lab.SiteA.ArrayName} ", StringComparison.Ordinal));
        Assert.That(rowA, Does.Contain("| site-a ").And.Contain($"| {_lab.SiteB.ArrayName} "), "its site and its peer by name");
        Assert.That(Column(ofSiteA, "name"), Is.EqualTo(new[] { _lab.SiteA.ArrayName }));
        Assert.That(ofSiteA[0]!["volume_types"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "pure-replicated" }));
        Assert.That(probe.Out, Does.Contain("| reachable ").And.Contain("true"));
        Assert.That(probeJson["connections"]!.AsArray().Select(c => c!["remote_name"]!.GetValue<string>()), Does.Contain(_lab.SiteB.ArrayName));
    }

    [Test]
    public async Task The_enrolled_tenant_shows_its_RPO_target_network_mapping_and_contacts()
    {
        var table = await _ops.OkAsync("protection", "list");
        var shown = await _member.JsonAsync("protection", "show", "demo");
        var filtered = await _ops.JsonAsync("protection", "list", "--project", _project);

        Assert.That(table.Out, Does.Contain("| demo ").And.Contain("| 900 ").And.Contain("0 3 29 2 *").And.Contain("| active "));
        Assert.That(shown["rpo_target_seconds"]!.GetValue<int>(), Is.EqualTo(900));
        Assert.That(shown["network_mapping"]!["net-a"]!.GetValue<string>(), Is.EqualTo("net-b"));
        Assert.That(shown["contacts"]![0]!.GetValue<string>(), Is.EqualTo("oncall@demo.example"));
        Assert.That(Column(filtered, "name"), Is.EqualTo(new[] { "demo" }));
    }

    [Test]
    public async Task The_members_plan_lists_its_servers_in_boot_order_with_their_health_check()
    {
        var table = await _member.OkAsync("plan", "list");
        var shown = await _member.JsonAsync("plan", "show", "shop");
        var showTable = await _member.OkAsync("plan", "show", "shop");
        var ofProtection = await _ops.JsonAsync("plan", "list", "--protection", "demo");

        Assert.That(table.Out, Does.Contain("| shop ").And.Contain("| async ").And.Contain("| 2 "));
        Assert.That(shown["resources"]!.AsArray().Select(r => $"{r!["id"]}:{r["priority_group"]}"), Is.EqualTo(new[] { $"{_servers[0]}:1", $"{_servers[1]}:2" }));
        Assert.That(shown["replication"]!["interval_seconds"]!.GetValue<int>(), Is.EqualTo(300));
        Assert.That(shown["health_checks"]![0]!["port"]!.GetValue<int>(), Is.EqualTo(80));
        Assert.That(showTable.Out, Does.Contain("| replication ").And.Contain("\"mode\":\"async\""));
        Assert.That(Column(ofProtection, "name"), Is.EqualTo(new[] { "shop" }));
    }

    [Test]
    public async Task A_plan_takes_its_servers_and_volumes_by_name_as_health_checks_do_and_stores_their_ids()
    {
        var made = await _member.JsonAsync("plan", "create", "by-name", "--protection", "demo", "--server", "web", "--server", "db:2", "--volume", "web-data");
        var unknown = await _member.RunAsync("plan", "create", "nameless", "--protection", "demo", "--server", "mail");
        await _member.OkAsync("plan", "delete", "by-name");

        Assert.That(made["resources"]!.AsArray().Select(r => $"{r!["kind"]} {r["id"]}:{r["priority_group"]}"),
            Is.EquivalentTo(new[] { $"server {_servers[0]}:1", $"server {_servers[1]}:2", $"volume {await VolumeIdAsync("web-data")}:1" }),
            "stored by id, which a rename keeps");
        Assert.That(unknown.Exit, Is.EqualTo(2), unknown.ToString());
        Assert.That(unknown.Err, Does.Contain("Not found in project").And.Contain("server mail"));
    }

    private async Task<string> VolumeIdAsync(string name) =>
        (await _tenant.BlockStorage.Volumes.ListAsync(new Draas.OpenStack.BlockStorage.Volumes.VolumeListOptions(), Ct).FirstAsync(v => v.Name == name, Ct)).Id;

    [Test]
    public async Task A_capture_makes_a_manifest_of_the_tenant_that_shows_as_counts_or_whole_and_diffs_against_itself_as_nothing()
    {
        await CapturedAsync();

        var list = await _member.OkAsync("manifest", "list", "shop");
        var summary = await _member.OkAsync("manifest", "show", "shop", "1");
        var whole = await _member.JsonAsync("manifest", "show", "shop", "1");
        var diff = await _member.JsonAsync("manifest", "show", "shop", "1", "--diff", "1");
        var diffTable = await _member.OkAsync("manifest", "show", "shop", "1", "--diff", "1");

        Assert.That(list.Out, Does.Contain("| Sequence ").And.Contain("| 1 "));
        Assert.That(summary.Out, Does.Contain("| servers ").And.Contain("| 2 "));
        Assert.That(whole["content"]!["servers"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "web", "db" }));
        Assert.That(diff["changes"]!["servers"]!["added"]!.AsArray(), Is.Empty);
        Assert.That(diffTable.Out, Does.Contain("| servers "));
    }

    [Test]
    public async Task Status_shows_the_plans_replication_against_its_RPO_target()
    {
        await CapturedAsync();

        var status = await _member.JsonAsync("status", "shop");
        var table = await _member.OkAsync("status", "shop");

        Assert.That(status["rpo_target_seconds"]!.GetValue<int>(), Is.EqualTo(900));
        Assert.That(status["state"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(table.Out, Does.Contain("| RPO target ").And.Contain("| 15 min "), "the target as people say it");
        Assert.That(table.Out.Split('\n').Max(l => l.Length), Is.LessThanOrEqualTo(120));
    }

    [Test]
    public async Task Events_show_who_did_what_newest_first_and_filter_by_resource()
    {
        var table = await _ops.OkAsync("events", "--limit", "100");
        var plans = await _member.JsonAsync("events", "--resource-type", "plan", "--action", "plan.create");

        Assert.That(table.Out, Does.Contain("site.create").And.Contain("array.create").And.Contain("protection.create").And.Contain(OperatorKeystone.User));
        var shop = (await _member.JsonAsync("plan", "show", "shop"))["id"]!.GetValue<string>();
        // Other tests of this fixture may make (and delete) plans of their own: the story is shop's.
        var shopCreated = plans.AsArray().Where(e => e!["resource_id"]!.GetValue<string>() == shop).ToList();
        Assert.That(shopCreated, Has.Count.EqualTo(1));
        Assert.That(shopCreated[0]!["user_name"]!.GetValue<string>(), Is.EqualTo("demo"));
    }

    [Test]
    public async Task A_site_is_changed_and_a_spare_one_removed_but_one_in_use_is_kept_with_the_services_reason()
    {
        await _ops.OkAsync("site", "create", "spare", "--auth-url", "https://keystone.spare.example:5000/v3", "--username", "u", "--password", "p", "--project", "p");

        var changed = await _ops.JsonAsync("site", "set", "spare", "--description", "cold standby");
        var deleted = await _ops.OkAsync("site", "delete", "spare");
        var inUse = await _ops.RunAsync("site", "delete", "site-a");

        Assert.That(changed["description"]!.GetValue<string>(), Is.EqualTo("cold standby"));
        Assert.That(deleted.Out.Trim(), Is.EqualTo("Site spare deleted."));
        Assert.That(inUse.Exit, Is.EqualTo(1), "a conflict is not the caller's typo: exit 1");
        Assert.That(inUse.Err, Does.Match(@"^draasctl: Site site-a is used by arrays or protections; remove them first \(409, request id req-[0-9a-f-]+\)\.\n$"));
    }

    [Test]
    public async Task An_unknown_plan_is_one_line_and_exit_2_whether_named_or_given_by_id()
    {
        var byName = await _member.RunAsync("status", "no-such-plan");
        var id = Guid.NewGuid();
        var byId = await _member.RunAsync("plan", "show", id.ToString());

        Assert.That(byName.Exit, Is.EqualTo(2));
        Assert.That(byName.Err, Is.EqualTo("draasctl: No plan is named or has the id 'no-such-plan'.\n"));
        Assert.That(byId.Exit, Is.EqualTo(2));
        Assert.That(byId.Err, Does.Match($@"^draasctl: Plan {id} could not be found \(404, request id req-[0-9a-f-]+\)\.\n$"));
    }

    [Test]
    public async Task Malformed_options_are_refused_before_anything_is_sent()
    {
        var selector = await _member.RunAsync("plan", "create", "bad", "--protection", "demo", "--selector", "{not json");
        var group = await _member.RunAsync("plan", "create", "bad", "--protection", "demo", "--server", "web:11");
        var rpo = await _ops.RunAsync("protection", "set", "demo", "--rpo", "fortnight");
        var format = await _ops.RunAsync("site", "list", "-f", "csv");
        var unknown = await _ops.RunAsync("site", "frobnicate");

        foreach (var (result, message) in new[]
        {
            (selector, "draasctl: --selector is not valid JSON ("),
            (group, "draasctl: --server takes ID or ID:GROUP with GROUP 1..10, not 'web:11'."),
            (rpo, "draasctl: --rpo takes seconds or a duration like 90s, 15m, 2h, not 'fortnight'."),
            (format, "draasctl: -f takes table, json or yaml, not 'csv'."),
            (unknown, "draasctl: "),
        })
        {
            Assert.That(result.Exit, Is.EqualTo(2), result.ToString());
            Assert.That(result.Err, Does.StartWith(message));
            Assert.That(result.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), result.Err);
        }
        Assert.That((await _member.JsonAsync("plan", "list")).AsArray().Select(p => p!["name"]!.GetValue<string>()), Does.Not.Contain("bad"));
    }

    [Test]
    public async Task A_reader_may_look_but_a_change_is_forbidden_exit_1_with_the_request_id()
    {
        var reader = new Draasctl().With("OS_TOKEN", Reader).With("DRAAS_ENDPOINT", _service.BaseAddress.ToString());

        var look = await reader.JsonAsync("plan", "show", "shop");
        var change = await reader.RunAsync("plan", "set", "shop", "--description", "mine now");

        Assert.That(look["name"]!.GetValue<string>(), Is.EqualTo("shop"));
        Assert.That(change.Exit, Is.EqualTo(1));
        Assert.That(change.Err, Does.Match(@"^draasctl: Policy doesn't allow .+ \(403, request id req-[0-9a-f-]+\)\.\n$"));
    }

    // ---- Runs: these need the Runs API (POST/GET /v1/runs, report, runbook), which lands on its own branch.

    /// <summary>Replication has moved at least one recovery point to site B.</summary>
    private async Task RecoverableAsync()
    {
        await CapturedAsync();
        await Eventually.WaitForAsync(async () =>
        {
            _lab.Advance(TimeSpan.FromMinutes(6));
            return (await _member.JsonAsync("status", "shop"))["latest_recovery_point_at"] is JsonValue at ? at : null;
        }, "a recovery point at site B", TimeSpan.FromSeconds(90));
    }

    [Test, Category("NeedsRuns")]
    public async Task A_dry_run_drill_lists_its_steps_and_starts_nothing()
    {
        await RecoverableAsync();
        var before = (await _member.JsonAsync("run", "list", "--plan", "shop")).AsArray().Count;

        var table = await _member.OkAsync("run", "create", "--plan", "shop", "--kind", "drill", "--dry-run");
        var json = await _member.JsonAsync("run", "create", "--plan", "shop", "--kind", "drill", "--dry-run");

        Assert.That(table.Out, Does.StartWith("Dry run of a drill: ").And.Contain("preflight").And.Contain("boot_server"));
        Assert.That(json["dry_run"]!.GetValue<bool>(), Is.True);
        Assert.That(json["steps"]!.AsArray().Select(s => s!["kind"]!.GetValue<string>()), Does.Contain("promote_volume").And.Contain("health_check"));
        Assert.That((await _member.JsonAsync("run", "list", "--plan", "shop")).AsArray(), Has.Count.EqualTo(before), "a dry run stores nothing");
    }

    [Test, Category("NeedsRuns")]
    public async Task A_drill_is_started_watched_to_success_and_leaves_a_report_and_a_runbook()
    {
        await RecoverableAsync();

        var watched = await _member.RunAsync("run", "create", "--plan", "shop", "--kind", "drill", "--watch", "--interval", "0.2");
        var id = System.Text.RegularExpressions.Regex.Match(watched.Out, @"^Run (\S+) ", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
        var runs = await _member.JsonAsync("run", "list", "--plan", "shop", "--kind", "drill");
        var shown = await _member.JsonAsync("run", "show", id);
        var showTable = await _member.OkAsync("run", "show", id);
        var listTable = await _member.OkAsync("run", "list", "--state", "succeeded");
        var report = await _member.JsonAsync("run", "report", id);
        var reportFile = Path.Combine(_dir, "reports", "drill.md");
        var written = await _member.OkAsync("run", "report", id, "--markdown", "-o", reportFile);
        var runbookFile = Path.Combine(_dir, "runbook.md");
        await _member.OkAsync("runbook", "demo", "-o", runbookFile);
        var runbookOut = await _member.OkAsync("runbook", "demo");

        Assert.That(watched.Exit, Is.EqualTo(0), watched.ToString());
        Assert.That(watched.Out, Does.Contain("promote_volume").And.Contain(": succeeded in "));
        Assert.That(watched.Out.TrimEnd().Split('\n')[^1], Does.Match($@"^Run {id} succeeded; RTO .+\.$"));
        Assert.That(runs.AsArray().Select(r => r!["id"]!.GetValue<string>()), Does.Contain(id));
        Assert.That(shown["state"]!.GetValue<string>(), Is.EqualTo("succeeded"));
        Assert.That(shown["steps"]!.AsArray().All(s => s!["state"]!.GetValue<string>() is "succeeded" or "skipped"), Is.True);
        Assert.That(showTable.Out, Does.Contain("| State ").And.Contain("| succeeded ").And.Contain("| boot_server "));
        Assert.That(listTable.Out, Does.Contain(id));
        // The lab's clock is manual here, so the RTO is whatever it moved; it is still the run's own figure:
        // from its start to its last server up, never past its end (RecoveryRunsTests measures a real RTO).
        var started = report["started_at"]!.GetValue<DateTimeOffset>();
        var finished = report["finished_at"]!.GetValue<DateTimeOffset>();
        Assert.That(report["rto_seconds"]!.GetValue<double>(), Is.InRange(0, (finished - started).TotalSeconds + 0.001));
        Assert.That(report["recovered"]!["servers"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "web", "db" }));
        Assert.That(written.Out.Trim(), Is.EqualTo($"Report of run {id} written to {reportFile}."));
        var markdown = await File.ReadAllTextAsync(reportFile);
        Assert.That(markdown, Does.StartWith("# DR drill report: demo / shop\n"));
        Assert.That(markdown, Does.Contain("\n## Steps\n").And.Contain("\n## Recovered\n").And.Contain($"| run | {id} |").And.Contain("\n## Health checks\n"));
        Assert.That(markdown, Does.Contain($"| server | web | {_servers[0]} |").And.Contain($"| server | db | {_servers[1]} |"));
        var runbook = await File.ReadAllTextAsync(runbookFile);
        Assert.That(runbook, Does.StartWith("# DR runbook: demo\n"));
        foreach (var section in new[] { "## 1. Pre-recovery checklist", "## 2. Recovery steps", "### Plan shop: 2 servers, 4 volumes", "## 3. Post-recovery actions", "## 4. Contacts" })
            Assert.That(runbook, Does.Contain($"\n{section}"), section);
        Assert.That(runbook, Does.Contain("| boot_server | web |").And.Contain("| boot_server | db |"), "the failover's boot steps, by server name");
        Assert.That(runbookOut.Out, Is.EqualTo(runbook), "the runbook on stdout is the one written to the file");
    }

    [Test, Category("NeedsRuns")]
    public async Task A_cancelled_drill_ends_watch_with_exit_3()
    {
        await RecoverableAsync();

        // Site B's array answers slowly while the cancel is asked for, so the drill cannot have finished first.
        await _lab.FlashArray.Admin.SetFaultsAsync("array-b", 1500, 0, Ct);
        string id;
        CliResult cancel;
        try
        {
            var created = await _member.JsonAsync("run", "create", "--plan", "shop", "--kind", "drill");
            id = created["id"]!.GetValue<string>();
            cancel = await _member.OkAsync("run", "cancel", id);
        }
        finally
        {
            await _lab.FlashArray.Admin.SetFaultsAsync("array-b", 0, 0, Ct);
        }
        var watched = await _member.RunAsync("run", "watch", id, "-f", "json", "--interval", "0.2");

        Assert.That(cancel.Out.Trim(), Is.EqualTo($"Cancel of run {id} requested; 'draasctl run watch {id}' shows it stop."));
        Assert.That(watched.Json["state"]!.GetValue<string>(), Is.EqualTo("cancelled"), watched.ToString());
        Assert.That(watched.Exit, Is.EqualTo(3), "3: the run did not succeed (1 is for a service that failed)");
        var steps = watched.Json["steps"]!.AsArray();
        Assert.That(steps.Where(s => s!["kind"]!.GetValue<string>() == "boot_server").Select(s => s!["state"]!.GetValue<string>()), Has.None.EqualTo("succeeded"), "no server came up after the cancel");
        Assert.That(steps.Single(s => s!["kind"]!.GetValue<string>() == "cleanup")!["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), "a cancelled drill still cleans up");
    }

    [Test, Category("NeedsRuns")]
    public async Task A_run_for_an_unknown_kind_or_without_a_target_is_refused_with_exit_2()
    {
        var kind = await _member.RunAsync("run", "create", "--plan", "shop", "--kind", "vacation");
        var both = await _member.RunAsync("run", "create", "--plan", "shop", "--protection", "demo", "--kind", "drill");
        var options = await _member.RunAsync("run", "create", "--plan", "shop", "--kind", "drill", "--options", "[1, 2]");
        var missing = await _member.RunAsync("run", "show", Guid.NewGuid().ToString());

        Assert.That(kind.Err.Trim(), Is.EqualTo("draasctl: --kind takes drill, failover, planned_migration, reprotect, failback, not 'vacation'."));
        Assert.That(both.Err.Trim(), Is.EqualTo("draasctl: run create needs exactly one of --plan and --protection."));
        Assert.That(options.Err.Trim(), Is.EqualTo("draasctl: --options must be a JSON object ({...})."));
        Assert.That(new[] { kind.Exit, both.Exit, options.Exit, missing.Exit }, Is.All.EqualTo(2), missing.ToString());
    }
}
