using System.Runtime.CompilerServices;
using Draas.Plugins.Pure.Rest;
using Draas.Plugins.Pure.Rest.Models;
using Draas.Storage;
using Microsoft.Extensions.Logging;

namespace Draas.Plugins.Pure;

/// <summary>
/// Async replication with one protection group per plan, the way Cinder's Pure driver sets it up: group,
/// members, target, the target allowed on the recovery array, retention and an enabled schedule.
/// Recovery points are the group snapshots whose transfer to the recovery array completed.
/// </summary>
internal sealed class AsyncReplication(ClientPool clients, PurePluginOptions options, TimeProvider time, ILogger log)
{
    public Task<ProtectionResult> EnsureAsync(ProtectionSpec spec, CancellationToken ct) =>
        EnsureAsync(PureNames.Group(spec.ProjectId, spec.PlanKey), spec, ct);

    /// <summary>Reprotect: the recovered volumes, now in service at the recovery array, replicated back
    /// by a group of the same name on that array.</summary>
    public Task<ProtectionResult> ReverseAsync(ReplicationGroupRef group, IReadOnlyList<string> recovered, TimeSpan interval,
        CancellationToken ct) =>
        EnsureAsync(group.Name, new ProtectionSpec("", "", group.Target, group.Source, ReplicationMode.Async, interval,
            RetentionPolicy.Default, recovered), ct);

    private async Task<ProtectionResult> EnsureAsync(string name, ProtectionSpec spec, CancellationToken ct)
    {
        var source = clients.For(spec.Source);
        var target = clients.For(spec.Target);
        var group = new ReplicationGroupRef(name, ReplicationMode.Async, spec.Source, spec.Target);
        var changes = new List<string>();

        await ArrayIdentity.VerifyAsync(source, spec.Source, ct).ConfigureAwait(false);
        await ArrayIdentity.VerifyAsync(target, spec.Target, ct).ConfigureAwait(false);
        // One call proves every member exists: the array fails the request naming the first one missing.
        if (spec.Volumes.Count > 0) await source.GetVolumesAsync(spec.Volumes, ct).ConfigureAwait(false);

        var pg = await source.FindProtectionGroupAsync(name, ct).ConfigureAwait(false);
        if (pg is null)
        {
            pg = await source.CreateProtectionGroupAsync(name, ct).ConfigureAwait(false);
            changes.Add($"created protection group {name}");
        }
        else if (pg.Destroyed)
        {
            pg = await source.PatchProtectionGroupAsync(name, new ProtectionGroupPatch(Destroyed: false), ct).ConfigureAwait(false);
            changes.Add($"recovered destroyed protection group {name}");
        }

        var members = (await source.ListGroupVolumesAsync(name, ct).ConfigureAwait(false)).Select(m => m.Member.Name!).ToHashSet();
        var missing = spec.Volumes.Where(v => !members.Contains(v)).ToList();
        var extra = members.Where(m => !spec.Volumes.Contains(m)).Order().ToList();
        if (missing.Count > 0)
        {
            await source.AddGroupVolumesAsync(name, missing, ct).ConfigureAwait(false);
            changes.Add($"added members {string.Join(", ", missing)}");
        }
        if (extra.Count > 0)
        {
            await source.RemoveGroupVolumesAsync(name, extra, ct).ConfigureAwait(false);
            changes.Add($"removed members {string.Join(", ", extra)}");
        }

        var targets = await source.ListGroupTargetsAsync(name, ct).ConfigureAwait(false);
        var ours = targets.FirstOrDefault(t => t.Member.Name == spec.Target.Name);
        if (ours is null)
        {
            await ArrayIdentity.RequireConnectionAsync(source, spec.Target.Name, "async-replication", ct).ConfigureAwait(false);
            await source.AddGroupTargetAsync(name, spec.Target.Name, ct).ConfigureAwait(false);
            changes.Add($"added target {spec.Target.Name}");
        }
        if (ours?.Allowed != true)
        {
            await target.AllowReplicaGroupAsync(PureNames.ReplicaGroup(spec.Source.Name, name), ct).ConfigureAwait(false);
            changes.Add($"allowed {PureNames.ReplicaGroup(spec.Source.Name, name)} on {spec.Target.Name}");
        }

        var schedule = new ReplicationSchedule(Enabled: true, Frequency: FlashArrayClient.ToMilliseconds(spec.Interval));
        var retention = new Retention((long)spec.Retention.KeepAllFor.TotalSeconds, spec.Retention.PerDay, spec.Retention.Days);
        var scheduleOk = pg.ReplicationSchedule?.Enabled == true && pg.ReplicationSchedule.Frequency == schedule.Frequency;
        var retentionOk = pg.TargetRetention == retention;
        if (!scheduleOk || !retentionOk)
        {
            await source.PatchProtectionGroupAsync(name, new ProtectionGroupPatch(
                ReplicationSchedule: scheduleOk ? null : schedule,
                TargetRetention: retentionOk ? null : retention), ct).ConfigureAwait(false);
            if (!retentionOk) changes.Add($"set target retention to {retention.AllForSec}s, {retention.PerDay}/day for {retention.Days} days");
            if (!scheduleOk) changes.Add($"set replication every {spec.Interval.TotalSeconds:0}s");
        }

        foreach (var change in changes) log.LogInformation("protection group {Group}: {Change}", name, change);
        return new ProtectionResult(group, spec.Volumes.ToList(), changes);
    }

