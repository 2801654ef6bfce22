using System.Text;
using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Keypairs;
using Draas.OpenStack.Compute.ServerGroups;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.OpenStack.Networking;
using Draas.Simulators.Lab;
using Draas.Tests.Runs;
using Draas.Tests.Support;

namespace Draas.Tests.Tenant;

/// <summary>
/// Issue 15's tenant in the DR lab, built by its own user through the clouds' APIs: four servers on two
/// networks (<c>front</c> 192.168.10.0/24, <c>back</c> 192.168.20.0/24) behind router <c>edge</c> with its
/// gateway on <c>public</c>; security groups <c>web</c> (http from anywhere), <c>app</c> (8080 from members of
/// <c>web</c>) and <c>db</c> (5432 from members of <c>app</c>); web-1 and web-2 image-booted in an
/// anti-affinity server group, each with a data volume (/dev/vdb); app on both networks with pre-made
/// ports, an allowed address pair (a VIP) and user data; db booting from a volume with a data volume and a
/// fixed address; the tenant's keypair <c>ops</c> on every server; a floating IP on web-1. Protected with
/// <c>front</c> and <c>back</c> mapped as <c>create</c> and <c>public</c> onto site B's <c>public</c>; the plan's
/// <c>recovery_options</c> ask every recovery for the floating IPs and name the zone mapping.
/// </summary>
public sealed class RoutedTenant : IAsyncDisposable
{
    public const string Admin = TenantInTheLab.Admin;
    public const string UserData = "#cloud-config\nruncmd:\n - [systemctl, start, shop-app]\n";

    /// <summary>The lab, the service and the two sites and arrays registered with it.</summary>
    public required ServiceInTheLab InTheLab { get; init; }
    public DrLab Lab => InTheLab.Lab;
    public RunningService Service => InTheLab.Service;
    public required KeystoneSession TenantA { get; init; }
    public required KeystoneSession AdminA { get; init; }
    public required KeystoneSession AdminB { get; init; }
    public required string Plan { get; init; }
    public LabProbeAgent ProbeAgent => InTheLab.ProbeAgent!;
    public string ProbeUrl => ProbeAgent.Url;
    public const string ProbeSecret = LabProbeAgent.Secret;
    public required Dictionary<string, string> Servers { get; init; }

    private static CancellationToken Ct => CancellationToken.None;

