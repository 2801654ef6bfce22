using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Keypairs;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;

namespace Draas.Benchmarks.Harness;

/// <summary>A protected tenant as the benchmarks need it: its protection and plan ids.</summary>
public sealed record BenchTenant(string Name, string Protection, string Plan);

/// <summary>
/// Builds tenants in the lab and enrols them with the service, through the clouds' and the service's own
/// APIs (the latency model is off while this runs): a tenant of servers booting from volumes with data
/// volumes in the lab's <c>demo</c> projects, or many volume-only tenants each in a fresh project pair.
/// </summary>
public static class LabTenants
{
    private static CancellationToken Ct => CancellationToken.None;
    private const string Protect = "draas:protect";

    /// <summary><paramref name="servers"/> servers, each booting from its own volume with one data volume,
    /// the last third in priority group 2, a TCP health check on each; in site-a's and site-b's demo projects.</summary>
    public static async Task<BenchTenant> ServersAsync(BenchLab bench, int servers)
    {
        var lab = bench.Lab;
        foreach (var site in lab.Sites)
        {
            using var admin = bench.Session(site);
            await RoomyAsync(admin, site.OpenStack.ProjectId("demo")).ConfigureAwait(false);
        }
        using var tenant = bench.Session(lab.SiteA, user: "demo", password: lab.SiteA.Demo.Password);
        await tenant.Compute.Keypairs.ImportAsync(new ImportKeypairOptions { Name = "ops", PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOps ops@bench" }, Ct).ConfigureAwait(false);
        var net = (await tenant.Networking.ListNetworksAsync(new Draas.OpenStack.Networking.NetworkListOptions { Name = "private" }, Ct)
            .FirstAsync(Ct).ConfigureAwait(false)).Id;
        return await ServersInAsync(bench, tenant, "servers", lab.SiteA.OpenStack.ProjectId("demo"), lab.SiteB.OpenStack.ProjectId("demo"),
            servers, servers * 2, "ops", ("private", net)).ConfigureAwait(false);
    }

    /// <summary><paramref name="count"/> tenants, each in a new project at site-a mapped to a new project at
    /// site-b with a network of its own (<c>tenant-net</c>, mapped by name) at both, of <paramref name="servers"/> servers booting from
    /// volumes and <paramref name="volumes"/> volumes in all (the rest attached as data volumes, round robin).</summary>
    public static async Task<List<BenchTenant>> ServerTenantsAsync(BenchLab bench, string prefix, int count, int servers, int volumes)
    {
        var lab = bench.Lab;
        using var adminA = bench.Session(lab.SiteA);
        using var adminB = bench.Session(lab.SiteB);
        var tenants = new List<BenchTenant>();
        for (var t = 0; t < count; t++)
        {
            var name = $"{prefix}{t:000}";
            var projectA = await ProjectAsync(adminA, name).ConfigureAwait(false);
            var projectB = await ProjectAsync(adminB, name).ConfigureAwait(false);
            using var tenantB = bench.Session(lab.SiteB, projectB);
            await PrivateNetworkAsync(tenantB, t).ConfigureAwait(false);
            using var tenant = bench.Session(lab.SiteA, projectA);
            var net = await PrivateNetworkAsync(tenant, t).ConfigureAwait(false);
            tenants.Add(await ServersInAsync(bench, tenant, name, projectA, projectB, servers, volumes, null, (TenantNetwork, net)).ConfigureAwait(false));
        }
        return tenants;
    }

    // The lab's shared "private" network is one /24: hundreds of servers (and their recovered twins, which keep
    // their fixed IPs) need networks of their own.
    private const string TenantNetwork = "tenant-net";

    private static async Task<string> PrivateNetworkAsync(KeystoneSession tenant, int index)
    {
        var net = await tenant.Networking.CreateNetworkAsync(new Draas.OpenStack.Networking.CreateNetworkOptions { Name = TenantNetwork }, Ct).ConfigureAwait(false);
        await tenant.Networking.CreateSubnetAsync(new Draas.OpenStack.Networking.CreateSubnetOptions
        {
            NetworkId = net.Id,
            Name = $"{TenantNetwork}-subnet",
            Cidr = $"10.{20 + index / 250}.{index % 250}.0/24",
        }, Ct).ConfigureAwait(false);
        return net.Id;
    }

    /// <summary>Servers booting from volumes in <paramref name="projectA"/> (the session's project), the last
    /// third in priority group 2, a TCP health check on each, and a plan of them.</summary>
    private static async Task<BenchTenant> ServersInAsync(BenchLab bench, KeystoneSession tenant, string name, string projectA, string projectB,
        int servers, int volumes, string? keyName, (string Name, string Id) network)
    {
        var net = network.Id;
        // The lab's guests answer only where their security groups allow the probe (from 127.0.0.0/8): open ssh.
        var defaultGroup = await tenant.Networking.ListSecurityGroupsAsync(new Draas.OpenStack.Networking.NeutronFilter { Name = "default", ProjectId = projectA }, Ct)
            .FirstAsync(Ct).ConfigureAwait(false);
        await tenant.Networking.CreateSecurityGroupRuleAsync(new Draas.OpenStack.Networking.CreateSecurityGroupRuleOptions
        {
            SecurityGroupId = defaultGroup.Id,
            Direction = "ingress",
            Protocol = "tcp",
            PortRangeMin = 22,
            PortRangeMax = 22,
            RemoteIpPrefix = "127.0.0.0/8",
        }, Ct).ConfigureAwait(false);
        var ids = new List<(string Id, int Priority)>();
        for (var i = 1; i <= servers; i++)
        {
            var server = $"vm{i:00}";
            var root = await VolumeAsync(tenant, $"{name}-{server}-root", 10, null).ConfigureAwait(false);
            await tenant.BlockStorage.Volumes.SetBootableAsync(root, true, Ct).ConfigureAwait(false);
            var id = (await tenant.Compute.Servers.CreateAsync(new CreateServerOptions
            {
                Name = server,
                FlavorRef = "2",
                KeyName = keyName,
                Networks = ServerNetworks.Of(new NetworkRef { Uuid = net }),
                BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(root)],
            }, Ct).ConfigureAwait(false)).Id;
            await tenant.Compute.Servers.WaitForStatusAsync(id, "ACTIVE", null, Ct).ConfigureAwait(false);
            ids.Add((id, i > servers * 2 / 3 ? 2 : 1));
        }
        // The other volumes are data volumes, dealt round robin.
        for (var d = 0; d < volumes - servers; d++)
        {
            var (id, _) = ids[d % servers];
            var data = await VolumeAsync(tenant, $"{name}-data{d:00}", 20, null).ConfigureAwait(false);
            await tenant.Compute.VolumeAttachments.AttachAsync(id, new AttachVolumeOptions { VolumeId = data }, Ct).ConfigureAwait(false);
            await tenant.BlockStorage.Volumes.WaitForStatusAsync(data, "in-use", null, Ct).ConfigureAwait(false);
        }
        var protection = await ProtectionAsync(bench, name, projectA, projectB, network.Name).ConfigureAwait(false);
        var plan = await bench.Api.CreateAsync("/v1/plans", new
        {
            plan = new
            {
                protection_id = protection,
                name = $"{name}-all",
                replication = new { mode = "async", interval_seconds = 60, retention = 60 },
                resources = ids.Select(s => new { kind = "server", id = s.Id, priority_group = s.Priority }).ToArray(),
                health_checks = ids.Select(s => new { server = s.Id, type = "tcp", port = 22 }).ToArray(),
            },
        }).ConfigureAwait(false);
        return new BenchTenant(name, protection, plan);
    }

    /// <summary><paramref name="count"/> tenants of <paramref name="volumes"/> volumes each (no servers), each in
    /// a new project at site-a mapped to a new project at site-b; or, with <paramref name="selector"/>, one
    /// plan that selects its volumes by metadata instead of listing them.</summary>
    public static async Task<List<BenchTenant>> VolumesAsync(BenchLab bench, string prefix, int count, int volumes, bool selector = false)
    {
        var lab = bench.Lab;
        using var adminA = bench.Session(lab.SiteA);
        using var adminB = bench.Session(lab.SiteB);
        var tenants = new List<BenchTenant>();
        for (var t = 0; t < count; t++)
        {
            var name = $"{prefix}{t:000}";
            var projectA = await ProjectAsync(adminA, name).ConfigureAwait(false);
            var projectB = await ProjectAsync(adminB, name).ConfigureAwait(false);
            using var tenant = bench.Session(lab.SiteA, projectA);
            var ids = new List<string>();
            // Loopback and no latency: a few requests at once make 10,000 volumes a matter of seconds.
            foreach (var chunk in Enumerable.Range(0, volumes).Chunk(8))
            {
                ids.AddRange(await Task.WhenAll(chunk.Select(v => VolumeAsync(tenant, $"{name}-v{v:00000}", 1,
                    new Dictionary<string, string> { [Protect] = "true" }))).ConfigureAwait(false));
            }
            var protection = await ProtectionAsync(bench, name, projectA, projectB).ConfigureAwait(false);
            var plan = await bench.Api.CreateAsync("/v1/plans", new
            {
                plan = new
                {
                    protection_id = protection,
                    name = $"{name}-plan",
                    replication = new { mode = "async", interval_seconds = 60, retention = 60 },
                    resources = selector ? null : ids.Select(id => new { kind = "volume", id }).ToArray(),
                    selector = selector ? new { volume_metadata = new Dictionary<string, string> { [Protect] = "true" } } : null,
                },
            }).ConfigureAwait(false);
            tenants.Add(new BenchTenant(name, protection, plan));
        }
        return tenants;
    }

    /// <summary>Protects every plan, then moves the lab's clock until each has a replicated recovery point on array-b.</summary>
    public static async Task ProtectAllAsync(BenchLab bench, IReadOnlyList<BenchTenant> tenants, TimeSpan timeout)
    {
        // Groups of earlier benchmarks on the same arrays are already there; wait for these tenants' on top.
        var before = await ReplicatedGroupsAsync(bench).ConfigureAwait(false);
        foreach (var chunk in tenants.Chunk(10))
            await Task.WhenAll(chunk.Select(t => bench.Api.ProtectAsync(t.Plan, timeout))).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // The groups' schedules fire every 60 lab-seconds; jump past one, let the arrays ship.
            bench.Lab.Advance(TimeSpan.FromSeconds(70));
            await Task.Delay(500).ConfigureAwait(false);
            var shipped = await ReplicatedGroupsAsync(bench).ConfigureAwait(false);
            if (shipped - before >= tenants.Count) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"only {shipped - before} of {tenants.Count} groups reached array-b within {timeout}");
        }
    }

    /// <summary>How many protection groups have a completed replicated snapshot on array-b (FlashArray REST).</summary>
    private static async Task<int> ReplicatedGroupsAsync(BenchLab bench)
    {
        var b = bench.Lab.SiteB;
        using var http = new HttpClient();
        var root = b.ArrayUrl.ToString().TrimEnd('/');
        using var login = new HttpRequestMessage(HttpMethod.Post, $"{root}/api/2.36/login");
        login.Headers.Add("api-token", b.ApiToken);
        using var session = await http.SendAsync(login).ConfigureAwait(false);
        var token = session.Headers.GetValues("x-auth-token").First();
        var groups = new HashSet<string>();
        string? next = null;
        do
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, $"{root}/api/2.36/protection-group-snapshots/transfer?limit=1000" + (next is null ? "" : $"&continuation_token={Uri.EscapeDataString(next)}"));
            get.Headers.Add("x-auth-token", token);
            using var response = await http.SendAsync(get).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            next = response.Headers.TryGetValues("x-next-token", out var n) ? n.FirstOrDefault() : null;
            var items = (await response.Content.ReadFromJsonAsync<JsonObject>().ConfigureAwait(false))!["items"]!.AsArray();
            foreach (var item in items.OfType<JsonObject>().Where(i => i["completed"] is JsonValue c && c.GetValue<long>() > 0))
            {
                var name = item["name"]!.GetValue<string>();
                groups.Add(name[..name.LastIndexOf('.')]);
            }
        } while (next is not null);
        return groups.Count;
    }

    private static async Task<string> ProtectionAsync(BenchLab bench, string name, string projectA, string projectB, string network = "private") =>
        await bench.Api.CreateAsync("/v1/protections", new
        {
            protection = new
            {
                name,
                primary_site_id = bench.SiteA,
                primary_project_id = projectA,
                recovery_site_id = bench.SiteB,
                recovery_project_id = projectB,
                rpo_target_seconds = 900,
                network_mapping = new Dictionary<string, string> { [network] = network },
                contacts = new[] { "oncall@bench.example" },
            },
        }).ConfigureAwait(false);

    /// <summary>A new project with the site's admin user as its admin (so the admin can work inside it).</summary>
    private static async Task<string> ProjectAsync(KeystoneSession admin, string name)
    {
        var project = await admin.Identity.CreateProjectAsync(new CreateProjectOptions { Name = name, DomainId = "default" }, Ct).ConfigureAwait(false);
        var user = await admin.Identity.ListUsersAsync("admin", null, Ct).FirstAsync(Ct).ConfigureAwait(false);
        var role = await admin.Identity.ListRolesAsync("admin", Ct).FirstAsync(Ct).ConfigureAwait(false);
        await admin.Identity.GrantProjectRoleAsync(project.Id, user.Id, role.Id, Ct).ConfigureAwait(false);
        await RoomyAsync(admin, project.Id).ConfigureAwait(false);
        return project.Id;
    }

    /// <summary>Quotas no benchmark reaches (the defaults allow 10 volumes and 10 servers a project).</summary>
    private static async Task RoomyAsync(KeystoneSession admin, string projectId)
    {
        await admin.BlockStorage.Admin.UpdateQuotasAsync(projectId, new Dictionary<string, int>
        {
            ["volumes"] = 1_000_000,
            ["gigabytes"] = 100_000_000,
            ["snapshots"] = 1_000_000,
        }, Ct).ConfigureAwait(false);
        await admin.Compute.Admin.UpdateQuotasAsync(projectId, new Dictionary<string, int>
        {
            ["instances"] = 10_000,
            ["cores"] = 100_000,
            ["ram"] = 100_000_000,
        }, Ct).ConfigureAwait(false);
    }

    private static async Task<string> VolumeAsync(KeystoneSession tenant, string name, int size, IReadOnlyDictionary<string, string>? metadata)
    {
        var id = (await tenant.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = size, Name = name, Metadata = metadata }, Ct).ConfigureAwait(false)).Id;
        await tenant.BlockStorage.Volumes.WaitForStatusAsync(id, "available", null, Ct).ConfigureAwait(false);
        return id;
    }
}
