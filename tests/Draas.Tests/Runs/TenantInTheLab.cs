using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Flavors;
using Draas.OpenStack.Compute.Keypairs;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.Simulators.Lab;
using Draas.Tests.Support;
using Hangfire;

namespace Draas.Tests.Runs;

/// <summary>
/// A protected tenant in the DR lab, registered with a running service: three servers (web boots from a
/// volume and has a data volume, app boots from an image and has a data volume, db boots from a volume in
/// priority group 2) and five volumes, web on a flavor with extra specs only site A has, web and app with
/// the tenant's keypair; health checks on web (HTTP 80) and db (TCP 5432) through the product's probe agent
/// (<see cref="LabProbeAgent"/>), over real sockets to the lab's guests, which the default group opens to it. The lab's clock runs <see cref="Acceleration"/> times faster than real time.
/// </summary>
public sealed class TenantInTheLab : IAsyncDisposable
{
    public const string Admin = KeystoneStandIn.AdminToken;
    public const string Member = "gAAAAArun-demo-member";
    public const double Acceleration = 20;

    /// <summary>The lab, the service and the two sites and arrays registered with it.</summary>
    public required ServiceInTheLab InTheLab { get; init; }
    public DrLab Lab => InTheLab.Lab;
    public RunningService Service => InTheLab.Service;
    public required KeystoneSession TenantA { get; init; }
    public required KeystoneSession AdminB { get; init; }
    public required string Protection { get; init; }
    public required string Plan { get; init; }
    public required Dictionary<string, string> Servers { get; init; }
    public required Dictionary<string, string> Volumes { get; init; }

    /// <summary>The product's probe agent the sites' <c>probe_url</c> points at.</summary>
    public LabProbeAgent? ProbeAgent => InTheLab.ProbeAgent;

    private static CancellationToken Ct => CancellationToken.None;

