using System.Runtime.CompilerServices;
using Draas.Plugins.Pure.Rest;
using Draas.Plugins.Pure.Rest.Models;
using Draas.Storage;
using Microsoft.Extensions.Logging;

namespace Draas.Plugins.Pure;

/// <summary>
/// Pod-based replication, one pod per plan. Sync: the pod is stretched to the recovery array (ActiveCluster),
/// every write lands on both, the recovery point is always "now". Continuous: a pod of the same name on the
/// recovery array receives writes through a pod replica link (ActiveDR); failover promotes it.
/// Either way the importable volume is a copy taken out of the pod, because Cinder will not manage a
/// volume that lives in a replicated pod.
/// </summary>
internal sealed class PodReplication(ClientPool clients, PurePluginOptions options, TimeProvider time, ILogger log)
{
    public async Task<ProtectionResult> EnsureAsync(ProtectionSpec spec, CancellationToken ct)
    {
        var source = clients.For(spec.Source);
        var target = clients.For(spec.Target);
        var name = PureNames.Group(spec.ProjectId, spec.PlanKey);
        var group = new ReplicationGroupRef(name, spec.Mode, spec.Source, spec.Target);
        var changes = new List<string>();

        await ArrayIdentity.VerifyAsync(source, spec.Source, ct).ConfigureAwait(false);
        await ArrayIdentity.VerifyAsync(target, spec.Target, ct).ConfigureAwait(false);
        var connectionType = spec.Mode == ReplicationMode.Sync ? "sync-replication" : "async-replication";

        var pod = await EnsurePodAsync(source, name, changes, ct).ConfigureAwait(false);
        var members = await EnsureMembersAsync(source, name, spec.Volumes, changes, ct).ConfigureAwait(false);

        if (spec.Mode == ReplicationMode.Sync)
        {
            if (pod.Arrays?.Any(a => a.Name == spec.Target.Name) != true)
            {
                await ArrayIdentity.RequireConnectionAsync(source, spec.Target.Name, connectionType, ct).ConfigureAwait(false);
                await source.StretchPodAsync(name, spec.Target.Name, ct).ConfigureAwait(false);
                changes.Add($"stretched pod {name} to {spec.Target.Name}");
            }
        }
        else
        {
            var links = await source.ListReplicaLinksAsync(name, ct).ConfigureAwait(false);
            if (!links.Any(l => l.RemotePod.Name == name && l.Remotes?.Any(r => r.Name == spec.Target.Name) == true))
            {
                await ArrayIdentity.RequireConnectionAsync(source, spec.Target.Name, connectionType, ct).ConfigureAwait(false);
                await EnsurePodAsync(target, name, changes, ct).ConfigureAwait(false);
                await source.CreateReplicaLinkAsync(name, spec.Target.Name, name, ct).ConfigureAwait(false);
                changes.Add($"linked pod {name} to {spec.Target.Name}:{name}");
            }
        }

        foreach (var change in changes) log.LogInformation("pod {Pod}: {Change}", name, change);
        return new ProtectionResult(group, members, changes);
    }

    public async Task<bool> RemoveAsync(ReplicationGroupRef group, CancellationToken ct)
    {
        // The volumes stay: the pod stops replicating, they move out of it, then the empty pod goes.
        var source = clients.For(group.Source);
        var pod = await source.FindPodAsync(group.Name, ct).ConfigureAwait(false);
        if (pod is null) return false;
        if (pod.Arrays?.Any(a => a.Name == group.Target.Name) == true)
            await source.UnstretchPodAsync(group.Name, group.Target.Name, ct).ConfigureAwait(false);
        foreach (var link in await source.ListReplicaLinksAsync(group.Name, ct).ConfigureAwait(false))
            await source.DeleteReplicaLinkAsync(group.Name, link.RemotePod.Name!, ct).ConfigureAwait(false);
        // Listed in full before moving any: moving while paging shifts the pages and skips volumes.
        var inPod = new List<string>();
        await foreach (var v in PodVolumesAsync(source, group.Name, ct).ConfigureAwait(false)) inPod.Add(v.Name);
        foreach (var name in inPod)
            await source.PatchVolumeAsync(name, new VolumePatch(Pod: new NamedRef("")), ct).ConfigureAwait(false);
        if (!pod.Destroyed) await source.PatchPodAsync(group.Name, new PodPatch(Destroyed: true), cancellationToken: ct).ConfigureAwait(false);
        await source.EradicatePodAsync(group.Name, ct).ConfigureAwait(false);
        return true;
    }

