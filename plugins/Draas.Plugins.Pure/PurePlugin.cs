using System.Runtime.CompilerServices;
using Draas.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Draas.Plugins.Pure;

/// <summary>The <c>pure</c> storage plugin: async replication with protection groups, sync and continuous
/// replication with pods. Arrays come with each call; clients and their sessions are kept per array.</summary>
public sealed class PurePlugin : IStoragePlugin, IReplicateNow, IReverseReplication, IDemoteSource, IUndoDemote, IHoldRecoveryPoint, IReleaseRecoveryCopy, IDisposable
{
    private static readonly IReadOnlySet<ReplicationMode> AllModes =
        new HashSet<ReplicationMode> { ReplicationMode.Async, ReplicationMode.Sync, ReplicationMode.Continuous };

    private readonly ClientPool _clients;
    private readonly AsyncReplication _async;
    private readonly PodReplication _pods;

    /// <summary>The Pure Cinder driver names a volume's array volume <c>volume-&lt;name id&gt;-cinder</c>.</summary>
    public static string CinderVolumeName(string volumeNameId) => $"volume-{volumeNameId}-cinder";

    public IReadOnlySet<ReplicationMode> Modes => AllModes;

    public string? EndpointProblem(Uri endpoint) =>
        endpoint.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(endpoint.UserInfo) || !string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment)
            ? "a FlashArray endpoint is an http(s) URL without credentials, query or fragment"
            : null;

    public string ArrayVolumeName(CinderVolumeRef volume) => CinderVolumeName(volume.BackendId);

    /// <summary>Pure's Cinder driver finds an existing volume by its array name and renames it <c>volume-&lt;id&gt;-cinder</c>.</summary>
    public IReadOnlyDictionary<string, string> ManageExistingRef(string arrayVolumeName) =>
        new Dictionary<string, string> { ["source-name"] = arrayVolumeName };

    public PurePlugin(PurePluginOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        options ??= new PurePluginOptions();
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        _clients = new ClientPool(options, time, loggers);
        _async = new AsyncReplication(_clients, options, time, loggers.CreateLogger<AsyncReplication>());
        _pods = new PodReplication(_clients, options, time, loggers.CreateLogger<PodReplication>());
    }

    public string Name => "pure";

    /// <summary>A replicated protection group snapshot (<c>source-array:group.suffix</c>) or a pod's point
    /// (<c>pod@unix-ms</c>); see <see cref="PureNames.IsRecoveryPointId"/>.</summary>
    public bool IsRecoveryPointId(string id) => PureNames.IsRecoveryPointId(id);

    public async Task<ArrayProbe> ProbeAsync(ArrayRef array, CancellationToken cancellationToken = default)
    {
        var client = _clients.For(array);
        var apiVersion = await client.GetApiVersionAsync(cancellationToken).ConfigureAwait(false);
        await ArrayIdentity.VerifyAsync(client, array, cancellationToken).ConfigureAwait(false);
        var info = await client.GetArrayAsync(cancellationToken).ConfigureAwait(false);
        var space = await client.GetArraySpaceAsync(cancellationToken).ConfigureAwait(false);
        var links = (await client.ListArrayConnectionsAsync(cancellationToken).ConfigureAwait(false))
            .Select(c => new ArrayLink(c.Remote?.Name ?? c.Name ?? "?", c.Type ?? "unknown", c.Status))
            .ToList();
        return new ArrayProbe(info.Name, info.Version ?? "unknown", apiVersion, space.Capacity ?? info.Capacity ?? 0,
            space.Space?.TotalPhysical ?? info.Space?.TotalPhysical ?? 0, links, space.Space?.TotalProvisioned ?? info.Space?.TotalProvisioned ?? 0);
    }

    public Task<ProtectionResult> EnsureProtectedAsync(ProtectionSpec spec, CancellationToken cancellationToken = default)
    {
        if (spec.Mode == ReplicationMode.Async && spec.Interval < TimeSpan.FromMinutes(1))
            throw new ArrayException(ArrayErrorKind.InvalidRequest, $"replication interval {spec.Interval} is below the one-minute minimum", spec.Source.Name);
        return spec.Mode == ReplicationMode.Async
            ? _async.EnsureAsync(spec, cancellationToken)
            : _pods.EnsureAsync(spec, cancellationToken);
    }

    public Task<bool> RemoveProtectionAsync(ReplicationGroupRef group, CancellationToken cancellationToken = default) =>
        group.Mode == ReplicationMode.Async ? _async.RemoveAsync(group, cancellationToken) : _pods.RemoveAsync(group, cancellationToken);

    public Task<ReplicationStatus> GetReplicationStatusAsync(ReplicationGroupRef group, CancellationToken cancellationToken = default) =>
        group.Mode == ReplicationMode.Async ? _async.StatusAsync(group, cancellationToken) : _pods.StatusAsync(group, cancellationToken);

    public async IAsyncEnumerable<RecoveryPoint> ListRecoveryPointsAsync(ReplicationGroupRef group,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var points = group.Mode == ReplicationMode.Async ? _async.ListAsync(group, cancellationToken) : _pods.ListAsync(group, cancellationToken);
        await foreach (var point in points.ConfigureAwait(false)) yield return point;
    }

    public async Task<RecoveryPoint> ReplicateNowAsync(ReplicationGroupRef group, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (group.Mode == ReplicationMode.Async) return await _async.ReplicateNowAsync(group, timeout, cancellationToken).ConfigureAwait(false);
        // Pods have no snapshot to ship: their newest point is as current as replication gets. A stretched pod
        // that is not in sync (an array offline or resyncing) would lose the writes it holds on one side only.
        var status = await _pods.StatusAsync(group, cancellationToken).ConfigureAwait(false);
        if (group.Mode == ReplicationMode.Sync && status.Health != ReplicationHealth.Healthy)
            throw new ArrayException(ArrayErrorKind.InvalidRequest, $"pod {group.Name} is not in sync: {status.Detail}", group.Target.Name, context: group.Name);
        return status.Latest ?? throw new ArrayException(ArrayErrorKind.InvalidRequest, status.Detail, group.Target.Name, context: group.Name);
    }

    public Task<PromotedVolume> PromoteVolumeAsync(PromoteRequest request, CancellationToken cancellationToken = default) =>
        request.Group.Mode == ReplicationMode.Async ? _async.PromoteAsync(request, cancellationToken) : _pods.PromoteAsync(request, cancellationToken);

    public async Task<bool> ReleaseDrillCopyAsync(ArrayRef recoveryArray, string arrayVolumeName, string? importedAsNameId = null,
        CancellationToken cancellationToken = default)
    {
        // A guard worth its line: release destroys data, so it only ever touches what a drill made.
        if (!PureNames.IsDrillCopy(arrayVolumeName))
            throw new ArrayException(ArrayErrorKind.InvalidRequest, $"refusing to release '{arrayVolumeName}': it is not a drill copy", recoveryArray.Name, context: arrayVolumeName);
        return await DestroyCopyAsync(recoveryArray, arrayVolumeName, importedAsNameId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ReleaseRecoveryCopyAsync(ArrayRef recoveryArray, string arrayVolumeName, string? importedAsNameId = null,
        CancellationToken cancellationToken = default)
    {
        if (!PureNames.IsFailoverCopy(arrayVolumeName))
            throw new ArrayException(ArrayErrorKind.InvalidRequest, $"refusing to release '{arrayVolumeName}': it is not a recovery copy", recoveryArray.Name, context: arrayVolumeName);
        return await DestroyCopyAsync(recoveryArray, arrayVolumeName, importedAsNameId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Destroys and eradicates a copy this plugin made, under any name Cinder gave it.</summary>
    private async Task<bool> DestroyCopyAsync(ArrayRef recoveryArray, string arrayVolumeName, string? importedAsNameId, CancellationToken cancellationToken)
    {
        var client = _clients.For(recoveryArray);
        // The Cinder driver renamed an imported copy volume-<id>-cinder, and unmanage appends -unmanaged.
        string[] names = importedAsNameId is null
            ? [arrayVolumeName]
            : [arrayVolumeName, CinderVolumeName(importedAsNameId), CinderVolumeName(importedAsNameId) + "-unmanaged"];
        foreach (var name in names)
        {
            var volume = await client.FindVolumeAsync(name, cancellationToken).ConfigureAwait(false);
            if (volume is null) continue;
            if (!volume.Destroyed)
                await client.PatchVolumeAsync(name, new Rest.Models.VolumePatch(Destroyed: true), cancellationToken).ConfigureAwait(false);
            await client.EradicateVolumeAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        return false;
    }

    /// <summary>Only a protection group's points are pruned by retention; a pod's point is its link, nothing to hold.</summary>
    public async Task<IReadOnlyList<string>> HoldAsync(ReplicationGroupRef group, string recoveryPointId, string runId, IReadOnlyList<string> volumes,
        CancellationToken cancellationToken = default) =>
        group.Mode == ReplicationMode.Async ? await _async.HoldAsync(group, recoveryPointId, runId, volumes, cancellationToken).ConfigureAwait(false) : [];

    public async Task<bool> ReleaseHoldAsync(ReplicationGroupRef group, string runId, string volume, CancellationToken cancellationToken = default) =>
        group.Mode == ReplicationMode.Async && await _async.ReleaseHoldAsync(group, runId, volume, cancellationToken).ConfigureAwait(false);

    public Task<DemoteResult> DemoteSourceAsync(ReplicationGroupRef group, bool quiesce, CancellationToken cancellationToken = default) =>
        group.Mode == ReplicationMode.Async
            ? throw new ArrayException(ArrayErrorKind.InvalidRequest, "a protection group has nothing to demote: replicate now, then stop the primary", group.Source.Name, context: group.Name)
            : _pods.DemoteAsync(group, quiesce, cancellationToken);

    /// <summary>Undoes a demote of an ActiveDR pod (its undo-demote pod becomes the content again).</summary>
    public Task<IReadOnlyList<string>> UndoDemoteAsync(ReplicationGroupRef group, CancellationToken cancellationToken = default) =>
        _pods.UndoDemoteAsync(group, cancellationToken);

    public Task<ProtectionResult> ReverseAsync(ReplicationGroupRef group, IReadOnlyList<string> recoveredVolumes, TimeSpan interval,
        CancellationToken cancellationToken = default) =>
        group.Mode == ReplicationMode.Async
            ? _async.ReverseAsync(group, recoveredVolumes, interval, cancellationToken)
            : _pods.ReverseAsync(group, recoveredVolumes, cancellationToken);

    public void Dispose() => _clients.Dispose();
}
