namespace Draas.Simulators.OpenStack.Network;

public sealed class Network
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string ProjectId { get; init; }
    public bool Shared { get; set; }
    public bool External { get; set; }
    public int Mtu { get; init; } = 1450;
    public string NetworkType { get; init; } = "vxlan";
    public string? PhysicalNetwork { get; init; }
    public int? SegmentationId { get; init; }
    public bool PortSecurityEnabled { get; init; } = true;
    public bool AdminStateUp { get; set; } = true;
    public string Description { get; set; } = "";
    public List<string> SubnetIds { get; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed record AllocationPool(string Start, string End);

public sealed record HostRoute(string Destination, string Nexthop);

public sealed class Subnet
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string NetworkId { get; init; }
    public required string ProjectId { get; init; }
    public required string Cidr { get; init; }
    public string? GatewayIp { get; set; }
    public List<AllocationPool> AllocationPools { get; init; } = [];
    public List<string> DnsNameservers { get; set; } = [];
    public List<HostRoute> HostRoutes { get; set; } = [];
    public bool EnableDhcp { get; set; } = true;
    public string Description { get; set; } = "";
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed record FixedIp(string SubnetId, string IpAddress);

public sealed record AddressPair(string IpAddress, string MacAddress);

public sealed class Port
{
    public required string Id { get; init; }
    public string Name { get; set; } = "";
    public required string NetworkId { get; init; }
    public required string ProjectId { get; init; }
    public required string MacAddress { get; init; }
    public List<FixedIp> FixedIps { get; set; } = [];
    public List<AddressPair> AllowedAddressPairs { get; set; } = [];
    public bool PortSecurityEnabled { get; set; } = true;
    public List<string> SecurityGroups { get; set; } = [];
    public string DeviceId { get; set; } = "";
    public string DeviceOwner { get; set; } = "";
    public string? HostId { get; set; }
    public string Description { get; set; } = "";
    public bool AdminStateUp { get; set; } = true;

    /// <summary>Nova made this port for a server's <c>networks: [{uuid}]</c> and deletes it with the server.</summary>
    public bool MadeByNova { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Without agents a port is DOWN until something binds it (Nova does, for a server it boots).</summary>
    public string Status => HostId is null ? "DOWN" : "ACTIVE";
}

public sealed class Router
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string ProjectId { get; init; }
    public string? GatewayNetworkId { get; set; }
    public string? GatewayPortId { get; set; }
    public bool AdminStateUp { get; set; } = true;
    public string Description { get; set; } = "";
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class SecurityGroup
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string ProjectId { get; init; }
    public string Description { get; set; } = "";
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class SecurityGroupRule
{
    public required string Id { get; init; }
    public required string SecurityGroupId { get; init; }
    public required string ProjectId { get; init; }
    /// <summary>ingress or egress.</summary>
    public required string Direction { get; init; }
    /// <summary>IPv4 or IPv6.</summary>
    public string Ethertype { get; init; } = "IPv4";
    public string? Protocol { get; init; }
    public int? PortRangeMin { get; init; }
    public int? PortRangeMax { get; init; }
    public string? RemoteIpPrefix { get; init; }
    public string? RemoteGroupId { get; init; }
    public string Description { get; init; } = "";
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>What makes two rules the same rule for Neutron's SecurityGroupRuleExists (409).</summary>
    public string Identity => $"{SecurityGroupId}|{Direction}|{Ethertype}|{Protocol}|{PortRangeMin}|{PortRangeMax}|{RemoteIpPrefix}|{RemoteGroupId}";
}

public sealed class FloatingIp
{
    public required string Id { get; init; }
    public required string FloatingNetworkId { get; init; }
    public required string FloatingIpAddress { get; init; }
    public required string ProjectId { get; init; }
    public string? PortId { get; set; }
    public string? FixedIpAddress { get; set; }
    public string? RouterId { get; set; }
    public string Description { get; set; } = "";
    public required DateTimeOffset CreatedAt { get; init; }
}
