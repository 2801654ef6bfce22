using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.Simulators.Lab;
using Draas.Tests.Reliability;
using Draas.Tests.Support;
using Draas.Workflows.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Runs;

/// <summary>
/// Drills on a shared, busy recovery site: five tenants' drill schedules come due in the same minute, the
/// scheduler starts all five drills at once, and while they run other tenants of site-b create and delete
/// volumes and servers in projects of their own (the lab's churn). Every drill succeeds with a clean
/// cleanup proof, and afterwards nothing of any drill is left at site-b or on either array, audited from
/// the simulators' Keystone, Cinder, Nova and FlashArrays, not from the service.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SharedRecoverySiteTests
{
    private static CancellationToken Ct => CancellationToken.None;

    private TenantInTheLab _t = null!;
    private ReliabilityFigures _figures = null!;
    private readonly List<(string Name, string Protection, string Plan)> _tenants = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _t = await TenantInTheLab.StartAsync(extra: new Dictionary<string, string?> { ["jobs:workers"] = "10" });
        _figures = new ReliabilityFigures("shared recovery site");
        _tenants.Add(("shop", _t.Protection, _t.Plan));
        for (var i = 1; i <= 4; i++) _tenants.Add(await SmallTenantAsync($"tenant-{i}"));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _figures.Print();
        await _t.DisposeAsync();
    }

    private KeystoneSession AdminIn(LabSite site, string project) => new(new KeystoneSessionOptions
    {
        AuthUrl = site.Admin.AuthUrl,
        Region = site.Admin.Region,
        Username = site.Admin.Username,
        Password = site.Admin.Password,
        UserDomainName = "Default",
        ProjectName = project,
        ProjectDomainName = "Default",
    }, _t.Lab.Clock);

    private async Task<string> PostAsync(string path, object body)
    {
        var (status, json, _) = await _t.Service.SendAsync(HttpMethod.Post, path, TenantInTheLab.Admin, body);
        Assert.That(status, Is.EqualTo(201), $"POST {path}: {json?.ToJsonString()}");
        return json!.AsObject().Single().Value!["id"]!.GetValue<string>();
    }

    /// <summary>A tenant of one server booting from a volume with a data volume, in a project of its own at
    /// site-a, mapped to a project of its own at site-b; protected, with a recovery point at array-b.</summary>
    private async Task<(string, string, string)> SmallTenantAsync(string name)
    {
        async Task<string> Project(LabSite site, string projectName)
        {
            using var admin = TenantInTheLab.Session(site, site.Admin, _t.Lab);
            var project = await admin.Identity.CreateProjectAsync(new CreateProjectOptions { Name = projectName, DomainId = "default" }, Ct);
            var user = await admin.Identity.ListUsersAsync("admin", null, Ct).FirstAsync(Ct);
            var role = await admin.Identity.ListRolesAsync("admin", Ct).FirstAsync(Ct);
            await admin.Identity.GrantProjectRoleAsync(project.Id, user.Id, role.Id, Ct);
            return project.Id;
        }
        var projectA = await Project(_t.Lab.SiteA, name);
        var projectB = await Project(_t.Lab.SiteB, $"{name}-dr");
        using var tenant = AdminIn(_t.Lab.SiteA, name);
        async Task<string> Volume(string volumeName, int size)
        {
            var id = (await tenant.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = size, Name = volumeName }, Ct)).Id;
            await tenant.BlockStorage.Volumes.WaitForStatusAsync(id, "available", null, Ct);
            return id;
        }
        var root = await Volume($"{name}-root", 2);
        await tenant.BlockStorage.Volumes.SetBootableAsync(root, true, Ct);
        var data = await Volume($"{name}-data", 1);
        var net = (await tenant.Networking.ListNetworksAsync(new Draas.OpenStack.Networking.NetworkListOptions { Name = "private" }, Ct).FirstAsync(Ct)).Id;
        var server = (await tenant.Compute.Servers.CreateAsync(new CreateServerOptions
        {
            Name = $"{name}-app",
            FlavorRef = "1",
            Networks = ServerNetworks.Of(new NetworkRef { Uuid = net }),
            BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(root)],
        }, Ct)).Id;
        await tenant.Compute.Servers.WaitForStatusAsync(server, "ACTIVE", null, Ct);
        await tenant.Compute.VolumeAttachments.AttachAsync(server, new AttachVolumeOptions { VolumeId = data }, Ct);
        await tenant.BlockStorage.Volumes.WaitForStatusAsync(data, "in-use", null, Ct);

        var sites = (await _t.Service.SendAsync(HttpMethod.Get, "/v1/sites", TenantInTheLab.Admin)).Body!["sites"]!.AsArray();
        string Site(string siteName) => sites.Single(s => s!["name"]!.GetValue<string>() == siteName)!["id"]!.GetValue<string>();
        var protection = await PostAsync("/v1/protections", new
        {
            protection = new
            {
                name,
                primary_site_id = Site("site-a"),
                primary_project_id = projectA,
                recovery_site_id = Site("site-b"),
                recovery_project_id = projectB,
                rpo_target_seconds = 900,
                network_mapping = new Dictionary<string, string> { ["private"] = "private" },
                contacts = new[] { $"oncall@{name}.example" },
            },
        });
        var plan = await PostAsync("/v1/plans", new
        {
            plan = new
            {
                protection_id = protection,
                name = $"{name}-all",
                replication = new { mode = "async", interval_seconds = 60, retention = 12 },
                resources = new object[] { new { kind = "server", id = server } },
            },
        });
        await _t.ProtectAsync(plan);
        return (name, protection, plan);
    }

    private async Task ScheduleAsync(string protection, string cron)
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/protections/{protection}", TenantInTheLab.Admin, new { protection = new { drill_schedule = cron } });
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
    }

    [Test]
    public async Task Five_tenants_drills_started_by_the_scheduler_in_the_same_minute_on_a_busy_recovery_site_all_succeed_and_leave_nothing_behind()
    {
        var churn = _t.Lab.StartChurn(_t.Lab.SiteB, new ChurnOptions { Projects = 3, Workers = 3, Seed = 1414 });
        List<JsonNode> runs;
        string churnFigures;
        try
        {
            // Let the other tenants get busy first, then every schedule comes due in the same minute.
            await Eventually.WaitForAsync(() => Task.FromResult(churn.VolumesCreated + churn.ServersCreated >= 4 ? "busy" : null), "the other tenants to get busy");
            foreach (var tenant in _tenants) await ScheduleAsync(tenant.Protection, "* * * * *");
            try
            {
                await using var scope = _t.Service.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ScheduledDrillsJob>().RunAsync(Ct);
            }
            finally
            {
                foreach (var tenant in _tenants) await ScheduleAsync(tenant.Protection, "0 0 1 1 *");
            }

            var ids = new List<string>();
            foreach (var tenant in _tenants)
            {
                var list = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs?plan_id={tenant.Plan}&kind=drill", TenantInTheLab.Admin)).Body!["runs"]!.AsArray();
                var scheduled = list.Where(r => r!["requested_by"]?.GetValue<string>() == ScheduledDrillsJob.Requester).ToList();
                Assert.That(scheduled, Has.Count.EqualTo(1), $"one scheduled drill of {tenant.Name}");
                ids.Add(scheduled[0]!["id"]!.GetValue<string>());
            }
            runs = [];
            foreach (var id in ids)
            {
                runs.Add(await Eventually.WaitForAsync(async () =>
                {
                    var run = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs/{id}", TenantInTheLab.Admin)).Body!["run"]!;
                    return run["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" ? run : null;
                }, $"drill {id} to end", TimeSpan.FromSeconds(400)));
            }
        }
        finally
        {
            await churn.DisposeAsync();
            churnFigures = churn.ToString();
        }
        _figures.Runs += runs.Count;
        _figures.Other["churn operations"] = churn.VolumesCreated + churn.VolumesDeleted + churn.ServersCreated + churn.ServersDeleted;

        foreach (var run in runs)
            Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        foreach (var run in runs)
        {
            var cleanup = (await _t.ReportAsync(run["id"]!.GetValue<string>()))["cleanup"]!;
            Assert.That(cleanup["clean"]!.GetValue<bool>(), Is.True, cleanup.ToJsonString());
            Assert.That(cleanup["differences"]!.AsArray(), Is.Empty);
        }
        DateTimeOffset At(JsonNode run, string field) => run[field]!.GetValue<DateTimeOffset>();
        Assert.That(runs.Max(r => At(r, "started_at")), Is.LessThan(runs.Min(r => At(r, "finished_at"))), "the five drills ran at the same time");
        Assert.That(churn.VolumesDeleted + churn.ServersDeleted, Is.GreaterThan(0), $"the other tenants deleted things meanwhile: {churnFigures}");

        var findings = await LeftoversAsync([.. runs.Select(r => r["id"]!.GetValue<string>())]);
        _figures.Leftovers += findings.Count;
        Assert.That(findings, Is.Empty, "nothing of any drill is left at site-b or on the arrays");
        TestContext.Out.WriteLine($"shared recovery site: {runs.Count} scheduled drills at once, longest {runs.Max(r => (At(r, "finished_at") - At(r, "started_at")).TotalSeconds):0.0} s (lab clock); {churnFigures}; leftovers {findings.Count}");
    }

    /// <summary>Anything of the given drills still at site-b (Keystone, Nova, Cinder, all projects) or on the arrays.</summary>
    private async Task<List<string>> LeftoversAsync(IReadOnlyList<string> runIds)
    {
        var findings = new List<string>();
        var admin = _t.AdminB;
        findings.AddRange(await admin.Identity.ListProjectsAsync(null, Ct).Where(p => p.Name.StartsWith(RunNames.DrillProjectPrefix, StringComparison.Ordinal))
            .Select(p => $"project {p.Id} {p.Name}").ToListAsync(Ct));
        findings.AddRange(await admin.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true }, Ct)
            .Where(s => s.Metadata.TryGetValue(RunNames.RunKey, out var run) && runIds.Contains(run)).Select(s => $"server {s.Id} {s.Name}").ToListAsync(Ct));
        findings.AddRange(await admin.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, Ct)
            .Where(v => v.Metadata.TryGetValue(RunNames.RunKey, out var run) && runIds.Contains(run)).Select(v => $"volume {v.Id} {v.Name}").ToListAsync(Ct));
        findings.AddRange(await admin.Compute.Flavors.ListAsync(true, Ct).Where(f => f.Name.StartsWith(RunNames.DrillProjectPrefix, StringComparison.Ordinal))
            .Select(f => $"flavor {f.Id} {f.Name}").ToListAsync(Ct));
        findings.AddRange(await admin.Compute.Keypairs.ListAsync(null, Ct).Where(k => k.Name.StartsWith(RunNames.DrillProjectPrefix, StringComparison.Ordinal))
            .Select(k => $"keypair {k.Name}").ToListAsync(Ct));
        findings.AddRange(await RecoveryAudit.OrphanCopiesAsync(_t));
        return findings;
    }
}
