using System.Net;
using System.Security.Cryptography;

namespace Draas.Simulators.OpenStack.Network;

/// <summary>Neutron's state of one site (accessed only under the site's lock): networks, subnets, ports,
/// routers, security groups with their rules, floating IPs and per-project quotas, seeded with a shared
/// tenant network, an external one and an isolated one, all owned by the admin project.</summary>
internal sealed class NetworkState
{
    public List<Network> Networks { get; } = [];
    public List<Subnet> Subnets { get; } = [];
    public List<Port> Ports { get; } = [];
    public List<Router> Routers { get; } = [];
    public List<SecurityGroup> SecurityGroups { get; } = [];
    public List<SecurityGroupRule> Rules { get; } = [];
    public List<FloatingIp> FloatingIps { get; } = [];

    /// <summary>Neutron's default quotas (neutron.conf [quotas]); an admin's PUT /quotas/{project} overrides them.</summary>
    public static readonly IReadOnlyDictionary<string, int> DefaultQuotas = new Dictionary<string, int>
    {
        ["network"] = 100,
        ["subnet"] = 100,
        ["port"] = 500,
        ["router"] = 10,
        ["floatingip"] = 50,
        ["security_group"] = 10,
        ["security_group_rule"] = 100,
        ["rbac_policy"] = 10,
        ["subnetpool"] = -1,
    };

    public Dictionary<string, Dictionary<string, int>> QuotaOverrides { get; } = [];

    public void Seed(string adminProjectId, int siteIndex, DateTimeOffset now)
    {
        var octet = 10 + siteIndex;
        AddNetwork("private", $"10.{octet}.0", shared: true, external: false, adminProjectId, now, 1001 + siteIndex);
        AddNetwork("public", $"172.{24 + siteIndex}.4", shared: false, external: true, adminProjectId, now, null);
        AddNetwork("dr-isolated", $"10.{octet + 100}.0", shared: true, external: false, adminProjectId, now, 2001 + siteIndex);
    }

    private void AddNetwork(string name, string prefix, bool shared, bool external, string project, DateTimeOffset now, int? segment)
    {
        var network = new Network
        {
            Id = Guid.NewGuid().ToString(),
            Name = name,
            ProjectId = project,
            Shared = shared,
            External = external,
            Mtu = external ? 1500 : 1450,
            NetworkType = external ? "flat" : "vxlan",
            PhysicalNetwork = external ? "public" : null,
            SegmentationId = segment,
            CreatedAt = now,
        };
        Networks.Add(network);
        AddSubnet(network, $"{name}-subnet", $"{prefix}.0/24", $"{prefix}.1", [new AllocationPool($"{prefix}.2", $"{prefix}.254")], project, now);
    }

    public Subnet AddSubnet(Network network, string name, string cidr, string? gateway, List<AllocationPool> pools, string project, DateTimeOffset now)
    {
        var subnet = new Subnet
        {
            Id = Guid.NewGuid().ToString(),
            Name = name,
            NetworkId = network.Id,
            ProjectId = project,
            Cidr = cidr,
            GatewayIp = gateway,
            AllocationPools = pools,
            CreatedAt = now,
        };
        Subnets.Add(subnet);
        network.SubnetIds.Add(subnet.Id);
        return subnet;
    }

    public Network? Find(string idOrName) =>
        Networks.FirstOrDefault(n => n.Id == idOrName) ?? Networks.FirstOrDefault(n => n.Name == idOrName);

    public Network? Network(string id) => Networks.FirstOrDefault(n => n.Id == id);
    public Subnet? Subnet(string id) => Subnets.FirstOrDefault(s => s.Id == id);
    public Port? Port(string id) => Ports.FirstOrDefault(p => p.Id == id);
    public SecurityGroup? Group(string id) => SecurityGroups.FirstOrDefault(g => g.Id == id);

    /// <summary>The ports Nova plugged into a server, in creation order.</summary>
    public IEnumerable<Port> PortsOf(string serverId) => Ports.Where(p => p.DeviceId == serverId && p.DeviceOwner.StartsWith("compute:", StringComparison.Ordinal));