    public async Task<bool> RemoveAsync(ReplicationGroupRef group, CancellationToken ct)
    {
        var source = clients.For(group.Source);
        var pg = await source.FindProtectionGroupAsync(group.Name, ct).ConfigureAwait(false);
        if (pg is null) return false;
        if (!pg.Destroyed) await source.PatchProtectionGroupAsync(group.Name, new ProtectionGroupPatch(Destroyed: true), ct).ConfigureAwait(false);
        await source.EradicateProtectionGroupAsync(group.Name, ct).ConfigureAwait(false);
        return true;
    }

    public async Task<ReplicationStatus> StatusAsync(ReplicationGroupRef group, CancellationToken ct)
    {
        var source = clients.For(group.Source);
        var pg = await source.FindProtectionGroupAsync(group.Name, ct).ConfigureAwait(false);
        if (pg is null || pg.Destroyed)
            return new ReplicationStatus(group, ReplicationHealth.Broken, null, null, false, null, $"protection group {group.Name} does not exist");

        var interval = pg.ReplicationSchedule?.Frequency is long ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        var enabled = pg.ReplicationSchedule?.Enabled == true;
        var latest = await NewestAsync(group, ct).ConfigureAwait(false);
        var lag = latest is null ? (TimeSpan?)null : time.GetUtcNow() - latest.Time;

        var target = (await source.ListGroupTargetsAsync(group.Name, ct).ConfigureAwait(false))
            .FirstOrDefault(t => t.Member.Name == group.Target.Name);
        var link = (await source.ListArrayConnectionsAsync(ct).ConfigureAwait(false))
            .Where(c => (c.Remote?.Name ?? c.Name) == group.Target.Name)
            .OrderBy(c => c.Type == "async-replication" ? 0 : 1).FirstOrDefault();

        var (health, detail) = (target, link) switch
        {
            (null, _) => (ReplicationHealth.Broken, $"{group.Target.Name} is not a target of {group.Name}"),
            ({ Allowed: not true }, _) => (ReplicationHealth.Broken, $"{group.Target.Name} has not allowed {group.Name}"),
            (_, null) => (ReplicationHealth.Broken, $"no array connection to {group.Target.Name}"),
            (_, { Status: not "connected" }) => (ReplicationHealth.Broken, $"array connection to {group.Target.Name} is {link!.Status}"),
            _ when !enabled => (ReplicationHealth.Broken, "replication schedule is disabled"),
            _ when latest is null => (ReplicationHealth.Degraded, "no completed recovery point yet"),
            _ when interval is { } i && lag > i * options.DegradedAfterIntervals =>
                (ReplicationHealth.Degraded, $"newest recovery point is {lag:g} old, more than {options.DegradedAfterIntervals} intervals"),
            _ => (ReplicationHealth.Healthy, "replicating"),
        };
        return new ReplicationStatus(group, health, lag, latest, enabled, interval, detail);
    }

