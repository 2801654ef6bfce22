using System.Text.Json.Nodes;
using Draas.Tests.Runs;

namespace Draas.Tests.Tenant;

/// <summary>
/// Issue 15's must-show, told as the routed tenant's story in the DR lab: the dry run lists the networks,
/// security groups and ports a failover will create; a drill runs in its isolated bubble and leaves site B
/// exactly as it was; then a failover rebuilds the whole tenant in the recovery project, and a comparison
/// the test makes from both clouds (not from the service's report) shows the same topology, rules, fixed
/// addresses, MACs, server group policy, user data and the tenant user's keypair.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RecoveredTenantTests
{
    private RoutedTenant _t = null!;
    private static CancellationToken Ct => CancellationToken.None;

    [OneTimeSetUp]
    public async Task Start() => _t = await RoutedTenant.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private static IEnumerable<JsonNode> Steps(JsonNode run, string kind) => run["steps"]!.AsArray().Where(s => s!["kind"]!.GetValue<string>() == kind)!;

    [Test, Order(0)]
    public async Task The_products_probe_agent_really_connects_and_the_labs_guests_answer_only_where_their_groups_allow()
    {
        var web1 = await _t.AdminA.Compute.Servers.GetAsync(_t.Servers["web-1"], Ct);
        Assert.That(web1.AccessIPv4, Does.StartWith("127."), "each lab server answers on its own loopback address");
        using var http = new HttpClient();
        async Task<(int Status, string Body)> Probe(string query, bool secret = true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{_t.ProbeUrl}/probe?{query}");
            if (secret) request.Headers.Add("X-Probe-Secret", RoutedTenant.ProbeSecret);
            using var answer = await http.SendAsync(request);
            return ((int)answer.StatusCode, await answer.Content.ReadAsStringAsync());
        }
        Assert.That((await Probe($"type=http&address={web1.AccessIPv4}&port=80&path=/", secret: false)).Status, Is.EqualTo(401), "no secret, no probe");
        Assert.That((await Probe($"type=http&address={web1.AccessIPv4}&port=80&path=/")).Status, Is.EqualTo(200), "web allows http from anywhere");
        var refused = await Probe($"type=tcp&address={web1.AccessIPv4}&port=5432");
        Assert.That(refused.Status, Is.EqualTo(503), "web's groups do not let the probe reach 5432");
        Assert.That(refused.Body, Does.Contain("refused"));
        Assert.That((await Probe($"type=http&address={web1.AccessIPv4}&port=80&path=/&expect_status=204")).Body, Does.Contain("HTTP 200, expected 204"));
        Assert.That((await Probe("type=tcp&address=localhost&port=80")).Status, Is.EqualTo(400), "IP literals only");
    }

    [Test, Order(1)]
    public async Task The_dry_run_of_a_failover_lists_the_networks_security_groups_and_ports_it_will_create()
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", RoutedTenant.Admin,
            new { run = new { plan_id = _t.Plan, kind = "failover", dry_run = true } });
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        var run = body!["run"]!;
        Assert.That(run["options"]!["floating_ips"]!.GetValue<bool>(), Is.True, "the plan's recovery_options are the run's defaults");
        Assert.That(run["options"]!["az_mapping"]!["nova"]!.GetValue<string>(), Is.EqualTo("nova"));

        Assert.That(Steps(run, "ensure_network").Select(s => s["input"]!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "front", "back" }));
        Assert.That(Steps(run, "ensure_network").Select(s => s["input"]!["mode"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { "create" }));
        var router = Steps(run, "ensure_router").Single()["input"]!;
        Assert.That(router["name"]!.GetValue<string>(), Is.EqualTo("edge"));
        Assert.That(router["external_network"]!.GetValue<string>(), Is.EqualTo("public"));
        var groups = Steps(run, "ensure_security_groups").Single()["input"]!["groups"]!.AsArray();
        Assert.That(groups.Select(g => g!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "app", "db", "web" }));
        Assert.That(groups.Single(g => g!["name"]!.GetValue<string>() == "db")!["remote_groups"]!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "app" }));
        var ports = Steps(run, "ensure_port").Select(s => $"{s["input"]!["server"]} {s["input"]!["network"]} {s["input"]!["fixed_ips"]!.ToJsonString()}").ToList();
        Assert.That(ports, Has.Count.EqualTo(5));
        Assert.That(ports, Does.Contain("app front [\"192.168.10.30\"]").And.Contain("app back [\"192.168.20.30\"]").And.Contain("db back [\"192.168.20.40\"]"));
        Assert.That(Steps(run, "ensure_server_group").Single()["input"]!["policy"]!.GetValue<string>(), Is.EqualTo("anti-affinity"));
        Assert.That(Steps(run, "ensure_floating_ip").Single()["input"]!["server"]!.GetValue<string>(), Is.EqualTo("web-1"));

        var (_, without, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", RoutedTenant.Admin,
            new { run = new { plan_id = _t.Plan, kind = "failover", dry_run = true, options = new { floating_ips = false } } });
        Assert.That(Steps(without!["run"]!, "ensure_floating_ip"), Is.Empty, "a run's own option overrides the plan's");
    }

    [Test, Order(1)]
    public async Task A_plans_recovery_options_hold_only_how_the_tenant_is_rebuilt_and_refuse_bad_values()
    {
        foreach (var (options, expected) in new (object, string)[]
        {
            (new { max_parallel = 3 }, "'max_parallel' is not a plan default"),
            (new { floating_ips = "yes" }, "option 'floating_ips' must be true or false"),
            (new { az_mapping = new { nova = 3 } }, "option 'az_mapping' must map availability zone names"),
        })
        {
            var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{_t.Plan}", RoutedTenant.Admin, new { plan = new { recovery_options = options } });
            Assert.That(status, Is.EqualTo(400), body?.ToJsonString());
            Assert.That(body!["badRequest"]!["message"]!.GetValue<string>(), Does.Contain(expected));
        }
        var plan = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}", RoutedTenant.Admin)).Body!["plan"]!;
        var kept = plan["recovery_options"]!.AsObject();
        Assert.That(kept.Select(p => p.Key), Is.EquivalentTo(new[] { "floating_ips", "az_mapping" }), "refused updates changed nothing");
        Assert.That(kept["floating_ips"]!.GetValue<bool>(), Is.True);
    }

    [Test, Order(2)]
    public async Task A_drill_runs_in_its_isolated_bubble_and_leaves_the_recovery_site_as_it_found_it()
    {
        var before = await CloudView.InventoryAsync(_t.AdminB, "demo", Ct);

        var run = await _t.Inner.RunAsync("drill", timeoutSeconds: 180);

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var report = await _t.Inner.ReportAsync(run["id"]!.GetValue<string>());
        var network = report["network"]!;
        var bubble = network["networks"]!.AsArray().Select(s => s!["network_id"]!.GetValue<string>()).ToHashSet();
        Assert.That(bubble, Has.Count.EqualTo(2), "front and back copied into the drill project");
        Assert.That(network["networks"]!.AsArray().Select(s => s!["mode"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { "bubble" }));
        var portNetworks = network["ports"]!.AsArray().Select(s => s!["network_id"]!.GetValue<string>()).ToList();
        Assert.That(portNetworks, Has.Count.EqualTo(5));
        Assert.That(portNetworks.Distinct(), Is.SubsetOf(bubble), "no port on a network outside the drill's bubble");
        Assert.That(network["routers"]!.AsArray().Single()!["external_network_id"], Is.Null, "the bubble's router has no way out");
        Assert.That(network["floating_ips"]!.AsArray(), Is.Empty);
        var removed = report["cleanup"]!["removed"]!;
        Assert.That(removed["networks"]!.AsArray().Select(x => x!.GetValue<string>().Split(' ')[0]), Is.EquivalentTo(bubble), "cleanup removed the bubble");
        Assert.That(removed["ports"]!.AsArray(), Has.Count.EqualTo(5));
        Assert.That(removed["routers"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(removed["security_groups"]!.AsArray().Select(x => x!.GetValue<string>().Split(' ')[1]), Is.EquivalentTo(new[] { "app", "db", "default", "web" }));
        Assert.That(removed["server_groups"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(removed["tenant_keypairs"]!.AsArray(), Has.Count.EqualTo(1), "the tenant user's copy of the drill's key");
        Assert.That(report["health"]!.AsArray().Select(h => h!["state"]!.GetValue<string>()), Is.EqualTo(new[] { "succeeded", "succeeded", "succeeded" }));

        var after = await CloudView.InventoryAsync(_t.AdminB, "demo", Ct);
        Assert.That(after, Is.EqualTo(before), "site B's networks, ports, routers, groups, floating IPs, server groups and the tenant user's keys");
    }

    [Test, Order(3)]
    public async Task A_server_rebuilt_without_its_security_group_fails_its_http_check()
    {
        // The tenant takes web-2 out of the web group at the primary; the next capture records it so.
        var n = _t.TenantA.Networking;
        var port = await n.ListPortsAsync(new Draas.OpenStack.Networking.NeutronFilter { DeviceId = _t.Servers["web-2"] }, Ct).SingleAsync(Ct);
        var defaultGroup = await n.ListSecurityGroupsAsync(new Draas.OpenStack.Networking.NeutronFilter { Name = "default" }, Ct).SingleAsync(Ct);
        await SetGroupsAsync(port.Id, [defaultGroup.Id]);
        await _t.Inner.ProtectAsync();

        var run = await _t.Inner.RunAsync("drill", new { validation_retries = 2 }, timeoutSeconds: 180);

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("failed"));
        var failed = run["steps"]!.AsArray().Where(s => s!["state"]!.GetValue<string>() == "failed").ToList();
        Assert.That(failed.Select(s => $"{s!["kind"]} {s["target"]}"), Is.EqualTo(new[] { $"health_check {_t.Servers["web-2"]}" }), TenantInTheLab.Describe(run));
        Assert.That(failed[0]!["error"]!.GetValue<string>(), Does.Contain("http check on port 80").And.Contain("refused"));
        var cleanup = run["steps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "cleanup")!;
        Assert.That(cleanup["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), "the failed drill still cleans up");

        await SetGroupsAsync(port.Id, [port.SecurityGroups.Single()]);
        await _t.Inner.ProtectAsync();
    }

    private Task SetGroupsAsync(string portId, string[] groups) => _t.TenantA.Networking.SetPortSecurityGroupsAsync(portId, groups, Ct);

    [Test, Order(4)]
    public async Task A_failover_rebuilds_the_whole_tenant_and_both_clouds_show_the_same_topology_rules_addresses_and_policies()
    {
        var projectA = _t.Lab.SiteA.OpenStack.ProjectId("demo");
        var projectB = _t.Lab.SiteB.OpenStack.ProjectId("demo");
        var primary = await CloudView.OfAsync(_t.AdminA, projectA, "demo", Ct);

        var run = await _t.Inner.RunAsync("failover", timeoutSeconds: 180);

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var recovered = await CloudView.OfAsync(_t.AdminB, projectB, "demo", Ct);
        TestContext.Progress.WriteLine("primary | recovery site\n" + string.Join("\n", primary.Zip(recovered, (a, b) => a == b ? $"  = {a}" : $"  ! {a}\n  ! {b}")));
        Assert.That(recovered, Is.EqualTo(primary), "site B's view of the recovered tenant, line for line, equals site A's");
        Assert.That(primary, Has.Some.Contains("server group web-spread anti-affinity: members web-1,web-2 on 2 hosts"));
        Assert.That(primary, Has.Some.Contains("security group db: ingress IPv4 tcp 5432-5432 from group app"));
        Assert.That(primary, Has.Some.Contains("floating ip on web-1"));
        Assert.That(primary, Has.Some.Contains("server web-1 disk /dev/vdb: web-1-data"), "an image-booted server's first volume");

        var report = await _t.Inner.ReportAsync(run["id"]!.GetValue<string>());
        Assert.That(report["health"]!.AsArray().Select(h => h!["state"]!.GetValue<string>()), Is.EqualTo(new[] { "succeeded", "succeeded", "succeeded" }));
        var changed = report["network"]!["ports"]!.AsArray().SelectMany(s => s!["changed"]!.AsArray()).ToList();
        Assert.That(changed, Is.Empty, "every fixed address was kept");
    }
}