    public async Task<ReplicationStatus> StatusAsync(ReplicationGroupRef group, CancellationToken ct)
    {
        // Asked of the recovery array: it is the side that matters, and the source may be gone.
        var target = clients.For(group.Target);
        var pod = await target.FindPodAsync(group.Name, ct).ConfigureAwait(false);
        if (pod is null)
            return new ReplicationStatus(group, ReplicationHealth.Broken, null, null, false, null, $"pod {group.Name} is not on {group.Target.Name}");

        if (group.Mode == ReplicationMode.Sync)
        {
            var offline = pod.Arrays?.Where(a => a.Status != "online").ToList() ?? [];
            var now = time.GetUtcNow();
            if (pod.Arrays?.Any(a => a.Name == group.Source.Name) != true)
                return new ReplicationStatus(group, ReplicationHealth.Broken, null, null, true, null, $"pod {group.Name} is not stretched to {group.Source.Name}");
            if (offline.Count == 0)
                return new ReplicationStatus(group, ReplicationHealth.Healthy, TimeSpan.Zero, Now(group, now), true, TimeSpan.Zero, "in sync");
            var frozen = offline.Select(a => a.FrozenAt).FirstOrDefault(f => f is not null);
            var point = frozen is long f ? new RecoveryPoint($"{group.Name}@{f}", DateTimeOffset.FromUnixTimeMilliseconds(f)) : Now(group, now);
            return new ReplicationStatus(group, ReplicationHealth.Degraded, now - point.Time, point, true, TimeSpan.Zero,
                $"{string.Join(", ", offline.Select(a => $"{a.Name} is {a.Status}"))}");
        }

        var link = (await target.ListReplicaLinksAsync(group.Name, ct).ConfigureAwait(false)).FirstOrDefault();
        if (link is null)
            return new ReplicationStatus(group, ReplicationHealth.Broken, null, null, false, null, $"pod {group.Name} has no replica link");
        var latest = LinkPoint(group, link);
        var lag = link.Lag is long lagMs ? TimeSpan.FromMilliseconds(lagMs) : (TimeSpan?)null;
        var health = link.Status switch
        {
            "replicating" => ReplicationHealth.Healthy,
            "baselining" or "quiescing" or "quiesced" or "idle" => ReplicationHealth.Degraded,
            _ => ReplicationHealth.Broken,
        };
        return new ReplicationStatus(group, health, lag, latest, !link.Paused, null, $"replica link is {link.Status}");
    }

    public async IAsyncEnumerable<RecoveryPoint> ListAsync(ReplicationGroupRef group, [EnumeratorCancellation] CancellationToken ct)
    {
        var status = await StatusAsync(group, ct).ConfigureAwait(false);
        if (status.Latest is not null) yield return status.Latest;
    }

    public async Task<PromotedVolume> PromoteAsync(PromoteRequest request, CancellationToken ct)
    {
        var group = request.Group;
        var target = clients.For(group.Target);
        var podVolume = PureNames.InPod(group.Name, request.SourceVolume);
        var name = request.Purpose == PromotePurpose.Drill
            ? PureNames.DrillCopy(request.RunId, request.SourceVolume)
            : PureNames.FailoverCopy(request.RunId, request.SourceVolume);

        var existing = await VolumeCopier.FindOwnCopyAsync(target, name, s => s == podVolume, ct).ConfigureAwait(false);
        if (existing is not null)
        {
            var when = DateTimeOffset.FromUnixTimeMilliseconds(existing.Created ?? 0);
            return VolumeCopier.Result(existing, new RecoveryPoint($"{group.Name}@{existing.Created}", when, group.Mode == ReplicationMode.Sync), false);
        }

        RecoveryPoint point;
        if (group.Mode == ReplicationMode.Sync)
        {
            point = Now(group, time.GetUtcNow());
        }
        else
        {
            var link = (await target.ListReplicaLinksAsync(group.Name, ct).ConfigureAwait(false)).FirstOrDefault()
                ?? throw new ArrayException(ArrayErrorKind.NotFound, $"pod {group.Name} has no replica link on {group.Target.Name}",
                    group.Target.Name, context: group.Name);
            point = LinkPoint(group, link) ?? throw new ArrayException(ArrayErrorKind.InvalidRequest,
                $"pod {group.Name} is still baselining: there is no recovery point yet", group.Target.Name, context: group.Name);
            if (request.Purpose == PromotePurpose.Failover) await PromotePodAsync(target, group.Name, ct).ConfigureAwait(false);
        }

        var volume = await target.FindVolumeAsync(podVolume, ct).ConfigureAwait(false)
            ?? throw new ArrayException(ArrayErrorKind.NotFound, $"{podVolume} is not on {group.Target.Name}", group.Target.Name, context: podVolume);
        var copy = await VolumeCopier.CopyAsync(target, name, podVolume, volume.Space?.Virtual ?? 0, ct).ConfigureAwait(false);
        log.LogInformation("{Purpose}: copied {Source} to {Volume} on {Array}", request.Purpose, podVolume, name, group.Target.Name);
        return VolumeCopier.Result(copy, point, createdNow: true);
    }

