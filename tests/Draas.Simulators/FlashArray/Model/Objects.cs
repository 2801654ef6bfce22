namespace Draas.Simulators.FlashArray.Model;

/// <summary>A volume. In a pod it is stored by the pod (shared by every array the pod is stretched to)
/// and its full name is <c>pod::name</c>.</summary>
public sealed class SimVolume
{
    public required string Id { get; init; }
    public required string LeafName { get; set; }
    public required string Serial { get; init; }
    public long Provisioned { get; set; }
    public DateTimeOffset Created { get; init; }
    public bool Destroyed { get; set; }
    public DateTimeOffset? DestroyedAt { get; set; }
    public string? SourceName { get; init; }
    public SimPod? Pod { get; set; }
    public Contents Data { get; init; } = new();
    public string Name => Pod is null ? LeafName : $"{Pod.Name}::{LeafName}";
}

public sealed class SimVolumeSnapshot
{
    public required string Id { get; init; }
    public string Serial { get; init; } = "";
    public required string Name { get; init; }
    public required string SourceName { get; init; }
    public string? Suffix { get; init; }
    public long Provisioned { get; init; }
    public DateTimeOffset Created { get; init; }
    public bool Destroyed { get; set; }
    public required Contents Data { get; init; }
}

public sealed class SimTarget
{
    public required string Array { get; init; }
    public bool Allowed { get; set; }
}

public sealed record Schedule(bool Enabled, long FrequencyMs, long? At = null);
public sealed record RetentionRule(long AllForSec, int PerDay, int Days);

public sealed class SimProtectionGroup
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string SourceArray { get; init; }
    public bool IsLocal { get; init; } = true;
    public bool Destroyed { get; set; }
    public List<SimVolume> Members { get; } = [];
    public List<SimTarget> Targets { get; } = [];
    public Schedule ReplicationSchedule { get; set; } = new(false, 14_400_000);
    public Schedule SnapshotSchedule { get; set; } = new(false, 3_600_000);
    public RetentionRule SourceRetention { get; set; } = new(86_400, 4, 7);
    public RetentionRule TargetRetention { get; set; } = new(86_400, 4, 7);
    public DateTimeOffset? NextReplicationAt { get; set; }
    public DateTimeOffset? NextSnapshotAt { get; set; }
    public int NextSnapshotNumber { get; set; } = 1;
}

/// <summary>Shipping one group snapshot to one target; shared by the source snapshot and its replica.</summary>
public sealed class SimTransfer
{
    public required string SourceArray { get; init; }
    public required string TargetArray { get; init; }
    public required long Bytes { get; init; }
    public DateTimeOffset Started { get; init; }
    public double DoneBytes { get; set; }
    public DateTimeOffset? Completed { get; set; }
    public double Progress => Completed is not null ? 1.0 : Bytes == 0 ? 0 : Math.Min(0.99, DoneBytes / Bytes);
}

public sealed class SimPgSnapshot
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string GroupName { get; init; }
    public string? Suffix { get; init; }
    public DateTimeOffset Created { get; init; }
    public bool Destroyed { get; set; }
    /// <summary>Member contents at the instant of the snapshot, by leaf volume name.</summary>
    public required Dictionary<string, (long Provisioned, Contents Data)> Members { get; init; }
    public SimTransfer? Transfer { get; set; }
}

public sealed class SimPod
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public bool Destroyed { get; set; }
    /// <summary>The arrays this pod lives on: one, or two when stretched (sync).</summary>
    public List<SimArray> Arrays { get; } = [];
    public Dictionary<string, SimVolume> Volumes { get; } = new(StringComparer.Ordinal);
    public string PromotionStatus { get; set; } = "promoted";
    public string RequestedPromotionState { get; set; } = "promoted";
    public DateTimeOffset? PromotedAt { get; set; }
    /// <summary>Contents to restore when promoting from an undo-demote pod.</summary>
    public SimPod? RestoreFrom { get; set; }
}

/// <summary>An ActiveDR link between two pods; data flows from the promoted pod to the demoted one.</summary>
public sealed class SimReplicaLink
{
    public required string Id { get; init; }
    public required SimArray ArrayA { get; init; }
    public required SimPod PodA { get; init; }
    public required SimArray ArrayB { get; init; }
    public required SimPod PodB { get; init; }
    public bool Paused { get; set; }
    public DateTimeOffset BaselineUntil { get; set; }
    public DateTimeOffset? RecoveryPoint { get; set; }
    public bool Quiesced { get; set; }

    /// <summary>(source, target) when exactly one side is promoted; null when idle.</summary>
    public (SimArray Array, SimPod Pod, SimArray ToArray, SimPod ToPod)? Direction =>
        (PodA.PromotionStatus, PodB.PromotionStatus) switch
        {
            ("promoted", "demoted") => (ArrayA, PodA, ArrayB, PodB),
            ("demoted", "promoted") => (ArrayB, PodB, ArrayA, PodA),
            _ => null,
        };
}

public sealed class SimArray
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string ApiToken { get; init; }
    public required string Version { get; init; }
    public long CapacityBytes { get; set; }
    public bool Down { get; set; }
    public int LatencyMs { get; set; }
    public double ErrorRate { get; set; }
    public HashSet<string> Sessions { get; } = [];

    /// <summary>Requests answered with an injected error (<see cref="ErrorRate"/> or a refused copy).</summary>
    public long InjectedFaults { get; set; }

    /// <summary>Copies this array refuses, as a permanent fault: a copy whose source name ends with the key
    /// is answered 400 with the value as the array's message.</summary>
    public Dictionary<string, string> RefusedCopies { get; } = new(StringComparer.Ordinal);

    /// <summary>Every volume made (or overwritten) as a copy, in order, kept after a rename or eradication:
    /// the array's own record of what was promoted from which snapshot.</summary>
    public List<SimCopy> Copies { get; } = [];
    public Dictionary<string, SimVolume> Volumes { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, SimVolumeSnapshot> VolumeSnapshots { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, SimProtectionGroup> ProtectionGroups { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, SimPgSnapshot> PgSnapshots { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, SimPod> Pods { get; } = new(StringComparer.Ordinal);

    public IEnumerable<SimVolume> AllVolumes => Volumes.Values.Concat(Pods.Values.SelectMany(p => p.Volumes.Values));

    public long UsedBytes => AllVolumes.Where(v => !v.Destroyed).Sum(v => v.Data.Bytes);
}

/// <summary>One copy as the array made it: the name it was given, its source, when.</summary>
public sealed record SimCopy(string Name, string Source, DateTimeOffset At);

public sealed class SimConnection
{
    public required string Id { get; init; }
    public required SimArray A { get; init; }
    public required SimArray B { get; init; }
    public required string Type { get; init; }
    public bool Down { get; set; }

    public bool Joins(SimArray x, SimArray y) => (A == x && B == y) || (A == y && B == x);
    public SimArray Other(SimArray x) => A == x ? B : A;
    public bool Up => !Down && !A.Down && !B.Down;
}
