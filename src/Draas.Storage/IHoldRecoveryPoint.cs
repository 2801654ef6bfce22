namespace Draas.Storage;

/// <summary>
/// Capability: keep a run's recovery point for as long as the run needs it. An array prunes its replicated
/// snapshots by its own retention (the plan's <c>retention</c>), and a long run, or one recovering from an
/// older point, could otherwise find its point gone halfway through its promotes. The hold is per volume and
/// named for the run, so a retry or a resume finds it; the promote of a volume falls back to its hold when the
/// point itself is gone. Holds cost no data on arrays that copy by reference (FlashArray).
/// </summary>
public interface IHoldRecoveryPoint
{
    /// <summary>Holds <paramref name="recoveryPointId"/>'s copy of each of <paramref name="volumes"/> (array names
    /// on the source) at the recovery array for run <paramref name="runId"/>. Returns what is held (none for a
    /// group whose points are not pruned, such as a pod's).</summary>
    Task<IReadOnlyList<string>> HoldAsync(ReplicationGroupRef group, string recoveryPointId, string runId, IReadOnlyList<string> volumes,
        CancellationToken cancellationToken = default);

    /// <summary>Drops the run's hold of one volume (its promote made its own copy, or the run is done with it).
    /// False when there was none.</summary>
    Task<bool> ReleaseHoldAsync(ReplicationGroupRef group, string runId, string volume, CancellationToken cancellationToken = default);
}