    /// <summary>Completed replicated snapshots on the recovery array, newest first. Never touches the source,
    /// which may be gone.</summary>
    public async IAsyncEnumerable<RecoveryPoint> ListAsync(ReplicationGroupRef group, [EnumeratorCancellation] CancellationToken ct)
    {
        var target = clients.For(group.Target);
        var replica = PureNames.ReplicaGroup(group.Source.Name, group.Name);
        var created = new Dictionary<string, long>();
        await foreach (var snap in target.ListGroupSnapshotsAsync(replica, ct).ConfigureAwait(false))
        {
            if (snap.Created is long c) created[snap.Name] = c;
        }
        await foreach (var transfer in target.ListCompletedTransfersAsync(replica, ct).ConfigureAwait(false))
        {
            if (transfer.Destroyed || transfer.Progress < 1.0 || transfer.Completed is null) continue;
            var when = created.TryGetValue(transfer.Name, out var c) ? c : transfer.Started ?? transfer.Completed.Value;
            yield return new RecoveryPoint(transfer.Name, DateTimeOffset.FromUnixTimeMilliseconds(when));
        }
    }

    public async Task<RecoveryPoint> ReplicateNowAsync(ReplicationGroupRef group, TimeSpan timeout, CancellationToken ct)
    {
        var source = clients.For(group.Source);
        var target = clients.For(group.Target);
        var snapshot = await source.SnapshotAndReplicateAsync(group.Name, ct).ConfigureAwait(false);
        var replicated = $"{group.Source.Name}:{snapshot.Name}";
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var transfer = await target.FindTransferAsync(replicated, ct).ConfigureAwait(false);
            if (transfer is { Progress: >= 1.0, Completed: not null })
            {
                var when = snapshot.Created ?? transfer.Started ?? transfer.Completed.Value;
                return new RecoveryPoint(replicated, DateTimeOffset.FromUnixTimeMilliseconds(when));
            }
            if (time.GetUtcNow() >= deadline)
            {
                throw new ArrayException(ArrayErrorKind.Timeout,
                    $"{replicated} did not reach {group.Target.Name} within {timeout} (progress {transfer?.Progress ?? 0:P0})",
                    group.Target.Name, context: replicated);
            }
            await Task.Delay(options.PollInterval, time, ct).ConfigureAwait(false);
        }
    }

    public async Task<PromotedVolume> PromoteAsync(PromoteRequest request, CancellationToken ct)
    {
        var group = request.Group;
        var target = clients.For(group.Target);
        var name = request.Purpose == PromotePurpose.Drill
            ? PureNames.DrillCopy(request.RunId, request.SourceVolume)
            : PureNames.FailoverCopy(request.RunId, request.SourceVolume);
        var replicaPrefix = PureNames.ReplicaGroup(group.Source.Name, group.Name) + ".";
        var leaf = PureNames.Leaf(request.SourceVolume);

        // Which name the array reports as a copy's source is not pinned down for copies of snapshots:
        // the snapshot itself (the simulator) or the volume it was taken of. Both count as ours.
        var holdName = PureNames.HoldCopy(request.RunId, request.SourceVolume);
        bool IsOurSource(string? source) => source is not null &&
            ((source.StartsWith(replicaPrefix, StringComparison.Ordinal) && source.EndsWith("." + leaf, StringComparison.Ordinal))
             || IsSourceVolume(source, group, leaf) || source == holdName);

        var existing = await VolumeCopier.FindOwnCopyAsync(target, name, IsOurSource, ct).ConfigureAwait(false);
        if (existing is not null)
        {
            var source = existing.Source!.Name!;
            var pointId = source.StartsWith(replicaPrefix, StringComparison.Ordinal) ? source[..^(leaf.Length + 1)]
                : source == holdName ? request.RecoveryPointId : null;
            return VolumeCopier.Result(existing, await PointAsync(group, pointId, existing, ct).ConfigureAwait(false), createdNow: false);
        }

        RecoveryPoint point;
        string snapshotName;
        Volume copy;
        try
        {
            point = await ChooseAsync(group, request.RecoveryPointId, ct).ConfigureAwait(false);
            snapshotName = PureNames.MemberSnapshot(point.Id, request.SourceVolume);
            var snapshot = await target.FindVolumeSnapshotAsync(snapshotName, ct).ConfigureAwait(false)
                ?? throw new ArrayException(ArrayErrorKind.NotFound,
                    $"recovery point {point.Id} holds no snapshot of {request.SourceVolume} (was it a member then?)",
                    group.Target.Name, context: snapshotName);
            copy = await VolumeCopier.CopyAsync(target, name, snapshotName, snapshot.Space?.Virtual ?? 0, ct).ConfigureAwait(false);
        }
        catch (ArrayException e) when (e.Kind == ArrayErrorKind.NotFound && request.RecoveryPointId is not null)
        {
            // Retention pruned the point since the run chose it (before or during this call): the run's hold
            // of this volume has the same data.
            var hold = await target.FindVolumeAsync(holdName, ct).ConfigureAwait(false);
            if (hold is not { Destroyed: false }) throw;
            var held = await VolumeCopier.CopyAsync(target, name, hold.Name, hold.Provisioned, ct).ConfigureAwait(false);
            log.LogInformation("{Purpose}: recovery point {Point} was pruned; copied the run's hold {Hold} to {Volume} on {Array}",
                request.Purpose, request.RecoveryPointId, hold.Name, name, group.Target.Name);
            return VolumeCopier.Result(held, new RecoveryPoint(request.RecoveryPointId, DateTimeOffset.FromUnixTimeMilliseconds(hold.Created ?? 0)), createdNow: true);
        }
        log.LogInformation("{Purpose}: copied {Snapshot} to {Volume} on {Array}", request.Purpose, snapshotName, name, group.Target.Name);
        return VolumeCopier.Result(copy, point, createdNow: true);
    }

    /// <summary>Holds each volume's snapshot in the point as a volume named for the run: a copy of a snapshot,
    /// which retention never prunes. No room check: on a FlashArray a copy shares its source's data. The copies
    /// are made a few at a time: they are on a run's critical path (its preflight), one after another they
    /// would cost a tenant of many volumes as many copy times.</summary>
    public async Task<IReadOnlyList<string>> HoldAsync(ReplicationGroupRef group, string pointId, string runId, IReadOnlyList<string> volumes, CancellationToken ct)
    {
        var target = clients.For(group.Target);
        var held = new string[volumes.Count];
        await Parallel.ForAsync(0, volumes.Count, new ParallelOptions { MaxDegreeOfParallelism = HoldsAtOnce, CancellationToken = ct }, async (i, token) =>
            held[i] = await HoldOneAsync(target, group, pointId, runId, volumes[i], token).ConfigureAwait(false)).ConfigureAwait(false);
        if (held.Length > 0) log.LogInformation("held recovery point {Point} for run {Run}: {Count} volume(s) on {Array}", pointId, runId, held.Length, group.Target.Name);
        return held;
    }

    private const int HoldsAtOnce = 8;

    private static async Task<string> HoldOneAsync(FlashArrayClient target, ReplicationGroupRef group, string pointId, string runId, string volume, CancellationToken ct)
    {
        var name = PureNames.HoldCopy(runId, volume);
        var snapshot = PureNames.MemberSnapshot(pointId, volume);
        var existing = await target.FindVolumeAsync(name, ct).ConfigureAwait(false);
        // A copy of a snapshot names as its source the snapshot (the simulator) or the volume it was taken of.
        var leaf = PureNames.Leaf(volume);
        if (existing is { Destroyed: false } && existing.Source?.Name is { } from && (from == snapshot || IsSourceVolume(from, group, leaf)))
            return name;
        if (existing is not null)
            throw new ArrayException(ArrayErrorKind.AlreadyExists, $"volume name clash: '{name}' exists and is not this run's hold of {snapshot}", group.Target.Name, context: name);
        if (await target.FindVolumeSnapshotAsync(snapshot, ct).ConfigureAwait(false) is null)
            throw new ArrayException(ArrayErrorKind.NotFound, $"recovery point {pointId} holds no snapshot of {volume} (pruned, or not a member then)", group.Target.Name, context: snapshot);
        try
        {
            await target.CopyVolumeAsync(name, snapshot, ct).ConfigureAwait(false);
        }
        catch (ArrayException e) when (e.Kind == ArrayErrorKind.AlreadyExists)
        {
            // A retried POST whose first answer was lost.
        }
        return name;
    }

    /// <summary>A copy of a snapshot may name as its source the volume the snapshot was taken of, as the target
    /// array knows it: by its leaf name or through the source array (<c>array-a:volume</c>).</summary>
    private static bool IsSourceVolume(string source, ReplicationGroupRef group, string leaf) =>
        source == leaf || source == $"{group.Source.Name}:{leaf}";

    public async Task<bool> ReleaseHoldAsync(ReplicationGroupRef group, string runId, string volume, CancellationToken ct)
    {
        var target = clients.For(group.Target);
        var name = PureNames.HoldCopy(runId, volume);
        var hold = await target.FindVolumeAsync(name, ct).ConfigureAwait(false);
        if (hold is null) return false;
        if (!hold.Destroyed) await target.PatchVolumeAsync(name, new VolumePatch(Destroyed: true), ct).ConfigureAwait(false);
        await target.EradicateVolumeAsync(name, ct).ConfigureAwait(false);
        return true;
    }

    private async Task<RecoveryPoint?> NewestAsync(ReplicationGroupRef group, CancellationToken ct)
    {
        await foreach (var point in ListAsync(group, ct).ConfigureAwait(false)) return point;
        return null;
    }

    private async Task<RecoveryPoint> ChooseAsync(ReplicationGroupRef group, string? id, CancellationToken ct)
    {
        await foreach (var point in ListAsync(group, ct).ConfigureAwait(false))
        {
            if (id is null || point.Id == id) return point;
        }
        throw new ArrayException(ArrayErrorKind.NotFound,
            id is null ? $"{group.Name} has no completed recovery point on {group.Target.Name} yet" : $"recovery point {id} is not available (not replicated, or expired)",
            group.Target.Name, context: id ?? group.Name);
    }

    /// <summary>The recovery point an earlier copy came from: by id when its source names the snapshot,
    /// else the newest point not younger than the copy. Its time falls back to the copy's creation when
    /// retention has since removed the snapshot.</summary>
    private async Task<RecoveryPoint> PointAsync(ReplicationGroupRef group, string? id, Volume copy, CancellationToken ct)
    {
        var copied = DateTimeOffset.FromUnixTimeMilliseconds(copy.Created ?? 0);
        await foreach (var point in ListAsync(group, ct).ConfigureAwait(false))
        {
            if (id is null ? point.Time <= copied : point.Id == id) return point;
        }
        return new RecoveryPoint(id ?? $"{group.Name}@{copy.Created}", copied);
    }
}