    public async Task<DemoteResult> DemoteAsync(ReplicationGroupRef group, bool quiesce, CancellationToken ct)
    {
        if (group.Mode != ReplicationMode.Continuous)
            throw new ArrayException(ArrayErrorKind.InvalidRequest, "only an ActiveDR (continuous) pod is demoted; a stretched pod is active on both arrays", group.Source.Name);
        var source = clients.For(group.Source);
        var pod = await source.FindPodAsync(group.Name, ct).ConfigureAwait(false)
            ?? throw new ArrayException(ArrayErrorKind.NotFound, $"pod {group.Name} does not exist", group.Source.Name, context: group.Name);
        var undo = $"{group.Name}.undo-demote";
        if (pod.PromotionStatus == "demoted") return new DemoteResult(group, quiesce, undo, []);
        var switches = quiesce ? new Query { { "quiesce", true } } : new Query { { "skip_quiesce", true } };
        await source.PatchPodAsync(group.Name, new PodPatch(RequestedPromotionState: "demoted"), switches, ct).ConfigureAwait(false);
        return new DemoteResult(group, quiesce, undo, [$"demoted pod {group.Name} on {group.Source.Name}{(quiesce ? " after quiescing" : " without quiescing")}"]);
    }

    /// <summary>Undo a demote (a cancelled planned migration): a target pod the switch promoted is demoted again
    /// without quiesce (it holds only what the quiesced source sent it), then the source pod is promoted from its
    /// undo-demote pod, so it takes writes again with the contents it had, and the link runs source → target again.
    /// A source already promoted, with a demoted target, is left as it is.</summary>
    public async Task<IReadOnlyList<string>> UndoDemoteAsync(ReplicationGroupRef group, CancellationToken ct)
    {
        if (group.Mode != ReplicationMode.Continuous)
            throw new ArrayException(ArrayErrorKind.InvalidRequest, "only an ActiveDR (continuous) pod is demoted, so only its demote is undone", group.Source.Name);
        var changes = new List<string>();
        var source = clients.For(group.Source);
        var target = clients.For(group.Target);
        var pod = await source.FindPodAsync(group.Name, ct).ConfigureAwait(false)
            ?? throw new ArrayException(ArrayErrorKind.NotFound, $"pod {group.Name} does not exist", group.Source.Name, context: group.Name);
        var replica = await target.FindPodAsync(group.Name, ct).ConfigureAwait(false);
        if (replica is { PromotionStatus: not "demoted" })
        {
            // Both sides promoted would mean two writable copies and no replication: the target goes back first.
            await target.PatchPodAsync(group.Name, new PodPatch(RequestedPromotionState: "demoted"), new Query { { "skip_quiesce", true } }, ct).ConfigureAwait(false);
            changes.Add($"demoted pod {group.Name} on {group.Target.Name} again: it is the replica");
        }
        if (pod.PromotionStatus != "promoted")
        {
            await PromotePodAsync(source, group.Name, ct, new Query { { "promote_from", $"{group.Name}.undo-demote" } }).ConfigureAwait(false);
            changes.Add($"promoted pod {group.Name} on {group.Source.Name} again from {group.Name}.undo-demote: it takes writes");
        }
        return changes;
    }

    /// <summary>
    /// Reprotect after a failover: the volumes in service at the recovery array (the copies made by promote)
    /// move into the recovery-side pod, which is then the source. Continuous: that pod is promoted and the
    /// old source demoted without quiesce (its data is the older side), so the link carries writes back.
    /// Sync: the pod is still stretched, so the moved volumes are mirrored back as soon as the arrays meet; the
    /// volumes the workload left behind move out of it on the side it left (where that site's Cinder names
    /// them without the pod), so the pod holds exactly what now runs and the stale copies stop replicating.
    /// </summary>
    public async Task<ProtectionResult> ReverseAsync(ReplicationGroupRef group, IReadOnlyList<string> recovered, CancellationToken ct)
    {
        var reversed = group.Reversed();
        var changes = new List<string>();
        var recovery = clients.For(group.Target);
        if (group.Mode == ReplicationMode.Continuous) await PromotePodAsync(recovery, group.Name, ct).ConfigureAwait(false);

        var members = new List<string>();
        foreach (var volume in recovered)
        {
            var inPod = PureNames.InPod(group.Name, volume);
            members.Add(inPod);
            if (await recovery.FindVolumeAsync(inPod, ct).ConfigureAwait(false) is not null) continue;
            await recovery.PatchVolumeAsync(volume, new VolumePatch(Pod: new NamedRef(group.Name)), ct).ConfigureAwait(false);
            changes.Add($"moved {volume} into pod {group.Name} on {group.Target.Name}");
        }

        if (group.Mode == ReplicationMode.Sync)
        {
            var old = clients.For(group.Source);
            var keep = recovered.Select(PureNames.Leaf).ToHashSet(StringComparer.Ordinal);
            // Listed in full before moving any: moving while paging shifts the pages.
            var stale = new List<string>();
            await foreach (var v in PodVolumesAsync(old, group.Name, ct).ConfigureAwait(false))
                if (!keep.Contains(PureNames.Leaf(v.Name))) stale.Add(v.Name);
            foreach (var name in stale.Order(StringComparer.Ordinal))
            {
                await old.PatchVolumeAsync(name, new VolumePatch(Pod: new NamedRef("")), ct).ConfigureAwait(false);
                changes.Add($"moved {name} out of pod {group.Name} on {group.Source.Name}");
            }
        }
        if (group.Mode == ReplicationMode.Continuous)
        {
            var demoted = await DemoteAsync(group, quiesce: false, ct).ConfigureAwait(false);
            changes.AddRange(demoted.Changes);
        }
        return new ProtectionResult(reversed, members, changes);
    }

