using System.Text.Json.Serialization;
using Draas.OpenStack.Core;

namespace Draas.OpenStack.BlockStorage.Volumes;

/// <summary>A Cinder volume as GET /v3/{project}/volumes/{id} shows it.</summary>
public sealed record Volume
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public string Status { get; init; } = "";
    public int Size { get; init; }
    public string? Description { get; init; }
    public string? AvailabilityZone { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? VolumeType { get; init; }
    public string? SnapshotId { get; init; }
    public string? SourceVolid { get; init; }
    public string? UserId { get; init; }
    public string? GroupId { get; init; }
    public string? ReplicationStatus { get; init; }
    public string? MigrationStatus { get; init; }
    [JsonConverter(typeof(LenientBoolConverter))]
    public bool Bootable { get; init; }
    public bool Encrypted { get; init; }
    public bool Multiattach { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string>? VolumeImageMetadata { get; init; }
    public IReadOnlyList<VolumeAttachment> Attachments { get; init; } = [];

    /// <summary>The backend, "host@backend#pool" (admin only).</summary>
    [JsonPropertyName("os-vol-host-attr:host")]
    public string? Host { get; init; }

    [JsonPropertyName("os-vol-tenant-attr:tenant_id")]
    public string? TenantId { get; init; }

    [JsonPropertyName("os-vol-mig-status-attr:name_id")]
    public string? NameId { get; init; }

    /// <summary>The backend's own id for the volume, when its driver keeps one (admin, microversion 3.21+; null on RBD and LVM).</summary>
    public string? ProviderId { get; init; }
}

/// <summary>Where a volume is attached (the volume's side of a Nova attachment).</summary>
public sealed record VolumeAttachment
{
    public string Id { get; init; } = "";
    public string? AttachmentId { get; init; }
    public string? ServerId { get; init; }
    public string? VolumeId { get; init; }
    public string? HostName { get; init; }
    public string? Device { get; init; }
    public DateTimeOffset? AttachedAt { get; init; }
}