    /// <param name="database">The service's database (the HA tests' primary); a fresh one when null.</param>
    /// <param name="extra">More service settings.</param>
    /// <param name="configure">More service registrations (a log capture).</param>
    /// <param name="mode">The plan's replication mode: async, sync or continuous.</param>
    /// <param name="continuousLag">How far the lab's ActiveDR targets trail their source.</param>
    public static async Task<TenantInTheLab> StartAsync(Draas.Simulators.OpenStack.SimDelays? delays = null, TestDatabase? database = null, IDictionary<string, string?>? extra = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null, string mode = "async", TimeSpan? continuousLag = null)
    {
        var inTheLab = await ServiceInTheLab.StartAsync(new DrLabOptions { Acceleration = Acceleration, Delays = delays ?? new(), ContinuousLag = continuousLag },
            database: database, extra: extra, configure: configure);
        var (lab, service) = (inTheLab.Lab, inTheLab.Service);
        var projectA = lab.SiteA.OpenStack.ProjectId("demo");
        service.Keystone.AddToken(Member, "lab-demo", "demo", projectA, ["member", "reader"]);
        var protection = await inTheLab.CreateAsync("/v1/protections", new
        {
            protection = new
            {
                name = "shop",
                primary_site_id = inTheLab.SiteA,
                primary_project_id = projectA,
                recovery_site_id = inTheLab.SiteB,
                recovery_project_id = lab.SiteB.OpenStack.ProjectId("demo"),
                rpo_target_seconds = 900,
                network_mapping = new Dictionary<string, string> { ["private"] = "private" },
                contacts = new[] { "oncall@shop.example" },
            },
        });

        var tenant = Session(lab.SiteA, lab.SiteA.Demo, lab);
        // The health-checked ports (web's http, db's postgres) open to the monitoring network; the rebuild carries
        // the rules into the recovery project's default group, so the recovered servers answer the probe too.
        await LabProbeAgent.AllowInDefaultGroupAsync(tenant, 80, 5432);
        using var adminA = Session(lab.SiteA, lab.SiteA.Admin, lab);
        var flavor = await adminA.Compute.Flavors.CreateAsync(new CreateFlavorOptions { Name = "web.pinned", Vcpus = 2, Ram = 2048, Disk = 10 }, Ct);
        await adminA.Compute.Flavors.SetExtraSpecsAsync(flavor.Id, new Dictionary<string, string> { ["hw:cpu_policy"] = "dedicated" }, Ct);
        await tenant.Compute.Keypairs.ImportAsync(new ImportKeypairOptions { Name = "ops", PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOps ops@shop" }, Ct);
        var privateNet = (await tenant.Networking.ListNetworksAsync(new Draas.OpenStack.Networking.NetworkListOptions { Name = "private" }, Ct).FirstAsync(Ct)).Id;
        var cirros = (await tenant.Image.ListAsync(null, Ct).FirstAsync(i => i.Name!.Contains("cirros"), Ct)).Id;

        var volumes = new Dictionary<string, string>();
        async Task<string> Volume(string name, int size, bool bootable = false)
        {
            var id = (await tenant.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = size, Name = name }, Ct)).Id;
            await tenant.BlockStorage.Volumes.WaitForStatusAsync(id, "available", null, Ct);
            if (bootable) await tenant.BlockStorage.Volumes.SetBootableAsync(id, true, Ct);
            return volumes[name] = id;
        }
        var servers = new Dictionary<string, string>();
        async Task Server(string name, string flavorRef, string? bootVolume, string? image, string? data, string? key)
        {
            var id = (await tenant.Compute.Servers.CreateAsync(new CreateServerOptions
            {
                Name = name,
                FlavorRef = flavorRef,
                ImageRef = image,
                KeyName = key,
                Networks = ServerNetworks.Of(new NetworkRef { Uuid = privateNet }),
                BlockDeviceMappingV2 = bootVolume is null ? null : [BlockDeviceMapping.BootVolume(bootVolume)],
                Metadata = new Dictionary<string, string> { ["role"] = name },
            }, Ct)).Id;
            await tenant.Compute.Servers.WaitForStatusAsync(id, "ACTIVE", null, Ct);
            if (data is not null)
            {
                await tenant.Compute.VolumeAttachments.AttachAsync(id, new AttachVolumeOptions { VolumeId = data }, Ct);
                await tenant.BlockStorage.Volumes.WaitForStatusAsync(data, "in-use", null, Ct);
            }
            servers[name] = id;
        }
        await Server("web", flavor.Id, await Volume("web-root", 10, bootable: true), null, await Volume("web-data", 20), "ops");
        await Server("app", "2", null, cirros, await Volume("app-data", 5), "ops");
        await Server("db", "2", await Volume("db-root", 10, bootable: true), null, null, null);
        await Volume("shared-extra", 3);

        var plan = await inTheLab.CreateAsync("/v1/plans", new
        {
            plan = new
            {
                protection_id = protection,
                name = "shop-all",
                replication = new { mode, interval_seconds = 60, retention = 60 },
                resources = new object[]
                {
                    new { kind = "server", id = servers["web"] },
                    new { kind = "server", id = servers["app"] },
                    new { kind = "server", id = servers["db"], priority_group = 2 },
                    new { kind = "volume", id = volumes["shared-extra"] },
                },
                health_checks = new object[]
                {
                    new { server = "web", type = "http", port = 80, path = "/" },
                    new { server = "db", type = "tcp", port = 5432 },
                },
            },
        });
        var lab1 = new TenantInTheLab
        {
            InTheLab = inTheLab,
            TenantA = tenant,
            AdminB = Session(lab.SiteB, lab.SiteB.Admin, lab),
            Protection = protection,
            Plan = plan,
            Servers = servers,
            Volumes = volumes,
        };
        await lab1.ProtectAsync();
        return lab1;
    }