    private async Task PromotePodAsync(FlashArrayClient array, string name, CancellationToken ct, Query? switches = null)
    {
        var pod = await array.FindPodAsync(name, ct).ConfigureAwait(false)
            ?? throw new ArrayException(ArrayErrorKind.NotFound, $"pod {name} does not exist", array.ArrayName, context: name);
        if (pod.PromotionStatus == "promoted") return;
        if (pod.RequestedPromotionState != "promoted")
            pod = await array.PatchPodAsync(name, new PodPatch(RequestedPromotionState: "promoted"), switches, ct).ConfigureAwait(false);
        var deadline = time.GetUtcNow() + options.PromotionTimeout;
        while (pod.PromotionStatus != "promoted")
        {
            if (time.GetUtcNow() >= deadline)
                throw new ArrayException(ArrayErrorKind.Timeout, $"pod {name} still {pod.PromotionStatus} after {options.PromotionTimeout}", array.ArrayName, context: name);
            await Task.Delay(options.PollInterval, time, ct).ConfigureAwait(false);
            pod = await array.FindPodAsync(name, ct).ConfigureAwait(false) ?? pod;
        }
        log.LogInformation("promoted pod {Pod} on {Array}", name, array.ArrayName);
    }

    private static async Task<Pod> EnsurePodAsync(FlashArrayClient array, string name, List<string> changes, CancellationToken ct)
    {
        var pod = await array.FindPodAsync(name, ct).ConfigureAwait(false);
        if (pod is null)
        {
            changes.Add($"created pod {name} on {array.ArrayName}");
            return await array.CreatePodAsync(name, ct).ConfigureAwait(false);
        }
        if (!pod.Destroyed) return pod;
        changes.Add($"recovered destroyed pod {name} on {array.ArrayName}");
        return await array.PatchPodAsync(name, new PodPatch(Destroyed: false), cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>Moves the plan's volumes into the pod (the array renames them <c>pod::vol</c>) and any
    /// other volume out of it, so the pod holds exactly the plan.</summary>
    private static async Task<List<string>> EnsureMembersAsync(FlashArrayClient source, string pod, IReadOnlyList<string> volumes,
        List<string> changes, CancellationToken ct)
    {
        var inPod = new HashSet<string>();
        await foreach (var v in PodVolumesAsync(source, pod, ct).ConfigureAwait(false)) inPod.Add(v.Name);
        var wanted = volumes.Select(v => PureNames.InPod(pod, v)).ToList();
        foreach (var (volume, podName) in volumes.Zip(wanted))
        {
            if (inPod.Contains(podName)) continue;
            await source.PatchVolumeAsync(volume, new VolumePatch(Pod: new NamedRef(pod)), ct).ConfigureAwait(false);
            changes.Add($"moved {volume} into pod {pod}");
        }
        foreach (var stray in inPod.Except(wanted).Order())
        {
            await source.PatchVolumeAsync(stray, new VolumePatch(Pod: new NamedRef("")), ct).ConfigureAwait(false);
            changes.Add($"moved {stray} out of pod {pod}");
        }
        return wanted;
    }

    private static IAsyncEnumerable<Volume> PodVolumesAsync(FlashArrayClient array, string pod, CancellationToken ct) =>
        array.ListVolumesAsync(new Query { { "filter", $"pod.name='{pod}'" }, { "destroyed", false } }, ct);

    private static RecoveryPoint Now(ReplicationGroupRef group, DateTimeOffset now) =>
        new($"{group.Name}@now", now, IsCurrent: true);

    private static RecoveryPoint? LinkPoint(ReplicationGroupRef group, PodReplicaLink link) =>
        link.RecoveryPoint is long rp ? new RecoveryPoint($"{group.Name}@{rp}", DateTimeOffset.FromUnixTimeMilliseconds(rp)) : null;
}
