using System.Text.Json.Serialization;

namespace Draas.OpenStack.Networking;

public sealed record Port
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string NetworkId { get; init; } = "";
    public string? ProjectId { get; init; }
    public string? MacAddress { get; init; }
    public string? Status { get; init; }
    public string? DeviceId { get; init; }
    public string? DeviceOwner { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<FixedIp> FixedIps { get; init; } = [];
    public IReadOnlyList<AddressPair> AllowedAddressPairs { get; init; } = [];
    public IReadOnlyList<string> SecurityGroups { get; init; } = [];
    public bool? PortSecurityEnabled { get; init; }
    [JsonPropertyName("binding:host_id")]
    public string? HostId { get; init; }
}

public sealed record FixedIp
{
    public string? SubnetId { get; init; }
    public string? IpAddress { get; init; }
}

public sealed record AddressPair
{
    public string IpAddress { get; init; } = "";
    public string? MacAddress { get; init; }
}

public sealed record SecurityGroup
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public string? ProjectId { get; init; }
    public IReadOnlyList<SecurityGroupRule> SecurityGroupRules { get; init; } = [];
}

public sealed record SecurityGroupRule
{
    public string Id { get; init; } = "";
    public string SecurityGroupId { get; init; } = "";
    /// <summary>ingress or egress.</summary>
    public string Direction { get; init; } = "";
    public string? Ethertype { get; init; }
    public string? Protocol { get; init; }
    public int? PortRangeMin { get; init; }
    public int? PortRangeMax { get; init; }
    public string? RemoteIpPrefix { get; init; }
    public string? RemoteGroupId { get; init; }
    public string? Description { get; init; }
}

public sealed record Router
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? ProjectId { get; init; }
    public string? Description { get; init; }
    public ExternalGateway? ExternalGatewayInfo { get; init; }
}

public sealed record ExternalGateway
{
    public string NetworkId { get; init; } = "";
    public bool? EnableSnat { get; init; }
    public IReadOnlyList<FixedIp>? ExternalFixedIps { get; init; }
}

public sealed record FloatingIp
{
    public string Id { get; init; } = "";
    public string FloatingNetworkId { get; init; } = "";
    public string FloatingIpAddress { get; init; } = "";
    public string? PortId { get; init; }
    public string? FixedIpAddress { get; init; }
    public string? RouterId { get; init; }
    public string? ProjectId { get; init; }
    public string? Description { get; init; }
    public string? Status { get; init; }
}

/// <summary>Filters shared by the Neutron listings the service uses (exact matches, as Neutron filters).</summary>
public sealed record NeutronFilter
{
    public string? ProjectId { get; init; }
    public string? DeviceId { get; init; }
    public string? NetworkId { get; init; }
    public string? Name { get; init; }
    public string? SecurityGroupId { get; init; }
    public string? PortId { get; init; }
}

public sealed record CreateNetworkOptions
{
    public required string Name { get; init; }
    public string? ProjectId { get; init; }
    public string? Description { get; init; }
    public bool? PortSecurityEnabled { get; init; }
    /// <summary>Admin only: an external network (floating IPs, router gateways) and its provider attributes.</summary>
    [JsonPropertyName("router:external")]
    public bool? External { get; init; }
    [JsonPropertyName("provider:network_type")]
    public string? NetworkType { get; init; }
    [JsonPropertyName("provider:physical_network")]
    public string? PhysicalNetwork { get; init; }
}

public sealed record CreateSubnetOptions
{
    public required string NetworkId { get; init; }
    public required string Cidr { get; init; }
    public int IpVersion { get; init; } = 4;
    public string? Name { get; init; }
    public string? ProjectId { get; init; }
    /// <summary>Null sends JSON null (no gateway) only through <see cref="NoGateway"/>; otherwise Neutron picks.</summary>
    public string? GatewayIp { get; init; }
    [JsonIgnore]
    public bool NoGateway { get; init; }
    public IReadOnlyList<AllocationPool>? AllocationPools { get; init; }
    public IReadOnlyList<string>? DnsNameservers { get; init; }
    public IReadOnlyList<HostRoute>? HostRoutes { get; init; }
    public bool? EnableDhcp { get; init; }
    public string? Description { get; init; }
}

public sealed record CreatePortOptions
{
    public required string NetworkId { get; init; }
    public string? Name { get; init; }
    public string? ProjectId { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<FixedIp>? FixedIps { get; init; }
    public string? MacAddress { get; init; }
    public IReadOnlyList<string>? SecurityGroups { get; init; }
    public bool? PortSecurityEnabled { get; init; }
    public IReadOnlyList<AddressPair>? AllowedAddressPairs { get; init; }
}

public sealed record CreateSecurityGroupOptions
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public string? ProjectId { get; init; }
}

public sealed record CreateSecurityGroupRuleOptions
{
    public required string SecurityGroupId { get; init; }
    public required string Direction { get; init; }
    public string? Ethertype { get; init; }
    public string? Protocol { get; init; }
    public int? PortRangeMin { get; init; }
    public int? PortRangeMax { get; init; }
    public string? RemoteIpPrefix { get; init; }
    public string? RemoteGroupId { get; init; }
    public string? Description { get; init; }
}

public sealed record CreateRouterOptions
{
    public required string Name { get; init; }
    public string? ProjectId { get; init; }
    public string? Description { get; init; }
    public ExternalGateway? ExternalGatewayInfo { get; init; }
}

public sealed record CreateFloatingIpOptions
{
    public required string FloatingNetworkId { get; init; }
    public string? PortId { get; init; }
    public string? FixedIpAddress { get; init; }
    public string? ProjectId { get; init; }
    public string? Description { get; init; }
}