    public static async Task<RoutedTenant> StartAsync()
    {
        // The product's own probe agent, as an operator runs it inside the sites' network; the lab's guests
        // answer on their loopback addresses where their security groups let 127.0.0.1 in.
        var inTheLab = await ServiceInTheLab.StartAsync(new DrLabOptions { Acceleration = TenantInTheLab.Acceleration });
        var (lab, service) = (inTheLab.Lab, inTheLab.Service);
        var projectA = lab.SiteA.OpenStack.ProjectId("demo");
        Task<string> Post(string path, object body) => inTheLab.CreateAsync(path, body);
        var protection = await Post("/v1/protections", new
        {
            protection = new
            {
                name = "routed-shop",
                primary_site_id = inTheLab.SiteA,
                primary_project_id = projectA,
                recovery_site_id = inTheLab.SiteB,
                recovery_project_id = lab.SiteB.OpenStack.ProjectId("demo"),
                rpo_target_seconds = 900,
                network_mapping = new Dictionary<string, string> { ["front"] = "create", ["back"] = "create", ["public"] = "public" },
                contacts = new[] { "oncall@shop.example" },
            },
        });

        var tenant = TenantInTheLab.Session(lab.SiteA, lab.SiteA.Demo, lab);
        var n = tenant.Networking;
        var front = await n.CreateNetworkAsync(new CreateNetworkOptions { Name = "front" }, Ct);
        var frontSub = await n.CreateSubnetAsync(new CreateSubnetOptions
        {
            NetworkId = front.Id,
            Name = "front-sub",
            Cidr = "192.168.10.0/24",
            DnsNameservers = ["192.0.2.53"],
            AllocationPools = [new AllocationPool { Start = "192.168.10.20", End = "192.168.10.199" }],
        }, Ct);
        var back = await n.CreateNetworkAsync(new CreateNetworkOptions { Name = "back" }, Ct);
        var backSub = await n.CreateSubnetAsync(new CreateSubnetOptions
        {
            NetworkId = back.Id,
            Name = "back-sub",
            Cidr = "192.168.20.0/24",
            HostRoutes = [new HostRoute { Destination = "198.51.100.0/24", Nexthop = "192.168.20.254" }],
        }, Ct);
        var publicNet = await n.ListNetworksAsync(new NetworkListOptions { Name = "public" }, Ct).FirstAsync(Ct);
        var edge = await n.CreateRouterAsync(new CreateRouterOptions { Name = "edge", ExternalGatewayInfo = new ExternalGateway { NetworkId = publicNet.Id } }, Ct);
        await n.AddRouterInterfaceAsync(edge.Id, frontSub.Id, Ct);
        await n.AddRouterInterfaceAsync(edge.Id, backSub.Id, Ct);

        var web = await n.CreateSecurityGroupAsync(new CreateSecurityGroupOptions { Name = "web", Description = "http from anywhere" }, Ct);
        var app = await n.CreateSecurityGroupAsync(new CreateSecurityGroupOptions { Name = "app", Description = "the app tier" }, Ct);
        var db = await n.CreateSecurityGroupAsync(new CreateSecurityGroupOptions { Name = "db", Description = "the database" }, Ct);
        await n.CreateSecurityGroupRuleAsync(new CreateSecurityGroupRuleOptions { SecurityGroupId = web.Id, Direction = "ingress", Protocol = "tcp", PortRangeMin = 80, PortRangeMax = 80, RemoteIpPrefix = "0.0.0.0/0" }, Ct);
        await n.CreateSecurityGroupRuleAsync(new CreateSecurityGroupRuleOptions { SecurityGroupId = app.Id, Direction = "ingress", Protocol = "tcp", PortRangeMin = 8080, PortRangeMax = 8080, RemoteGroupId = web.Id }, Ct);
        await n.CreateSecurityGroupRuleAsync(new CreateSecurityGroupRuleOptions { SecurityGroupId = db.Id, Direction = "ingress", Protocol = "tcp", PortRangeMin = 5432, PortRangeMax = 5432, RemoteGroupId = app.Id }, Ct);
        await n.CreateSecurityGroupRuleAsync(new CreateSecurityGroupRuleOptions { SecurityGroupId = db.Id, Direction = "ingress", Protocol = "icmp", RemoteIpPrefix = "192.168.20.0/24" }, Ct);
        // The monitoring network (the lab's probe agent connects from 127.0.0.1) may check the database port.
        await n.CreateSecurityGroupRuleAsync(new CreateSecurityGroupRuleOptions { SecurityGroupId = db.Id, Direction = "ingress", Protocol = "tcp", PortRangeMin = 5432, PortRangeMax = 5432, RemoteIpPrefix = "127.0.0.0/8" }, Ct);

        await tenant.Compute.Keypairs.ImportAsync(new ImportKeypairOptions { Name = "ops", PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGGcwpOs1HvLNIjnl5EsuqD0M35lWExm4O/liyj9FleK ops@shop" }, Ct);
        var group = await tenant.Compute.ServerGroups.CreateAsync(new CreateServerGroupOptions { Name = "web-spread", Policy = "anti-affinity" }, Ct);
        var cirros = (await tenant.Image.ListAsync(null, Ct).FirstAsync(i => i.Name!.Contains("cirros"), Ct)).Id;

        async Task<string> Volume(string name, int size, bool bootable = false)
        {
            var id = (await tenant.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = size, Name = name }, Ct)).Id;
            await tenant.BlockStorage.Volumes.WaitForStatusAsync(id, "available", null, Ct);
            if (bootable) await tenant.BlockStorage.Volumes.SetBootableAsync(id, true, Ct);
            return id;
        }
        var servers = new Dictionary<string, string>();
        async Task Server(string name, CreateServerOptions options, string? data)
        {
            var id = (await tenant.Compute.Servers.CreateAsync(options, Ct)).Id;
            await tenant.Compute.Servers.WaitForStatusAsync(id, "ACTIVE", null, Ct);
            if (data is not null)
            {
                await tenant.Compute.VolumeAttachments.AttachAsync(id, new AttachVolumeOptions { VolumeId = data }, Ct);
                await tenant.BlockStorage.Volumes.WaitForStatusAsync(data, "in-use", null, Ct);
            }
            servers[name] = id;
        }
        foreach (var name in new[] { "web-1", "web-2" })
        {
            await Server(name, new CreateServerOptions
            {
                Name = name,
                FlavorRef = "2",
                ImageRef = cirros,
                KeyName = "ops",
                ServerGroupId = group.Id,
                Tags = ["tier-web"],
                Networks = ServerNetworks.Of(new NetworkRef { Uuid = front.Id }),
                SecurityGroups = [new SecurityGroupRef { Name = "web" }],
                Metadata = new Dictionary<string, string> { ["role"] = "web" },
            }, await Volume($"{name}-data", 2));
        }
        var appFront = await n.CreatePortAsync(new CreatePortOptions
        {
            NetworkId = front.Id,
            Name = "app-front",
            FixedIps = [new FixedIp { SubnetId = frontSub.Id, IpAddress = "192.168.10.30" }],
            SecurityGroups = [app.Id],
            AllowedAddressPairs = [new AddressPair { IpAddress = "192.168.10.100" }],
        }, Ct);
        var appBack = await n.CreatePortAsync(new CreatePortOptions
        {
            NetworkId = back.Id,
            Name = "app-back",
            FixedIps = [new FixedIp { SubnetId = backSub.Id, IpAddress = "192.168.20.30" }],
            SecurityGroups = [app.Id],
        }, Ct);
        await Server("app", new CreateServerOptions
        {
            Name = "app",
            FlavorRef = "2",
            KeyName = "ops",
            ConfigDrive = true,
            UserData = Convert.ToBase64String(Encoding.UTF8.GetBytes(UserData)),
            Networks = ServerNetworks.Of(new NetworkRef { Port = appFront.Id }, new NetworkRef { Port = appBack.Id }),
            BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(await Volume("app-root", 5, bootable: true))],
        }, null);
        await Server("db", new CreateServerOptions
        {
            Name = "db",
            FlavorRef = "2",
            KeyName = "ops",
            Networks = ServerNetworks.Of(new NetworkRef { Uuid = back.Id, FixedIp = "192.168.20.40" }),
            SecurityGroups = [new SecurityGroupRef { Name = "db" }],
            BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(await Volume("db-root", 5, bootable: true))],
        }, await Volume("db-data", 3));
        var web1Port = await n.ListPortsAsync(new NeutronFilter { DeviceId = servers["web-1"] }, Ct).SingleAsync(Ct);
        await n.CreateFloatingIpAsync(new CreateFloatingIpOptions { FloatingNetworkId = publicNet.Id, PortId = web1Port.Id }, Ct);

        var plan = await Post("/v1/plans", new
        {
            plan = new
            {
                protection_id = protection,
                name = "routed-shop",
                replication = new { mode = "async", interval_seconds = 60, retention = 12 },
                resources = new object[]
                {
                    new { kind = "server", id = servers["db"] },
                    new { kind = "server", id = servers["app"], priority_group = 2 },
                    new { kind = "server", id = servers["web-1"], priority_group = 3 },
                    new { kind = "server", id = servers["web-2"], priority_group = 3 },
                },
                health_checks = new object[]
                {
                    new { server = "web-1", type = "http", port = 80, path = "/" },
                    new { server = "web-2", type = "http", port = 80, path = "/" },
                    new { server = "db", type = "tcp", port = 5432 },
                },
                // Every recovery of the plan gives web-1 its floating IP again (never in a drill's bubble); zone
                // "nova" is "nova" at site B too, said so explicitly.
                recovery_options = new { floating_ips = true, az_mapping = new Dictionary<string, string> { ["nova"] = "nova" } },
            },
        });
        var t = new RoutedTenant
        {
            InTheLab = inTheLab,
            TenantA = tenant,
            Plan = plan,
            Servers = servers,
            AdminA = TenantInTheLab.Session(lab.SiteA, lab.SiteA.Admin, lab),
            AdminB = TenantInTheLab.Session(lab.SiteB, lab.SiteB.Admin, lab),
        };
        await t.Inner.ProtectAsync();
        return t;
    }

    /// <summary>The run helpers of the three-server tenant, pointed at this plan.</summary>
    public TenantInTheLab Inner => _inner ??= new TenantInTheLab
    {
        InTheLab = InTheLab,
        TenantA = TenantA,
        AdminB = AdminB,
        Protection = "",
        Plan = Plan,
        Servers = Servers,
        Volumes = [],
    };
    private TenantInTheLab? _inner;

    public async ValueTask DisposeAsync()
    {
        TenantA.Dispose();
        AdminA.Dispose();
        AdminB.Dispose();
        await InTheLab.DisposeAsync();
    }
}