    /// <summary>Runs a protection cycle and waits until a recovery point holding the current writes reached the plan's replica.</summary>
    /// <param name="planId">Another plan of the tenant; the fixture's own when null.</param>
    public async Task ProtectAsync(string? planId = null)
    {
        var id = planId ?? Plan;
        var (status, body, _) = await Service.SendAsync(HttpMethod.Post, $"/v1/plans/{id}/action", Admin, new { capture = new { } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        var since = Lab.Clock.GetUtcNow();
        await Eventually.WaitForAsync(async () =>
        {
            var plan = (await Service.SendAsync(HttpMethod.Get, $"/v1/plans/{id}", Admin)).Body!["plan"]!;
            return plan["status"]!.GetValue<string>() is "protected" or "at_risk" or "violated" ? "yes" : null;
        }, "the plan to be protected", TimeSpan.FromSeconds(60));
        // Replication ships every 60 lab-seconds; wait for a point newer than now.
        await Eventually.WaitForAsync(async () =>
        {
            var monitor = Service.Services.GetService(typeof(Hangfire.IBackgroundJobClient)) as Hangfire.IBackgroundJobClient;
            monitor!.Enqueue<Draas.Workflows.Protection.ReplicationMonitorJob>(j => j.RunAsync(CancellationToken.None));
            await Task.Delay(500);
            var latest = (await Service.SendAsync(HttpMethod.Get, $"/v1/plans/{id}/status", Admin)).Body!["status"]!["latest_recovery_point_at"];
            return latest is not null && latest.GetValue<DateTimeOffset>() > since ? "yes" : null;
        }, "a recovery point at array-b", TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts a run and waits until it ends; returns the final run view.</summary>
    /// <param name="planId">Another plan of the tenant; the fixture's own when null.</param>
    public async Task<JsonNode> RunAsync(string kind, object? options = null, string token = Admin, int timeoutSeconds = 120, string? planId = null) =>
        await WaitForRunAsync(await StartRunAsync(kind, options, token, planId), kind, timeoutSeconds);

    /// <summary>Starts a run (202 asserted); returns its id.</summary>
    public async Task<string> StartRunAsync(string kind, object? options = null, string token = Admin, string? planId = null)
    {
        var (status, body, _) = await Service.SendAsync(HttpMethod.Post, "/v1/runs", token, new { run = new { plan_id = planId ?? Plan, kind, options = options ?? new { } } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        return body!["run"]!["id"]!.GetValue<string>();
    }

    /// <summary>Waits until a started run ends; returns the final run view.</summary>
    public Task<JsonNode> WaitForRunAsync(string id, string kind, int timeoutSeconds = 120) =>
        WaitForAsync(id, $"the {kind} run to end", timeoutSeconds, "succeeded", "failed", "cancelled");

    /// <summary>Waits (up to 240 s) until the run is in one of <paramref name="states"/>; returns its view.</summary>
    public Task<JsonNode> WaitForStateAsync(string id, params string[] states) =>
        WaitForAsync(id, $"run {id} to be {string.Join(" or ", states)}", 240, states);

    private async Task<JsonNode> WaitForAsync(string id, string what, int timeoutSeconds, params string[] states)
    {
        try
        {
            return await Eventually.WaitForAsync(async () =>
            {
                var run = await RunViewAsync(id);
                return states.Contains(run["state"]!.GetValue<string>()) ? run : null;
            }, what, TimeSpan.FromSeconds(timeoutSeconds));
        }
        catch (AssertionException)
        {
            throw new AssertionException($"waited {timeoutSeconds} s for {what}:\n{Describe(await RunViewAsync(id))}\nfailed jobs:\n{await FailedJobsAsync()}");
        }
    }

    /// <summary>The run as <c>GET /v1/runs/{id}</c> shows it to the admin.</summary>
    public async Task<JsonNode> RunViewAsync(string id) => (await Service.SendAsync(HttpMethod.Get, $"/v1/runs/{id}", Admin)).Body!["run"]!;

    /// <summary>Posts <c>{"ACTION": {}}</c> (cancel, resume, approve, commit, rollback) to the run.</summary>
    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> RunActionAsync(string id, string action, string token = Admin) =>
        Service.SendAsync(HttpMethod.Post, $"/v1/runs/{id}/action", token, new Dictionary<string, object> { [action] = new { } });

    /// <summary>Why Hangfire jobs failed, to explain a run that did not move.</summary>
    public async Task<string> FailedJobsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Service.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select left(data::text, 2000) from hangfire.state where name = 'Failed' order by id desc limit 3", connection);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join("\n", lines);
    }

    public async Task<JsonObject> ReportAsync(string runId) =>
        (await Service.SendAsync(HttpMethod.Get, $"/v1/runs/{runId}/report", Admin)).Body!["report"]!.AsObject();

    /// <summary>A run's steps and error, for an assertion's message (a run from a list has no steps: its error alone).</summary>
    public static string Describe(JsonNode run) => string.Join("\n", (run["steps"] as JsonArray ?? []).Select(s =>
        $"{s!["sequence"]} {s["kind"]} {s["target"]} {s["state"]} x{s["attempts"]} {s["error"]}")) + $"\nerror: {run["error"]}";

    public static KeystoneSession Session(LabSite site, Draas.Simulators.OpenStack.SiteCredentials c, DrLab lab) => ServiceInTheLab.Session(c, lab);

    public async ValueTask DisposeAsync()
    {
        TenantA.Dispose();
        AdminB.Dispose();
        await InTheLab.DisposeAsync();
    }
}
