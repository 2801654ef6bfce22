namespace Draas.Simulators.FlashArray.Model;

/// <summary>
/// Moves the world forward to "now": scheduled group snapshots are taken at their due instant, transfers
/// progress at the link's bandwidth while the link is up and land on the target when done, retention
/// trims old replicas, ActiveDR targets trail their source by the configured lag, pods finish promoting.
/// Events are processed in time order, so a jump of hours behaves like hours passing. Call under the lock.
/// </summary>
public sealed class ReplicationEngine(SimWorld world)
{
    public void CatchUp()
    {
        var now = world.Clock.GetUtcNow();
        if (world.ProcessedUntil == default) world.ProcessedUntil = now;
        for (var guard = 0; ; guard++)
        {
            // Each pass fires at least one event; this many without an end means an engine bug, not a busy world.
            if (guard > 1_000_000) throw new InvalidOperationException("replication engine made no progress");
            var next = NextEvent();
            if (next is null || next > now) { Progress(now); return; }
            Progress(next.Value);
            Fire(next.Value);
        }
    }

    /// <summary>Takes a group snapshot now (scheduled or asked for) and starts shipping it to allowed targets.</summary>
    public SimPgSnapshot Snapshot(SimArray array, SimProtectionGroup pg, DateTimeOffset at, string? suffix, bool replicate)
    {
        var name = $"{pg.Name}.{suffix ?? pg.NextSnapshotNumber++.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        if (array.PgSnapshots.ContainsKey(name)) throw SimError.Exists("Protection group snapshot", name);
        var members = pg.Members.Where(v => !v.Destroyed)
            .ToDictionary(v => v.LeafName, v => (v.Provisioned, v.Data.Copy(at)));
        var snap = new SimPgSnapshot { Id = world.NewId(), Name = name, GroupName = pg.Name, Created = at, Members = members, Suffix = suffix };
        array.PgSnapshots[name] = snap;
        foreach (var (leaf, (provisioned, data)) in members)
        {
            var vs = $"{name}.{leaf}";
            array.VolumeSnapshots[vs] = new SimVolumeSnapshot
            {
                Id = world.NewId(),
                Serial = world.NewSerial(),
                Name = vs,
                SourceName = leaf,
                Provisioned = provisioned,
                Created = at,
                Data = data.Copy(),
            };
        }
        if (replicate)
        {
            foreach (var target in pg.Targets.Where(t => t.Allowed)) StartTransfer(array, pg, snap, world.Array(target.Array), at);
        }
        // Source retention; a snapshot still being shipped is kept whatever its age.
        ApplyRetention(array, pg.Name, pg.SourceRetention, at, s => s.Transfer is null or { Completed: not null });
        return snap;
    }

    private void StartTransfer(SimArray source, SimProtectionGroup pg, SimPgSnapshot snap, SimArray target, DateTimeOffset at)
    {
        // Only what changed since the previous completed transfer crosses the link (the first one is the baseline).
        var previous = source.PgSnapshots.Values
            .Where(s => s.GroupName == pg.Name && s != snap && s.Transfer is { Completed: not null } t && t.TargetArray == target.Name)
            .MaxBy(s => s.Created);
        long bytes = 0;
        foreach (var (leaf, (_, data)) in snap.Members)
        {
            var before = previous?.Members.GetValueOrDefault(leaf).Data?.Writes.Count ?? 0;
            bytes += data.Writes.Skip(before).Sum(w => w.Bytes);
        }
        var transfer = new SimTransfer { SourceArray = source.Name, TargetArray = target.Name, Bytes = bytes, Started = at };
        snap.Transfer = transfer;
        var replicaName = $"{source.Name}:{snap.Name}";
        target.PgSnapshots[replicaName] = new SimPgSnapshot
        {
            Id = world.NewId(),
            Name = replicaName,
            GroupName = $"{source.Name}:{pg.Name}",
            Created = snap.Created,
            Members = snap.Members,
            Transfer = transfer,
            Suffix = snap.Suffix,
        };
        // Nothing changed: the replica lands at once, but only over a working link.
        if (bytes == 0 && world.LinkUp(source, target)) Complete(target, target.PgSnapshots[replicaName], at);
    }

