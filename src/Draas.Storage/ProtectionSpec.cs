namespace Draas.Storage;

/// <summary>Snapshot retention, in the shape arrays use: keep everything for a while, then a few per day.</summary>
public sealed record RetentionPolicy(TimeSpan KeepAllFor, int PerDay, int Days)
{
    /// <summary>Cinder's Pure defaults: 4 hours of everything, then 3 a day for 7 days.</summary>
    public static RetentionPolicy Default { get; } = new(TimeSpan.FromHours(4), 3, 7);

    /// <summary>A plan's <c>retention</c>: its newest <paramref name="count"/> recovery points, one per
    /// <paramref name="interval"/>: everything younger than count − ½ intervals (the half absorbs the
    /// replication's drift, so exactly count snapshots fit), nothing per day after that.</summary>
    public static RetentionPolicy Points(int count, TimeSpan interval) => new(interval * count - interval / 2, 0, 0);
}

/// <summary>What a plan asks of the storage: these volumes (array names on the source array)
/// replicated to the target array in this mode, every <paramref name="Interval"/> for async.
/// <paramref name="PlanKey"/> names the array-side group, so it must never change for a plan (its id or a
/// fixed slug, not its display name): a new key means a new group.</summary>
public sealed record ProtectionSpec(
    string ProjectId,
    string PlanKey,
    ArrayRef Source,
    ArrayRef Target,
    ReplicationMode Mode,
    TimeSpan Interval,
    RetentionPolicy Retention,
    IReadOnlyList<string> Volumes);

/// <summary>The array-side object a plugin keeps for a plan (a protection group or a pod), as the
/// workflows store it after <see cref="IStoragePlugin.EnsureProtectedAsync"/>.</summary>
public sealed record ReplicationGroupRef(string Name, ReplicationMode Mode, ArrayRef Source, ArrayRef Target)
{
    /// <summary>The same group seen from the other side: used after a reverse (reprotect / failback).</summary>
    public ReplicationGroupRef Reversed() => this with { Source = Target, Target = Source };
}

/// <summary>The outcome of ensuring protection: the group, the member names as the array now knows them
/// (a pod member is <c>pod::vol</c>), and a human-readable line per change; none when all was in place.</summary>
public sealed record ProtectionResult(ReplicationGroupRef Group, IReadOnlyList<string> Members, IReadOnlyList<string> Changes)
{
    public bool Changed => Changes.Count > 0;
}
