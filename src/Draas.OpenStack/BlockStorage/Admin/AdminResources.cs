using System.Text.Json;
using System.Text.Json.Serialization;
using Draas.OpenStack.Core;

namespace Draas.OpenStack.BlockStorage.Admin;

/// <summary>A scheduler pool: the "host@backend#pool" a volume lives on, with its capacity.</summary>
public sealed record Pool
{
    public string Name { get; init; } = "";
    public PoolCapabilities Capabilities { get; init; } = new();
}

public sealed record PoolCapabilities
{
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? VolumeBackendName { get; init; }
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? VendorName { get; init; }
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? DriverVersion { get; init; }
    /// <summary>"iSCSI", or several spellings joined with "," when the driver reports a list.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? StorageProtocol { get; init; }
    /// <summary>Null when the driver reports "infinite" or "unknown".</summary>
    [JsonConverter(typeof(LenientDoubleConverter))]
    public double? TotalCapacityGb { get; init; }
    [JsonConverter(typeof(LenientDoubleConverter))]
    public double? FreeCapacityGb { get; init; }
    public int? ReservedPercentage { get; init; }
    /// <summary>Reported as true or "True" depending on the driver.</summary>
    [JsonConverter(typeof(LenientBoolConverter))]
    public bool ReplicationEnabled { get; init; }
    /// <summary>Everything else the driver reports (Pure adds its own keys).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; init; } = [];
}

/// <summary>A Cinder service (cinder-volume per backend, cinder-scheduler …) from os-services.</summary>
public sealed record CinderService
{
    public string Binary { get; init; } = "";
    public string Host { get; init; } = "";
    public string? Zone { get; init; }
    /// <summary>enabled / disabled (by an admin).</summary>
    public string Status { get; init; } = "";
    /// <summary>up / down (heartbeat).</summary>
    public string State { get; init; } = "";
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? DisabledReason { get; init; }
    public string? Cluster { get; init; }
    public string? ReplicationStatus { get; init; }
    public string? ActiveBackendId { get; init; }
    public bool? Frozen { get; init; }
    public string? BackendState { get; init; }
}

/// <summary>A project's block storage quotas; per-type keys ("volumes_ssd") land in <see cref="Extra"/>.</summary>
public sealed record VolumeQuotaSet
{
    public string? Id { get; init; }
    public int Volumes { get; init; }
    public int Gigabytes { get; init; }
    public int Snapshots { get; init; }
    public int Backups { get; init; }
    public int BackupGigabytes { get; init; }
    public int PerVolumeGigabytes { get; init; }
    public int Groups { get; init; }
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; init; } = [];
}
