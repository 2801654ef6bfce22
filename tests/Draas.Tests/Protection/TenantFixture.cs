using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.Simulators.Lab;
using Draas.Simulators.OpenStack.Identity;
using Draas.Tests.Support;

namespace Draas.Tests.Protection;

/// <summary>
/// The DR lab's two sites registered with the service (and, unless told otherwise, their two arrays, array-a
/// replicating to array-b), tokens for an admin and for members and a reader of two tenants of site-a, and
/// real workloads in those tenants for plans to name: the service checks every plan member at the primary site.
/// </summary>
public sealed class TenantFixture : IAsyncDisposable
{
    public const string Admin = KeystoneStandIn.AdminToken;
    public const string MemberA = "gAAAAAmember-of-a";
    public const string ReaderA = "gAAAAAreader-of-a";
    public const string MemberB = "gAAAAAmember-of-b";

    private readonly Dictionary<string, Workload> _workloads = [];

    /// <summary>The lab, the service and the sites (and arrays) registered with it.</summary>
    public required ServiceInTheLab InTheLab { get; init; }
    public RunningService Service => InTheLab.Service;
    public DrLab Lab => InTheLab.Lab;
    public string SiteA => InTheLab.SiteA;
    public string SiteB => InTheLab.SiteB;

    /// <summary>Site-a's <c>demo</c> project, where <see cref="MemberA"/> and <see cref="ReaderA"/> work.</summary>
    public required string ProjectA { get; init; }

    /// <summary>Site-a's <c>tenant-b</c> project, where <see cref="MemberB"/> works.</summary>
    public required string ProjectB { get; init; }

    /// <summary>array-a (site-a) and array-b (site-b) once registered; null with <c>arrays: false</c>.</summary>
    public string? ArrayA => InTheLab.ArrayA;
    public string? ArrayB => InTheLab.ArrayB;

    public static async Task<TenantFixture> StartAsync(bool arrays = true)
    {
        // The lab's clock stands still; the service keeps the system's.
        var inTheLab = await ServiceInTheLab.StartAsync(onLabClock: false, probeAgent: false,
            register: arrays ? LabRegistered.SitesAndArrays : LabRegistered.Sites);
        var (lab, service) = (inTheLab.Lab, inTheLab.Service);
        var projectA = lab.SiteA.OpenStack.ProjectId("demo");
        var projectB = EnsureProject(lab.SiteA, "tenant-b");
        service.Keystone.AddToken(MemberA, "user-alice", "alice", projectA, ["member", "reader"]);
        service.Keystone.AddToken(ReaderA, "user-rita", "rita", projectA, ["reader"]);
        service.Keystone.AddToken(MemberB, "user-bob", "bob", projectB, ["member", "reader"]);
        return new TenantFixture { InTheLab = inTheLab, ProjectA = projectA, ProjectB = projectB };
    }

    public ValueTask DisposeAsync() => InTheLab.DisposeAsync();

    /// <summary>Registers a lab site's array (replicating to <paramref name="peer"/>, if given); returns its id.</summary>
    public Task<string> RegisterArrayAsync(LabSite site, string siteId, string? peer) =>
        InTheLab.CreateAsync("/v1/arrays", LabRegistration.Array(site, siteId, peer));

    /// <summary>A project of site-a (created if need be) in which the lab's admin user is a member.</summary>
    public static string EnsureProject(LabSite site, string name)
    {
        var identity = site.OpenStack.Identity;
        var project = identity.FindProject(name) ?? identity.CreateProject(name);
        identity.Grant(identity.FindUser("admin")!.Id, project.Id, IdentityStore.MemberRole);
        return project.Id;
    }

    /// <summary>A session in <paramref name="project"/> at site-a, as the lab's admin user (a member there).</summary>
    public KeystoneSession SessionIn(string project) => new(new KeystoneSessionOptions
    {
        AuthUrl = Lab.SiteA.AuthUrl,
        Region = Lab.SiteA.OpenStack.Region,
        Username = Lab.SiteA.Admin.Username,
        Password = Lab.SiteA.Admin.Password,
        UserDomainName = "Default",
        ProjectName = project,
        ProjectDomainName = "Default",
    }, Lab.Clock);

    /// <summary>
    /// A tenant's workload at site-a, made once per project: servers <c>web</c> and <c>db</c>, each booting
    /// from its own volume, and a loose volume <c>extra</c>.
    /// </summary>
    public async Task<Workload> WorkloadAsync(string project = "demo")
    {
        if (_workloads.TryGetValue(project, out var made)) return made;
        var projectId = EnsureProject(Lab.SiteA, project);
        using var session = SessionIn(project);
        var ct = CancellationToken.None;
        async Task<string> Volume(string name, bool bootable)
        {
            var id = (await session.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = name }, ct)).Id;
            await session.BlockStorage.Volumes.WaitForStatusAsync(id, "available", null, ct);
            if (bootable) await session.BlockStorage.Volumes.SetBootableAsync(id, true, ct);
            return id;
        }
        async Task<string> Server(string name)
        {
            var id = (await session.Compute.Servers.CreateAsync(new CreateServerOptions
            {
                Name = name,
                FlavorRef = "2",
                Networks = ServerNetworks.None,
                BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(await Volume($"{name}-boot", bootable: true))],
            }, ct)).Id;
            await session.Compute.Servers.WaitForStatusAsync(id, "ACTIVE", null, ct);
            return id;
        }
        var workload = new Workload(projectId, await Server("web"), await Server("db"), await Volume("extra", bootable: false));
        _workloads[project] = workload;
        return workload;
    }

    public async Task<JsonNode> CreateAsync(string path, string token, object body, int expected = 201)
    {
        var (status, json, _) = await Service.SendAsync(HttpMethod.Post, path, token, body);
        Assert.That(status, Is.EqualTo(expected), json?.ToJsonString());
        return json!;
    }

    public object Enrolment(string name, string project) => new
    {
        protection = new
        {
            name,
            primary_site_id = SiteA,
            primary_project_id = project,
            recovery_site_id = SiteB,
            rpo_target_seconds = 900,
            drill_schedule = "0 3 * * 6",
            network_mapping = new Dictionary<string, string> { ["net-private-a"] = "net-private-b" },
            contacts = new[] { "oncall@tenant.example" },
        },
    };

    /// <summary>A plan of the workload's two servers (db boots first) and its loose volume.</summary>
    public static object PlanBody(string protectionId, string name, Workload w) => new
    {
        plan = new
        {
            protection_id = protectionId,
            name,
            replication = new { mode = "async", interval_seconds = 300, retention = 12 },
            resources = new object[]
            {
                new { kind = "server", id = w.Web, priority_group = 2 },
                new { kind = "server", id = w.Db, priority_group = 1 },
                new { kind = "volume", id = w.Extra },
            },
            health_checks = new[] { new { server = w.Web, type = "http", port = 80, path = "/" } },
        },
    };
}

/// <summary>A tenant's servers and loose volume at site-a.</summary>
public sealed record Workload(string ProjectId, string Web, string Db, string Extra);
