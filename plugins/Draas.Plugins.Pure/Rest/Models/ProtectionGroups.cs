namespace Draas.Plugins.Pure.Rest.Models;

/// <summary>Frequency in milliseconds, <c>at</c> in seconds after midnight.</summary>
public sealed record ReplicationSchedule(bool? Enabled = null, long? Frequency = null, long? At = null);

public sealed record Retention(long? AllForSec = null, int? PerDay = null, int? Days = null);

public sealed record ProtectionGroup(
    string? Id,
    string Name,
    bool Destroyed,
    bool? IsLocal,
    NamedRef? Source,
    NamedRef? Pod,
    int? VolumeCount,
    int? TargetCount,
    ReplicationSchedule? ReplicationSchedule,
    ReplicationSchedule? SnapshotSchedule,
    Retention? SourceRetention,
    Retention? TargetRetention);

public sealed record ProtectionGroupPatch(
    ReplicationSchedule? ReplicationSchedule = null,
    Retention? TargetRetention = null,
    bool? Destroyed = null,
    ReplicationSchedule? SnapshotSchedule = null);

/// <summary>A row of <c>/protection-groups/volumes</c> or <c>/protection-groups/targets</c>.</summary>
public sealed record GroupMember(NamedRef Group, NamedRef Member, bool? Allowed = null, string? Status = null);

public sealed record TargetPatch(bool Allowed);

public sealed record ProtectionGroupSnapshot(
    string? Id,
    string Name,
    long? Created,
    bool Destroyed,
    NamedRef? Source,
    string? Suffix);

public sealed record SnapshotTransfer(
    string Name,
    string? Id,
    bool Destroyed,
    long? Started,
    long? Completed,
    double? Progress,
    long? DataTransferred);
