using Draas.Simulators.FlashArray.Model;
using static Draas.Simulators.FlashArray.Http.SimJson;

namespace Draas.Simulators.FlashArray.Http;

/// <summary>The REST 2.x wire form of each simulated object.</summary>
public static class Wire
{
    public static object Ref(string name, string? id = null) => new { Name = name, Id = id };

    public static object Volume(SimVolume v) => new
    {
        v.Id,
        v.Name,
        v.Serial,
        v.Provisioned,
        Created = Ms(v.Created),
        v.Destroyed,
        TimeRemaining = v.Destroyed ? 86_400_000L : (long?)null,
        ConnectionCount = 0,
        Space = new { Virtual = v.Data.Bytes, TotalPhysical = v.Data.Bytes, Unique = v.Data.Bytes, Snapshots = 0L, TotalProvisioned = v.Provisioned },
        Pod = v.Pod is null ? null : Ref(v.Pod.Name, v.Pod.Id),
        VolumeGroup = (object?)null,
        Source = v.SourceName is null ? null : Ref(v.SourceName),
        PromotionStatus = v.Pod?.PromotionStatus ?? "promoted",
        RequestedPromotionState = v.Pod?.RequestedPromotionState ?? "promoted",
        Subtype = "regular",
    };

    public static object VolumeSnapshot(SimVolumeSnapshot s) => new
    {
        s.Id,
        s.Name,
        s.Serial,
        Created = Ms(s.Created),
        s.Destroyed,
        s.Provisioned,
        Source = Ref(s.SourceName),
        s.Suffix,
        Pod = (object?)null,
        Space = new { Virtual = s.Data.Bytes, TotalPhysical = s.Data.Bytes, Unique = 0L },
    };

    public static object ProtectionGroup(SimProtectionGroup pg, SimProtectionGroup? origin) => new
    {
        pg.Id,
        pg.Name,
        pg.Destroyed,
        pg.IsLocal,
        Source = Ref(pg.SourceArray),
        Pod = (object?)null,
        VolumeCount = (origin ?? pg).Members.Count,
        TargetCount = (origin ?? pg).Targets.Count,
        RetentionLock = "unlocked",
        ReplicationSchedule = Schedule((origin ?? pg).ReplicationSchedule),
        SnapshotSchedule = Schedule((origin ?? pg).SnapshotSchedule),
        SourceRetention = Retention((origin ?? pg).SourceRetention),
        TargetRetention = Retention((origin ?? pg).TargetRetention),
        Space = new { Snapshots = 0L },
    };

    private static object Schedule(Schedule s) => new { s.Enabled, Frequency = s.FrequencyMs, s.At, Blackout = (object?)null };

    private static object Retention(RetentionRule r) => new { r.AllForSec, r.PerDay, r.Days };

    public static object PgSnapshot(SimPgSnapshot s) => new
    {
        s.Id,
        s.Name,
        Created = Ms(s.Created),
        s.Destroyed,
        Source = Ref(s.GroupName),
        s.Suffix,
        Pod = (object?)null,
        Space = new { Snapshots = s.Members.Values.Sum(m => m.Data.Bytes) },
    };

    public static object Transfer(SimPgSnapshot s) => new
    {
        s.Name,
        s.Id,
        s.Destroyed,
        Started = Ms(s.Transfer!.Started),
        Completed = Ms(s.Transfer.Completed),
        s.Transfer.Progress,
        DataTransferred = (long)s.Transfer.DoneBytes,
        PhysicalBytesWritten = (long)s.Transfer.DoneBytes,
    };

    public static object Pod(SimPod p, SimWorld world, IEnumerable<SimReplicaLink> links) => new
    {
        p.Id,
        p.Name,
        p.Destroyed,
        Source = (object?)null,
        ArrayCount = p.Arrays.Count,
        LinkSourceCount = links.Count(l => l.Direction?.Pod == p),
        LinkTargetCount = links.Count(l => l.Direction?.ToPod == p),
        p.PromotionStatus,
        p.RequestedPromotionState,
        Arrays = p.Arrays.Select(a => new
        {
            a.Id,
            a.Name,
            Status = a.Down || p.Arrays.Any(o => o != a && !world.LinkUp(a, o)) ? "offline" : "online",
            MediatorStatus = "online",
            FrozenAt = (long?)null,
            Progress = (double?)null,
        }).ToList(),
        FailoverPreferences = Array.Empty<object>(),
    };

    public static object Link(SimReplicaLink l, SimArray viewer, SimWorld world)
    {
        var mine = l.ArrayA == viewer ? (l.PodA, l.ArrayB, l.PodB) : (l.PodB, l.ArrayA, l.PodA);
        var direction = l.Direction;
        var now = world.Clock.GetUtcNow();
        var status = l.Paused ? "paused"
            : direction is null ? (l.Quiesced ? "quiesced" : "idle")
            : !world.LinkUp(l.ArrayA, l.ArrayB) ? "unhealthy"
            : now < l.BaselineUntil ? "baselining"
            : "replicating";
        return new
        {
            l.Id,
            Direction = direction?.Pod == mine.Item1 ? "outbound" : "inbound",
            Lag = l.RecoveryPoint is { } rp && direction is not null ? (long?)(now - rp).TotalMilliseconds : null,
            RecoveryPoint = Ms(l.RecoveryPoint),
            LocalPod = Ref(mine.Item1.Name, mine.Item1.Id),
            RemotePod = Ref(mine.Item3.Name, mine.Item3.Id),
            Remotes = new[] { Ref(mine.Item2.Name, mine.Item2.Id) },
            l.Paused,
            Status = status,
        };
    }

    public static object Connection(SimConnection c, SimArray viewer)
    {
        var other = c.Other(viewer);
        return new
        {
            c.Id,
            other.Name,
            Remote = Ref(other.Name, other.Id),
            ManagementAddress = "127.0.0.1",
            ReplicationAddresses = new[] { "127.0.0.1" },
            Status = c.Up ? "connected" : "connecting",
            c.Type,
            Version = other.Version,
            Throttle = new { },
        };
    }

    public static object Space(SimArray a) => new
    {
        TotalPhysical = a.UsedBytes,
        TotalProvisioned = a.AllVolumes.Where(v => !v.Destroyed).Sum(v => v.Provisioned),
        Virtual = a.UsedBytes,
        Unique = a.UsedBytes,
        Snapshots = 0L,
        System = 0L,
    };
}
