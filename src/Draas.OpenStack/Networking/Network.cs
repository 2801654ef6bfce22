using System.Text.Json.Serialization;

namespace Draas.OpenStack.Networking;

public sealed record Network
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Status { get; init; } = "";
    public string? ProjectId { get; init; }
    public bool AdminStateUp { get; init; }
    public bool Shared { get; init; }
    public int? Mtu { get; init; }
    public IReadOnlyList<string> Subnets { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> AvailabilityZones { get; init; } = [];
    [JsonPropertyName("router:external")]
    public bool External { get; init; }
    [JsonPropertyName("provider:network_type")]
    public string? NetworkType { get; init; }
    [JsonPropertyName("provider:physical_network")]
    public string? PhysicalNetwork { get; init; }
    [JsonPropertyName("provider:segmentation_id")]
    public int? SegmentationId { get; init; }
    public bool? PortSecurityEnabled { get; init; }
    public string? Description { get; init; }
}

public sealed record Subnet
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string NetworkId { get; init; } = "";
    public string? ProjectId { get; init; }
    public string Cidr { get; init; } = "";
    public int IpVersion { get; init; }
    public string? GatewayIp { get; init; }
    public bool EnableDhcp { get; init; }
    public IReadOnlyList<string> DnsNameservers { get; init; } = [];
    public IReadOnlyList<AllocationPool> AllocationPools { get; init; } = [];
    public IReadOnlyList<HostRoute> HostRoutes { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Description { get; init; }
}

public sealed record HostRoute
{
    public string Destination { get; init; } = "";
    public string Nexthop { get; init; } = "";
}

public sealed record AllocationPool
{
    public string Start { get; init; } = "";
    public string End { get; init; } = "";
}

/// <summary>Filters for networks and subnets; Neutron filters by exact match.</summary>
public sealed record NetworkListOptions
{
    public string? Name { get; init; }
    public string? ProjectId { get; init; }
    public bool? Shared { get; init; }
    public bool? External { get; init; }
    public string? Tags { get; init; }
    public int? Limit { get; init; }
}
