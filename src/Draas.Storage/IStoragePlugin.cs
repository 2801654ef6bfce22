namespace Draas.Storage;

/// <summary>
/// The core every storage vendor implements. Shaped like a Cinder volume driver and an SRM storage
/// replication adapter, but per volume: a workflow step promotes one volume at a time.
/// Every call is idempotent: asked twice, it finds its own earlier result and returns it.
/// Every failure is an <see cref="ArrayException"/>. What only some arrays can do is a capability
/// interface beside this one (<see cref="IReplicateNow"/>, <see cref="IReverseReplication"/>,
/// <see cref="IDemoteSource"/>); the replication modes a plugin serves are in <see cref="Modes"/>.
/// </summary>
public interface IStoragePlugin
{
    /// <summary>The name configuration uses to pick this plugin (e.g. <c>pure</c>, <c>rbd</c>).</summary>
    string Name { get; }

    /// <summary>The replication modes this plugin can keep; a plan asking another is refused when stored.</summary>
    IReadOnlySet<ReplicationMode> Modes { get; }

    /// <summary>The array object this vendor's Cinder driver keeps for a Cinder volume (Pure:
    /// <c>volume-&lt;name id&gt;-cinder</c>, RBD: the image <c>volume-&lt;name id&gt;</c>).</summary>
    string ArrayVolumeName(CinderVolumeRef volume);

    /// <summary>The <c>ref</c> of the recovery site's Cinder manage-existing request for an array volume this
    /// plugin promoted (the driver's own form: <c>source-name</c> for both Pure and RBD).</summary>
    IReadOnlyDictionary<string, string> ManageExistingRef(string arrayVolumeName);

    /// <summary>What is wrong with an array endpoint for this plugin (its scheme and form), or null when it can be used.
    /// Checked when an array is registered, so a wrong endpoint is a 400 rather than a failed run.</summary>
    string? EndpointProblem(Uri endpoint);

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

    /// <summary>Makes one volume usable at the recovery array from a recovery point, named so the
    /// recovery site's Cinder can import it with manage-existing. A drill copy leaves replication untouched.</summary>
    Task<PromotedVolume> PromoteVolumeAsync(PromoteRequest request, CancellationToken cancellationToken = default);

    /// <summary>Destroys a drill copy. Refuses anything that is not a drill copy.
    /// <paramref name="importedAsNameId"/>: the id of the Cinder volume the recovery site imported the copy as;
    /// its driver may have renamed the copy then (and again on unmanage), so the plugin looks under those names too.
    /// False when it was already gone.</summary>
    Task<bool> ReleaseDrillCopyAsync(ArrayRef recoveryArray, string arrayVolumeName, string? importedAsNameId = null, CancellationToken cancellationToken = default);
}

/// <summary>Capability: replicate on demand and wait (a planned migration's last sync before the primary stops).</summary>
public interface IReplicateNow
{
    /// <summary>Replicates now and waits until the new recovery point is complete at the target.</summary>
    Task<RecoveryPoint> ReplicateNowAsync(ReplicationGroupRef group, TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <summary>Capability: turn replication round (reprotect after a failover, failback to go home).</summary>
public interface IReverseReplication
{
    /// <summary>Reverses the direction of replication. <paramref name="recoveredVolumes"/> are the array
    /// volumes now in service at the recovery array.</summary>
    Task<ProtectionResult> ReverseAsync(ReplicationGroupRef group, IReadOnlyList<string> recoveredVolumes,
        TimeSpan interval, CancellationToken cancellationToken = default);
}

/// <summary>Capability: stop the source side of a group so the target can take over without a split brain.</summary>
public interface IDemoteSource
{
    /// <summary>With <paramref name="quiesce"/> every write reaches the target first (planned migration);
    /// without, pending data is dropped (disaster).</summary>
    Task<DemoteResult> DemoteSourceAsync(ReplicationGroupRef group, bool quiesce, CancellationToken cancellationToken = default);
}

/// <summary>What a plugin may read of a Cinder volume to find its array object: the whole volume as the
/// admin API shows it, not only its name id (<c>provider_id</c> from microversion 3.21; Cinder never shows
/// <c>provider_location</c> through its API).</summary>
public sealed record CinderVolumeRef(string Id, string? NameId = null, string? Host = null, string? ProviderId = null,
    IReadOnlyDictionary<string, string>? Metadata = null)
{
    /// <summary>The id the backend names the volume after (its own id unless it was migrated).</summary>
    public string BackendId => string.IsNullOrEmpty(NameId) ? Id : NameId;
}

public static class StoragePluginCapabilities
{
    /// <summary>The plugin as capability <typeparamref name="T"/>, or a clear refusal naming what is missing.</summary>
    public static T Require<T>(this IStoragePlugin plugin, string what, string? array = null) where T : class =>
        plugin as T ?? throw new ArrayException(ArrayErrorKind.InvalidRequest,
            $"the '{plugin.Name}' storage plugin cannot {what}", array);

    public static bool Supports(this IStoragePlugin plugin, ReplicationMode mode) => plugin.Modes.Contains(mode);
}
