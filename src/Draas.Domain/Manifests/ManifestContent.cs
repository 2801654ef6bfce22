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
}

public sealed record FlavorEntry(string? Name, int Vcpus, int Ram, int Disk, int Ephemeral, int Swap, SortedDictionary<string, string> ExtraSpecs);

public sealed record PortEntry(string Network, string Address, int Version, string? Type, string? Mac);

public sealed record DiskEntry(string VolumeId, string? Device);

public sealed record VolumeEntry
{
    public required string Id { get; init; }

    /// <summary>The id the backend names the volume after (differs from <see cref="Id"/> after a migration).</summary>
    public string? NameId { get; init; }
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

public sealed record KeypairEntry(string Name, string? UserId, string PublicKey, string? Fingerprint);
