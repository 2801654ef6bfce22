namespace Draas.Domain.Manifests;

/// <summary>
/// What a recovery needs to know about a plan's tenant, captured from the primary site. Only facts
/// that matter for rebuilding are kept (no statuses or timestamps), so the hash changes on real drift only.
/// </summary>
public sealed record ManifestContent
{
    public required string ProjectId { get; init; }
    public IReadOnlyList<ServerEntry> Servers { get; init; } = [];
    public IReadOnlyList<VolumeEntry> Volumes { get; init; } = [];
    public IReadOnlyList<ImageEntry> Images { get; init; } = [];
    public IReadOnlyList<KeypairEntry> Keypairs { get; init; } = [];

    /// <summary>The Neutron topology the servers live in: their networks with subnets, the routers joining
    /// those subnets, every security group their ports use (and the groups those rules name), and the
    /// floating IPs on their ports.</summary>
    public IReadOnlyList<NetworkEntry> TenantNetworks { get; init; } = [];
    public IReadOnlyList<SubnetEntry> Subnets { get; init; } = [];
    public IReadOnlyList<RouterEntry> Routers { get; init; } = [];
    public IReadOnlyList<SecurityGroupEntry> SecurityGroups { get; init; } = [];
    public IReadOnlyList<FloatingIpEntry> FloatingIps { get; init; } = [];
    public IReadOnlyList<ServerGroupEntry> ServerGroups { get; init; } = [];

    /// <summary>The volume types the volumes use, by name, with their extra specs.</summary>
    public IReadOnlyList<VolumeTypeEntry> VolumeTypes { get; init; } = [];

    /// <summary>Members the plan names that the primary site no longer has (kind:id).</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];
}

public sealed record ServerEntry
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required FlavorEntry Flavor { get; init; }
    public string? ImageId { get; init; }
    public string? BootVolumeId { get; init; }
    public string? KeyName { get; init; }
    public string? AvailabilityZone { get; init; }
    public int PriorityGroup { get; init; } = 1;
    public SortedDictionary<string, string> Metadata { get; init; } = [];
    public IReadOnlyList<string> SecurityGroups { get; init; } = [];
    public IReadOnlyList<PortEntry> Networks { get; init; } = [];

    /// <summary>Attached volumes in device order (the boot volume first).</summary>
    public IReadOnlyList<DiskEntry> Disks { get; init; } = [];

    /// <summary>The server's Neutron ports in NIC order.</summary>
    public IReadOnlyList<NicEntry> Nics { get; init; } = [];

    /// <summary>Base64, as booted.</summary>
    public string? UserData { get; init; }
    public bool ConfigDrive { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? ServerGroupId { get; init; }

    /// <summary>The user who booted it: the owner of its keypair.</summary>
    public string? UserId { get; init; }
}

public sealed record NicEntry(string PortId, string NetworkId, string? NetworkName, string? Mac, IReadOnlyList<FixedIpEntry> FixedIps,
    bool PortSecurityEnabled, IReadOnlyList<string> SecurityGroupIds, IReadOnlyList<AddressPairEntry> AllowedAddressPairs);

public sealed record FixedIpEntry(string SubnetId, string IpAddress);

public sealed record AddressPairEntry(string IpAddress, string? Mac);

/// <summary>A network a server is on; <see cref="Owned"/> when the tenant's own (recreatable), else shared with it.</summary>
public sealed record NetworkEntry(string Id, string Name, bool Owned, bool Shared, bool External, int? Mtu, bool PortSecurityEnabled);

public sealed record SubnetEntry(string Id, string Name, string NetworkId, string Cidr, string? GatewayIp, IReadOnlyList<PoolEntry> AllocationPools,
    IReadOnlyList<string> DnsNameservers, IReadOnlyList<RouteEntry> HostRoutes, bool EnableDhcp);

public sealed record PoolEntry(string Start, string End);

public sealed record RouteEntry(string Destination, string Nexthop);

/// <summary>A router with interfaces on the tenant's subnets; its gateway's external network by id and name.</summary>
public sealed record RouterEntry(string Id, string Name, string? ExternalNetworkId, string? ExternalNetworkName, IReadOnlyList<string> InterfaceSubnetIds);

public sealed record SecurityGroupEntry(string Id, string Name, string? Description, IReadOnlyList<RuleEntry> Rules);

public sealed record RuleEntry(string Direction, string? Ethertype, string? Protocol, int? PortRangeMin, int? PortRangeMax,
    string? RemoteIpPrefix, string? RemoteGroupId, string? Description);

public sealed record FloatingIpEntry(string Id, string Address, string FloatingNetworkId, string? FloatingNetworkName, string? PortId, string? FixedIpAddress);

public sealed record ServerGroupEntry(string Id, string Name, string? Policy, SortedDictionary<string, string> Rules, IReadOnlyList<string> Members);

public sealed record VolumeTypeEntry(string Name, SortedDictionary<string, string> ExtraSpecs);

public sealed record FlavorEntry(string? Name, int Vcpus, int Ram, int Disk, int Ephemeral, int Swap, SortedDictionary<string, string> ExtraSpecs);

public sealed record PortEntry(string Network, string Address, int Version, string? Type, string? Mac);

public sealed record DiskEntry(string VolumeId, string? Device);

public sealed record VolumeEntry
{
    public required string Id { get; init; }

    /// <summary>The id the backend names the volume after (differs from <see cref="Id"/> after a migration).</summary>
    public string? NameId { get; init; }

    /// <summary>The backend's id of the volume (Cinder's <c>provider_id</c>), which some drivers name their object by.
    /// Cinder's API never shows <c>provider_location</c>, so a manifest cannot hold it.</summary>
    public string? ProviderId { get; init; }
    public string? Name { get; init; }
    public int Size { get; init; }
    public string? VolumeType { get; init; }
    public bool Bootable { get; init; }
    public string? Host { get; init; }
    public SortedDictionary<string, string> Metadata { get; init; } = [];
    public IReadOnlyList<AttachmentEntry> Attachments { get; init; } = [];
}

public sealed record AttachmentEntry(string ServerId, string? Device);

public sealed record ImageEntry(string Id, string? Name, string? Checksum, string? HashAlgorithm, string? HashValue, string? DiskFormat, string? ContainerFormat, long? Size);

/// <summary>A keypair as its owner has it; <see cref="UserName"/> finds the same user at the recovery site.</summary>
public sealed record KeypairEntry(string Name, string? UserId, string PublicKey, string? Fingerprint, string? UserName = null, string? Type = null);