    /// <summary>Neutron makes a project's <c>default</c> group the first time the project lists groups or
    /// creates a network, port or group: egress anywhere, ingress only from members of the same group.</summary>
    public SecurityGroup EnsureDefaultGroup(string projectId, DateTimeOffset now)
    {
        if (SecurityGroups.FirstOrDefault(g => g.ProjectId == projectId && g.Name == "default") is { } existing) return existing;
        var group = new SecurityGroup { Id = Guid.NewGuid().ToString(), Name = "default", ProjectId = projectId, Description = "Default security group", CreatedAt = now };
        SecurityGroups.Add(group);
        foreach (var ethertype in new[] { "IPv4", "IPv6" })
        {
            Rules.Add(new SecurityGroupRule { Id = Guid.NewGuid().ToString(), SecurityGroupId = group.Id, ProjectId = projectId, Direction = "egress", Ethertype = ethertype, CreatedAt = now });
            Rules.Add(new SecurityGroupRule { Id = Guid.NewGuid().ToString(), SecurityGroupId = group.Id, ProjectId = projectId, Direction = "ingress", Ethertype = ethertype, RemoteGroupId = group.Id, CreatedAt = now });
        }
        return group;
    }

    public int Limit(string projectId, string resource) =>
        QuotaOverrides.GetValueOrDefault(projectId)?.GetValueOrDefault(resource) is { } o ? o : DefaultQuotas[resource];

    public int Used(string projectId, string resource) => resource switch
    {
        "network" => Networks.Count(n => n.ProjectId == projectId),
        "subnet" => Subnets.Count(s => s.ProjectId == projectId),
        "port" => Ports.Count(p => p.ProjectId == projectId),
        "router" => Routers.Count(r => r.ProjectId == projectId),
        "floatingip" => FloatingIps.Count(f => f.ProjectId == projectId),
        "security_group" => SecurityGroups.Count(g => g.ProjectId == projectId),
        "security_group_rule" => Rules.Count(r => r.ProjectId == projectId),
        _ => 0,
    };

    /// <summary>Neutron's OverQuota message, or null when one more fits.</summary>
    public string? OverQuota(string projectId, string resource, int more = 1)
    {
        var limit = Limit(projectId, resource);
        return limit >= 0 && Used(projectId, resource) + more > limit ? $"Quota exceeded for resources: ['{resource}']." : null;
    }

    /// <summary>The first free address of the subnet's allocation pools, or null when it is full.</summary>
    public string? NextFreeIp(Subnet subnet)
    {
        var used = UsedIps(subnet.Id);
        foreach (var pool in subnet.AllocationPools)
        {
            for (var a = ToUInt(pool.Start); a <= ToUInt(pool.End); a++)
            {
                var ip = FromUInt(a);
                if (!used.Contains(ip) && ip != subnet.GatewayIp) return ip;
            }
        }
        return null;
    }

    public HashSet<string> UsedIps(string subnetId) =>
        [.. Ports.SelectMany(p => p.FixedIps).Where(f => f.SubnetId == subnetId).Select(f => f.IpAddress)];

    /// <summary>Whether <paramref name="ip"/> is an IPv4 address inside <paramref name="cidr"/>.</summary>
    public static bool InCidr(string ip, string cidr)
    {
        var parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(ip, out var a) || a.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return false;
        if (!int.TryParse(parts[1], out var bits) || bits is < 0 or > 32) return false;
        var mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
        return (ToUInt(ip) & mask) == (ToUInt(parts[0]) & mask);
    }

    public static bool IsCidr(string cidr)
    {
        var parts = cidr.Split('/');
        return parts.Length == 2 && IPAddress.TryParse(parts[0], out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && int.TryParse(parts[1], out var bits) && bits is >= 8 and <= 32;
    }

    /// <summary>The usable range of a CIDR: network + 1 … broadcast - 1.</summary>
    public static (string First, string Last) HostRange(string cidr)
    {
        var parts = cidr.Split('/');
        var bits = int.Parse(parts[1]);
        var mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
        var network = ToUInt(parts[0]) & mask;
        return (FromUInt(network + 1), FromUInt((network | ~mask) - 1));
    }

    public static uint ToUInt(string ip)
    {
        var b = IPAddress.Parse(ip).GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    public static string FromUInt(uint a) => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}";

    public static string NewMac() => "fa:16:3e:" + string.Join(':', RandomNumberGenerator.GetBytes(3).Select(x => x.ToString("x2")));
}