    private DateTimeOffset? NextEvent()
    {
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset? t) { if (t is { } v && (next is null || v < next)) next = v; }

        foreach (var array in world.Arrays.Values)
        {
            foreach (var pg in array.ProtectionGroups.Values)
            {
                if (pg.IsLocal && !pg.Destroyed && pg.ReplicationSchedule.Enabled) Consider(pg.NextReplicationAt);
                if (pg.IsLocal && !pg.Destroyed && pg.SnapshotSchedule.Enabled) Consider(pg.NextSnapshotAt);
            }
            foreach (var snap in array.PgSnapshots.Values)
            {
                if (snap.Transfer is { Completed: null } t && snap.Name.Contains(':') && world.LinkUp(world.Array(t.SourceArray), array))
                    Consider(world.ProcessedUntil + TimeSpan.FromTicks((long)Math.Ceiling(
                        Math.Max(0, t.Bytes - t.DoneBytes) / world.Options.BandwidthBytesPerSecond * TimeSpan.TicksPerSecond)));
            }
            foreach (var pod in array.Pods.Values)
            {
                if (pod.PromotionStatus == "promoting") Consider(pod.PromotedAt);
            }
        }
        return next;
    }

    /// <summary>Clock ticks are 100 ns; a transfer within one tick of done is done.</summary>
    private double BytesPerTick => (double)world.Options.BandwidthBytesPerSecond / TimeSpan.TicksPerSecond + 1;

    /// <summary>Continuous processes up to <paramref name="to"/>: transfer progress and ActiveDR mirroring.</summary>
    private void Progress(DateTimeOffset to)
    {
        var seconds = Math.Max(0, (to - world.ProcessedUntil).TotalSeconds);
        foreach (var target in world.Arrays.Values)
        {
            foreach (var snap in target.PgSnapshots.Values)
            {
                if (snap.Transfer is { Completed: null } t && snap.Name.Contains(':') && world.LinkUp(world.Array(t.SourceArray), target))
                    t.DoneBytes = Math.Min(t.Bytes, t.DoneBytes + seconds * world.Options.BandwidthBytesPerSecond);
            }
        }
        foreach (var link in world.Links) Mirror(link, to);
        if (to > world.ProcessedUntil) world.ProcessedUntil = to;
    }

    private void Fire(DateTimeOffset at)
    {
        foreach (var array in world.Arrays.Values)
        {
            foreach (var pg in array.ProtectionGroups.Values.Where(p => p.IsLocal && !p.Destroyed && p.ReplicationSchedule.Enabled))
            {
                if (pg.NextReplicationAt is not { } due || due > at) continue;
                Snapshot(array, pg, at, null, replicate: true);
                var every = TimeSpan.FromMilliseconds(pg.ReplicationSchedule.FrequencyMs);
                while (pg.NextReplicationAt <= at) pg.NextReplicationAt += every;
            }
            foreach (var pg in array.ProtectionGroups.Values.Where(p => p.IsLocal && !p.Destroyed && p.SnapshotSchedule.Enabled))
            {
                // Local-only snapshots: kept on the source, never shipped.
                if (pg.NextSnapshotAt is not { } due || due > at) continue;
                Snapshot(array, pg, at, null, replicate: false);
                var every = TimeSpan.FromMilliseconds(pg.SnapshotSchedule.FrequencyMs);
                while (pg.NextSnapshotAt <= at) pg.NextSnapshotAt += every;
            }
            foreach (var snap in array.PgSnapshots.Values.ToList())
            {
                // Even an empty transfer needs the link: the replica snapshot is created on the target.
                if (snap.Transfer is { Completed: null } t && snap.Name.Contains(':') && t.DoneBytes >= t.Bytes - BytesPerTick
                    && world.LinkUp(world.Array(t.SourceArray), array))
                    Complete(array, snap, at);
            }
            foreach (var pod in array.Pods.Values.Where(p => p.PromotionStatus == "promoting" && p.PromotedAt <= at))
            {
                if (pod.RestoreFrom is { } undo)
                {
                    foreach (var (leaf, v) in undo.Volumes)
                    {
                        if (pod.Volumes.TryGetValue(leaf, out var live)) live.Data.ReplaceWith(v.Data.Copy());
                    }
                    pod.RestoreFrom = null;
                }
                pod.PromotionStatus = "promoted";
            }
        }
    }

    /// <summary>The replica lands: its volume snapshots appear on the target, then retention trims the oldest.</summary>
    private void Complete(SimArray target, SimPgSnapshot replica, DateTimeOffset at)
    {
        replica.Transfer!.Completed = at;
        replica.Transfer.DoneBytes = replica.Transfer.Bytes;
        foreach (var (leaf, (provisioned, data)) in replica.Members)
        {
            var name = $"{replica.Name}.{leaf}";
            target.VolumeSnapshots[name] = new SimVolumeSnapshot
            {
                Id = world.NewId(),
                Serial = world.NewSerial(),
                Name = name,
                SourceName = leaf,
                Provisioned = provisioned,
                Created = replica.Created,
                Data = data.Copy(),
            };
        }
        var source = world.Arrays.GetValueOrDefault(replica.Transfer.SourceArray);
        var pgName = replica.GroupName[(replica.GroupName.IndexOf(':') + 1)..];
        if (source?.ProtectionGroups.GetValueOrDefault(pgName) is { } pg)
            ApplyRetention(target, replica.GroupName, pg.TargetRetention, at, s => s.Transfer?.Completed is not null);
    }

    /// <summary>Keeps every snapshot younger than <c>all_for_sec</c>, then the newest <c>per_day × days</c>
    /// older ones, and always the newest; eradicates the rest among those <paramref name="eligible"/>.</summary>
    private static void ApplyRetention(SimArray array, string group, RetentionRule rule, DateTimeOffset now, Func<SimPgSnapshot, bool> eligible)
    {
        var done = array.PgSnapshots.Values
            .Where(s => s.GroupName == group && eligible(s) && !s.Destroyed)
            .OrderByDescending(s => s.Created).ToList();
        var keepAll = done.Where(s => s.Created >= now - TimeSpan.FromSeconds(rule.AllForSec)).ToList();
        var older = done.Except(keepAll).Take(Math.Max(0, rule.PerDay * rule.Days));
        var keep = keepAll.Concat(older).Append(done.FirstOrDefault()).ToHashSet();
        foreach (var snap in done.Where(s => !keep.Contains(s)))
        {
            array.PgSnapshots.Remove(snap.Name);
            foreach (var leaf in snap.Members.Keys) array.VolumeSnapshots.Remove($"{snap.Name}.{leaf}");
        }
    }

    /// <summary>ActiveDR: the demoted pod holds the promoted pod's writes up to now minus the lag.</summary>
    private void Mirror(SimReplicaLink link, DateTimeOffset now)
    {
        if (link.Paused || link.Direction is not { } d || !world.LinkUp(d.Array, d.ToArray) || now < link.BaselineUntil) return;
        var point = now - world.Options.ContinuousLag;
        if (point < link.BaselineUntil) point = link.BaselineUntil;
        if (link.RecoveryPoint is { } previous && point <= previous) return;
        SyncTo(d.Pod, d.ToPod, point);
        link.RecoveryPoint = point;
    }

    /// <summary>Makes <paramref name="to"/> hold exactly <paramref name="from"/>'s writes up to <paramref name="point"/>.</summary>
    public void SyncTo(SimPod from, SimPod to, DateTimeOffset point)
    {
        foreach (var (leaf, v) in from.Volumes.Where(p => !p.Value.Destroyed))
        {
            if (!to.Volumes.TryGetValue(leaf, out var copy))
            {
                copy = world.NewVolume(leaf, v.Provisioned, new Contents(), null);
                copy.Pod = to;
                to.Volumes[leaf] = copy;
            }
            copy.Provisioned = v.Provisioned;
            copy.Data.ReplaceWith(v.Data.Copy(point));
        }
    }
}
