namespace Draas.Storage;

/// <summary>A consistent replicated state that can be recovered: a replicated protection-group snapshot
/// (its id is the snapshot name on the recovery array) or, for sync replication, "now".</summary>
public sealed record RecoveryPoint(string Id, DateTimeOffset Time, bool IsCurrent = false);

public enum ReplicationHealth
{
    Healthy,
    /// <summary>Replicating, but behind its target (lag beyond twice the interval) or still baselining.</summary>
    Degraded,
    /// <summary>Not replicating at all: no target, target not allowed, link down, schedule off.</summary>
    Broken,
}

public sealed record ReplicationStatus(
    ReplicationGroupRef Group,
    ReplicationHealth Health,
    TimeSpan? Lag,
    RecoveryPoint? Latest,
    bool ScheduleEnabled,
    TimeSpan? Interval,
    string Detail);
