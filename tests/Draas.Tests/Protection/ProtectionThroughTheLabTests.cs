using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.Simulators.Lab;
using Draas.Simulators.OpenStack;
using Draas.Tests.Support;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Protection;

/// <summary>
/// The everyday story against the DR lab: an admin enrols a tenant, a member protects two servers and a
/// volume, and the primary array ends up replicating exactly those volumes to the recovery array.
/// </summary>
[TestFixture]
public sealed class ProtectionThroughTheLabTests
{
    private const string Admin = KeystoneStandIn.AdminToken;
    private const string Member = "gAAAAAlab-demo-member";
    private RunningService _service = null!;
    private DrLab _lab = null!;
    private KeystoneSession _tenant = null!;
    private ArrayInspector _arrayA = null!;
    private WireMock.Server.WireMockServer _webhook = null!;
    private string _plan = null!;
    private string _web = null!;
    private readonly List<string> _volumes = [];

    private static CancellationToken Ct => CancellationToken.None;

    [OneTimeSetUp]
    public async Task Start()
    {
        // The service runs on the lab's clock, so replication lag is measured in the lab's time.
        _lab = await DrLab.StartAsync(new DrLabOptions { Delays = SimDelays.None });
        _service = await RunningService.StartAsync(clock: _lab.Clock);
        _webhook = WireMock.Server.WireMockServer.Start();
        _webhook.Given(WireMock.RequestBuilders.Request.Create().WithPath("/hooks/dr").UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(204));
        _arrayA = new ArrayInspector(_lab.SiteA.ArrayUrl, _lab.SiteA.ApiToken);
        var project = _lab.SiteA.OpenStack.ProjectId("demo");
        _service.Keystone.AddToken(Member, "lab-demo", "demo", project, ["member", "reader"]);

        async Task<string> Post(string path, string token, object body) =>
            (await _service.SendAsync(HttpMethod.Post, path, token, body)) is var (status, json, _) && status == 201
                ? json!.AsObject().Single().Value!["id"]!.GetValue<string>()
                : throw new AssertionException($"POST {path} failed");
        async Task<string> Site(LabSite s) => await Post("/v1/sites", Admin, new
        {
            site = new { name = s.Name, auth_url = s.AuthUrl, region_name = s.OpenStack.Region, username = s.Admin.Username, project_name = s.Admin.ProjectName, password = s.Admin.Password },
        });
        var siteA = await Site(_lab.SiteA);
        var siteB = await Site(_lab.SiteB);
        object ArrayBody(LabSite s, string site, string? peer) => new
        {
            array = new { name = s.ArrayName, site_id = site, plugin = "pure", endpoint = s.ArrayUrl.ToString(), api_token = s.ApiToken, cinder_backend = s.CinderBackend, peer_array_id = peer },
        };
        var arrayB = await Post("/v1/arrays", Admin, ArrayBody(_lab.SiteB, siteB, null));
        await Post("/v1/arrays", Admin, ArrayBody(_lab.SiteA, siteA, arrayB));
        var protection = await Post("/v1/protections", Admin, new
        {
            protection = new { name = "demo", primary_site_id = siteA, primary_project_id = project, recovery_site_id = siteB, rpo_target_seconds = 900, webhook_url = _webhook.Urls[0] + "/hooks/dr" },
        });

        // The tenant's workload: two boot-from-volume servers with a data volume each, and one loose volume.
        _tenant = new KeystoneSession(new KeystoneSessionOptions
        {
            AuthUrl = _lab.SiteA.AuthUrl,
            Region = _lab.SiteA.OpenStack.Region,
            Username = "demo",
            Password = _lab.SiteA.Demo.Password,
            UserDomainName = "Default",
            ProjectName = "demo",
            ProjectDomainName = "Default",
        }, _lab.Clock);
        var servers = new List<string>();
        foreach (var name in new[] { "web", "db" })
        {
            var boot = await VolumeAsync($"{name}-boot", 10);
            await _tenant.BlockStorage.Volumes.SetBootableAsync(boot, true, Ct);
            var data = await VolumeAsync($"{name}-data", 20);
            var server = (await _tenant.Compute.Servers.CreateAsync(new CreateServerOptions
            {
                Name = name,
                FlavorRef = "2",
                Networks = ServerNetworks.None,
                BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(boot)],
            }, Ct)).Id;
            await _tenant.Compute.Servers.WaitForStatusAsync(server, "ACTIVE", null, Ct);
            await _tenant.Compute.VolumeAttachments.AttachAsync(server, new AttachVolumeOptions { VolumeId = data }, Ct);
            servers.Add(server);
        }
        _web = servers[0];
        var extra = await VolumeAsync("shared-extra", 5);
        _plan = await Post("/v1/plans", Member, new
        {
            plan = new
            {
                protection_id = protection,
                name = "shop",
                resources = new object[] { new { kind = "server", id = servers[0] }, new { kind = "server", id = servers[1], priority_group = 2 }, new { kind = "volume", id = extra } },
            },
        });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _arrayA.Dispose();
        _webhook.Stop();
        _tenant.Dispose();
        await _lab.DisposeAsync();
        await _service.DisposeAsync();
    }

    private async Task<string> VolumeAsync(string name, int size)
    {
        var id = (await _tenant.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = size, Name = name }, Ct)).Id;
        await _tenant.BlockStorage.Volumes.WaitForStatusAsync(id, "available", null, Ct);
        _volumes.Add(id);
        return id;
    }

    private async Task<string[]> ProtectAndReadGroupAsync(int expectedMembers)
    {
        var (status, body, _) = await _service.SendAsync(HttpMethod.Post, $"/v1/plans/{_plan}/action", Member, new { capture = new { } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        return await Eventually.WaitForAsync(async () =>
        {
            var members = (await _arrayA.GetAsync("protection-groups/volumes")).Select(m => m!["member"]!["name"]!.GetValue<string>()).Order().ToArray();
            return members.Length == expectedMembers ? members : null;
        }, $"array-a's protection group to hold {expectedMembers} volumes");
    }

    [Test, Order(1)]
    public async Task The_primary_array_replicates_exactly_the_plans_five_volumes_to_the_recovery_array()
    {
        var members = await ProtectAndReadGroupAsync(5);

        Assert.That(members, Is.EqualTo(_volumes.Select(v => $"volume-{v}-cinder").Order().ToArray()));
        var groups = await _arrayA.GetAsync("protection-groups");
        Assert.That(groups, Has.Count.EqualTo(1));
        // The plugin adds the group's members before its target: the capture may still be between the two.
        var targets = await Eventually.WaitForAsync(async () =>
            (await _arrayA.GetAsync("protection-groups/targets")).Select(t => t!["member"]!["name"]!.GetValue<string>()).ToArray() is { Length: > 0 } t ? t : null,
            "array-a's protection group to have its target");
        Assert.That(targets, Is.EqualTo(new[] { "array-b" }));
        // The job commits the plan's status just after the array changed.
        await Eventually.WaitForAsync(async () =>
            (await _service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}", Member)).Body!["plan"]!["status"]!.GetValue<string>() == "protected" ? "yes" : null,
            "the plan to be protected");
    }

    [Test, Order(2)]
    public async Task A_volume_attached_to_a_protected_server_later_is_protected_in_the_next_cycle_and_the_manifest_diff_shows_it()
    {
        var logs = await VolumeAsync("web-logs", 2);
        await _tenant.Compute.VolumeAttachments.AttachAsync(_web, new AttachVolumeOptions { VolumeId = logs }, Ct);

        var members = await ProtectAndReadGroupAsync(6);

        Assert.That(members, Does.Contain($"volume-{logs}-cinder"));
        var (_, diff, _) = await _service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/manifests/2?diff=1", Member);
        Assert.That(diff!["diff"]!["changes"]!["volumes"]!["added"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EqualTo(new[] { logs }));
        var (_, events, _) = await _service.SendAsync(HttpMethod.Get, "/v1/events?action=protection.changed", Member);
        Assert.That(events!["events"]!.AsArray().Count, Is.GreaterThanOrEqualTo(2));
    }

    private async Task<JsonNode> MonitorAsync()
    {
        var before = (await _service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/status", Member)).Body!["status"]!["groups"]![0]!["checked_at"]?.ToString();
        _service.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<Draas.Workflows.Protection.ReplicationMonitorJob>(j => j.RunAsync(CancellationToken.None));
        return await Eventually.WaitForAsync(async () =>
        {
            var status = (await _service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/status", Member)).Body!["status"]!;
            return status["groups"]![0]!["checked_at"]?.ToString() is { } checkedAt && checkedAt != before ? status : null;
        }, "the replication monitor to check the plan");
    }

    [Test, Order(3)]
    public async Task Once_replication_has_shipped_the_plan_is_within_its_RPO_and_its_status_shows_the_recovery_point()
    {
        _lab.Advance(TimeSpan.FromMinutes(6));

        var status = await MonitorAsync();

        Assert.That(status["state"]!.GetValue<string>(), Is.EqualTo("protected"), status.ToJsonString());
        Assert.That(status["lag_seconds"]!.GetValue<double>(), Is.LessThan(900 * 0.8));
        Assert.That(status["latest_recovery_point_at"], Is.Not.Null);
        Assert.That(status["groups"]![0]!["health"]!.GetValue<string>(), Is.EqualTo("healthy"));
        Assert.That(_webhook.LogEntries, Is.Empty, "no change, no notification");
    }

    [Test, Order(4)]
    public async Task When_the_replication_link_is_down_past_the_RPO_target_the_plan_is_violated_an_event_is_recorded_and_the_webhook_is_called()
    {
        await _lab.FlashArray.Admin.SetLinkDownAsync("array-a", "array-b", true);
        _lab.Advance(TimeSpan.FromMinutes(16));

        var status = await MonitorAsync();

        Assert.That(status["state"]!.GetValue<string>(), Is.EqualTo("violated"), status.ToJsonString());
        Assert.That(status["lag_seconds"]!.GetValue<double>(), Is.GreaterThan(900));
        var (_, events, _) = await _service.SendAsync(HttpMethod.Get, "/v1/events?action=rpo.changed", Member);
        Assert.That(events!["events"]![0]!["detail"]!["to"]!.GetValue<string>(), Is.EqualTo("violated"));
        // Over the target, up to twice it: the RPO is exceeded (the first of the three tiers past it).
        Assert.That(status["rpo_tier"]!.GetValue<string>(), Is.EqualTo("exceeded"));
        // The tenant is told by a job, not in the monitor's transaction: the call comes shortly after.
        static string Event(WireMock.Logging.ILogEntry e) => JsonNode.Parse(e.RequestMessage.Body!)!["event"]!.GetValue<string>();
        var call = await Eventually.WaitForAsync(() => Task.FromResult(_webhook.LogEntries.FirstOrDefault(e => Event(e) == "rpo.breached")), "the webhook call");
        Assert.That(_webhook.LogEntries.Count(e => Event(e) == "rpo.breached"), Is.EqualTo(1));
        var payload = JsonNode.Parse(call.RequestMessage.Body!)!;
        Assert.That(payload["event"]!.GetValue<string>(), Is.EqualTo("rpo.breached"));
        Assert.That(payload["detail"]!["from"]!.GetValue<string>(), Is.EqualTo("protected"));
        Assert.That(payload["detail"]!["to"]!.GetValue<string>(), Is.EqualTo("violated"));
        Assert.That(payload["detail"]!["tier"]!.GetValue<string>(), Is.EqualTo("exceeded"));
        Assert.That(payload["detail"]!["plan_id"]!.GetValue<string>(), Is.EqualTo(_plan));
        var (_, metrics, _) = await _service.SendAsync(HttpMethod.Get, "/metrics", Admin);
        Assert.That(metrics!.ToString(), Does.Match($"draas_rpo_violation\\{{plan_id=\"{_plan}\",project_id=\"[^\"]+\"\\}} 1"));
        Assert.That(metrics.ToString(), Does.Match($"draas_rpo_tier\\{{plan_id=\"{_plan}\",project_id=\"[^\"]+\"\\}} 1"));

        // The lag history shows the climb: readings within the target before the link went down, over it now.
        var (_, withHistory, _) = await _service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/status?history=2", Member);
        var points = withHistory!["status"]!["lag_history"]!["points"]!.AsArray().Select(p => p!["lag_seconds"]?.GetValue<double>()).OfType<double>().ToList();
        Assert.That(points, Has.Count.GreaterThanOrEqualTo(2), withHistory["status"]!["lag_history"]!.ToJsonString());
        Assert.That(points[0], Is.LessThan(900));
        Assert.That(points[^1], Is.GreaterThan(900));
    }

    [Test, Order(5)]
    public async Task The_RPO_monitor_waits_for_a_capture_writing_the_same_plan_and_keeps_what_the_capture_wrote()
    {
        var planId = Guid.Parse(_plan);
        // Stands in for a capture's reconcile: it holds the plan's row while it re-points the groups.
        await using var capture = new Npgsql.NpgsqlConnection(_service.Database.ConnectionString);
        await capture.OpenAsync();
        await using var tx = await capture.BeginTransactionAsync();
        await using (var lockPlan = new Npgsql.NpgsqlCommand("SELECT 1 FROM plans WHERE id = $1 FOR NO KEY UPDATE", capture, tx) { Parameters = { new() { Value = planId } } })
            await lockPlan.ExecuteScalarAsync();

        using var scope = _service.Services.CreateScope();
        var monitor = scope.ServiceProvider.GetRequiredService<Draas.Workflows.Protection.ReplicationMonitorJob>().RunAsync(CancellationToken.None);
        await Task.WhenAny(monitor, Task.Delay(TimeSpan.FromSeconds(2)));
        Assert.That(monitor.IsCompleted, Is.False, "the monitor writes only once the capture's transaction ends");

        await using (var repoint = new Npgsql.NpgsqlCommand("UPDATE replication_groups SET members = array_append(members, 'volume-late-cinder') WHERE plan_id = $1", capture, tx) { Parameters = { new() { Value = planId } } })
            await repoint.ExecuteNonQueryAsync();
        await tx.CommitAsync();
        await monitor; // before the plan lock this failed the xmin check, or overwrote the members

        var members = await _service.Database.ScalarAsync<string[]>("SELECT members FROM replication_groups WHERE plan_id = $1", planId);
        Assert.That(members, Does.Contain("volume-late-cinder"), "the capture's write survived");
        var health = await _service.Database.ScalarAsync<string>("SELECT health FROM replication_groups WHERE plan_id = $1", planId);
        Assert.That(health, Is.Not.Null.And.Not.Empty, "the monitor's reading was written too");
    }
}
