namespace Draas.Simulators.OpenStack.BlockStorage;

public sealed class Volume
{
    public required string Id { get; init; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public required int Size { get; set; }
    public required string Status { get; set; }
    public required string ProjectId { get; init; }
    public required string UserId { get; init; }
    public string AvailabilityZone { get; init; } = "nova";
    public required VolumeType Type { get; init; }
    public bool Bootable { get; set; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public Dictionary<string, string> ImageMetadata { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>host@backend#pool, as Cinder's scheduler placed it; null when no pool passed (the volume is in error).</summary>
    public required string? Host { get; set; }
    public string? SnapshotId { get; init; }
    public string? SourceVolid { get; init; }
    public List<VolumeAttachment> Attachments { get; } = [];
    public string? MigrationStatus { get; set; }

    /// <summary>The volume's name on the array (the Pure driver's <c>volume-&lt;id&gt;-cinder</c>).</summary>
    public string ArrayName => $"volume-{Id}-cinder";
}

public sealed record VolumeAttachment(string Id, string VolumeId, string ServerId, string Device, string HostName, DateTimeOffset AttachedAt);

public sealed class VolumeType
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public bool IsPublic { get; set; } = true;
    public Dictionary<string, string> ExtraSpecs { get; init; } = [];
}

public sealed class Snapshot
{
    public required string Id { get; init; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public required string VolumeId { get; init; }
    public required int Size { get; init; }
    public required string Status { get; set; }
    public required string ProjectId { get; init; }
    public required string UserId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public Dictionary<string, string> Metadata { get; init; } = [];
}

/// <summary>One Cinder volume backend of a site: its service host, its pool and the array it drives.</summary>
public sealed record VolumeBackend(string Host, string BackendName, string Pool, IArrayVolumeStore Array, long CapacityGiB)
{
    public string ServiceHost => $"{Host}@{BackendName}";
    public string PoolName => $"{Host}@{BackendName}#{Pool}";
}
