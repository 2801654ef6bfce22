namespace Draas.Storage;

/// <summary>
/// The contract a storage vendor implements. Shaped like a Cinder volume driver and an SRM storage
/// replication adapter, but per volume: a workflow step promotes one volume at a time.
/// Every call is idempotent: asked twice, it finds its own earlier result and returns it.
/// Every failure is an <see cref="ArrayException"/>.
/// </summary>
public interface IStoragePlugin
{
    /// <summary>The name configuration uses to pick this plugin (e.g. <c>pure</c>).</summary>
    string Name { get; }

    /// <summary>The array volume name this vendor's Cinder driver gives a Cinder volume, from the volume's
    /// name id (its id, or the id it kept through a migration).</summary>
    string CinderVolumeName(string volumeNameId);

    /// <summary>Reachable, version, capacity and free space, array connections and their type.</summary>
    Task<ArrayProbe> ProbeAsync(ArrayRef array, CancellationToken cancellationToken = default);

    /// <summary>Makes the plan's replication group exist with exactly the plan's volumes, the target,
    /// schedule and retention; reports what it had to change (nothing on a second call).</summary>
    Task<ProtectionResult> EnsureProtectedAsync(ProtectionSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Stops replicating the group and removes it; the volumes themselves stay. False when
    /// there was nothing to remove.</summary>
    Task<bool> RemoveProtectionAsync(ReplicationGroupRef group, CancellationToken cancellationToken = default);

    Task<ReplicationStatus> GetReplicationStatusAsync(ReplicationGroupRef group, CancellationToken cancellationToken = default);

    /// <summary>Recovery points available at the recovery array, newest first.</summary>
    IAsyncEnumerable<RecoveryPoint> ListRecoveryPointsAsync(ReplicationGroupRef group, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="id"/> is written the way this plugin names its recovery points, so a run
    /// asking for one is refused at once rather than failing in preflight. The default takes any id of letters,
    /// digits and <c>. _ - : @ /</c>; a plugin that knows its syntax says so exactly.</summary>
    bool IsRecoveryPointId(string id) => RecoveryPointIds.IsPlausible(id);

    /// <summary>Replicates now and waits until the new recovery point is complete at the target
    /// (planned migration: the last sync before the primary stops).</summary>
    Task<RecoveryPoint> ReplicateNowAsync(ReplicationGroupRef group, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Makes one volume usable at the recovery array from a recovery point, named so the
    /// recovery site's Cinder can import it with manage-existing. A drill copy leaves replication untouched.</summary>
    Task<PromotedVolume> PromoteVolumeAsync(PromoteRequest request, CancellationToken cancellationToken = default);

    /// <summary>Destroys and eradicates a drill copy. Refuses anything that is not a drill copy.
    /// <paramref name="importedAsNameId"/>: the id of the Cinder volume the recovery site imported the copy as;
    /// its driver renamed the copy then (and again on unmanage), so the plugin looks under those names too.
    /// False when it was already gone.</summary>
    Task<bool> ReleaseDrillCopyAsync(ArrayRef recoveryArray, string arrayVolumeName, string? importedAsNameId = null, CancellationToken cancellationToken = default);

    /// <summary>Stops the source side of a pod-based group: with <paramref name="quiesce"/> every write
    /// reaches the target first (planned migration); without, pending data is dropped (disaster).</summary>
    Task<DemoteResult> DemoteSourceAsync(ReplicationGroupRef group, bool quiesce, CancellationToken cancellationToken = default);

    /// <summary>Reverses the direction of replication after a failover (reprotect) or to go home (failback).
    /// <paramref name="recoveredVolumes"/> are the volumes now in service at the recovery array.</summary>
    Task<ProtectionResult> ReverseAsync(ReplicationGroupRef group, IReadOnlyList<string> recoveredVolumes,
        TimeSpan interval, CancellationToken cancellationToken = default);
}
