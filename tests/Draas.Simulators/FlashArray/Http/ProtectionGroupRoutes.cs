using System.Text.Json.Nodes;
using Draas.Simulators.FlashArray.Model;

namespace Draas.Simulators.FlashArray.Http;

/// <summary>/protection-groups with its members, targets, snapshots and transfers.</summary>
public static class ProtectionGroupRoutes
{
    public static Reply? Handle(Ctx c, Req req) => (req.Method, req.Resource) switch
    {
        ("GET", "protection-groups") => c.List(Groups(c, req).Select(pg => Wire.ProtectionGroup(pg, Origin(c, pg))), req),
        ("POST", "protection-groups") => Create(c, req),
        ("PATCH", "protection-groups") => Patch(c, req),
        ("DELETE", "protection-groups") => Eradicate(c, req),
        ("GET", "protection-groups/volumes") => c.List(Members(c, req), req),
        ("POST", "protection-groups/volumes") => AddMembers(c, req),
        ("DELETE", "protection-groups/volumes") => RemoveMembers(c, req),
        ("GET", "protection-groups/targets") => c.List(Targets(c, req), req),
        ("POST", "protection-groups/targets") => AddTargets(c, req),
        ("PATCH", "protection-groups/targets") => AllowTargets(c, req),
        ("DELETE", "protection-groups/targets") => RemoveTargets(c, req),
        ("GET", "protection-group-snapshots") => c.List(Snapshots(c, req, false).Select(Wire.PgSnapshot), req),
        ("POST", "protection-group-snapshots") => Snap(c, req),
        ("PATCH", "protection-group-snapshots") => PatchSnapshots(c, req),
        ("DELETE", "protection-group-snapshots") => EradicateSnapshots(c, req),
        ("GET", "protection-group-snapshots/transfer") => c.List(Snapshots(c, req, true).Select(Wire.Transfer), req),
        _ => null,
    };

    private static IEnumerable<SimProtectionGroup> Groups(Ctx c, Req req) =>
        Ctx.Select(req, "names", c.Array.ProtectionGroups.Values, p => p.Name, p => p.Destroyed, "Protection group");

    /// <summary>A replica group (<c>src:pg</c>) shows its source group's settings.</summary>
    private static SimProtectionGroup? Origin(Ctx c, SimProtectionGroup pg) =>
        pg.IsLocal ? null
            : c.World.Arrays.GetValueOrDefault(pg.SourceArray)?.ProtectionGroups.GetValueOrDefault(pg.Name[(pg.Name.IndexOf(':') + 1)..]);

    private static Reply Create(Ctx c, Req req)
    {
        var made = new List<object>();
        foreach (var name in req.Required("names"))
        {
            Ctx.ValidName(name, "protection group");
            if (c.Array.ProtectionGroups.ContainsKey(name)) throw SimError.Exists("Protection group", name);
            var pg = new SimProtectionGroup { Id = c.World.NewId(), Name = name, SourceArray = c.Array.Name };
            c.Array.ProtectionGroups[name] = pg;
            made.Add(Wire.ProtectionGroup(pg, null));
        }
        return Reply.Items(made);
    }

    private static Reply Patch(Ctx c, Req req)
    {
        var changed = new List<object>();
        foreach (var pg in Groups(c, req).ToList())
        {
            if (req.BodyField("destroyed") is JsonNode d) pg.Destroyed = d.GetValue<bool>();
            else if (pg.Destroyed) throw SimError.Destroyed("Protection group", pg.Name);
            if (!pg.IsLocal && req.Body is JsonObject { Count: > 0 } && !req.Has("destroyed"))
                throw new SimError("Cannot modify a replicated protection group on its target.", pg.Name);

            if (req.BodyField("replication_schedule") is JsonObject rs)
            {
                var s = pg.ReplicationSchedule;
                var next = new Schedule(rs["enabled"]?.GetValue<bool>() ?? s.Enabled, rs["frequency"]?.GetValue<long>() ?? s.FrequencyMs,
                    rs["at"]?.GetValue<long?>() ?? s.At);
                if (next.FrequencyMs < 60_000) throw new SimError("Replication frequency must be at least 1 minute.", pg.Name);
                if (next.Enabled && (!s.Enabled || next.FrequencyMs != s.FrequencyMs))
                    pg.NextReplicationAt = c.Now + TimeSpan.FromMilliseconds(next.FrequencyMs);
                pg.ReplicationSchedule = next;
            }
            if (req.BodyField("snapshot_schedule") is JsonObject ss)
            {
                var s = pg.SnapshotSchedule;
                var next = new Schedule(ss["enabled"]?.GetValue<bool>() ?? s.Enabled, ss["frequency"]?.GetValue<long>() ?? s.FrequencyMs);
                if (next.Enabled && (!s.Enabled || next.FrequencyMs != s.FrequencyMs))
                    pg.NextSnapshotAt = c.Now + TimeSpan.FromMilliseconds(next.FrequencyMs);
                pg.SnapshotSchedule = next;
            }
            if (req.BodyField("target_retention") is JsonObject tr) pg.TargetRetention = Retention(tr, pg.TargetRetention);
            if (req.BodyField("source_retention") is JsonObject sr) pg.SourceRetention = Retention(sr, pg.SourceRetention);
            changed.Add(Wire.ProtectionGroup(pg, Origin(c, pg)));
        }
        return Reply.Items(changed);
    }

    private static RetentionRule Retention(JsonObject o, RetentionRule old) =>
        new(o["all_for_sec"]?.GetValue<long>() ?? old.AllForSec, o["per_day"]?.GetValue<int>() ?? old.PerDay, o["days"]?.GetValue<int>() ?? old.Days);

    private static Reply Eradicate(Ctx c, Req req)
    {
        foreach (var pg in Groups(c, req).ToList())
        {
            if (!pg.Destroyed) throw new SimError("Protection group must be destroyed before it can be eradicated.", pg.Name);
            c.Array.ProtectionGroups.Remove(pg.Name);
            foreach (var snap in c.Array.PgSnapshots.Values.Where(s => s.GroupName == pg.Name).ToList())
            {
                c.Array.PgSnapshots.Remove(snap.Name);
                foreach (var leaf in snap.Members.Keys) c.Array.VolumeSnapshots.Remove($"{snap.Name}.{leaf}");
            }
        }
        return Reply.Empty();
    }

    private static IEnumerable<object> Members(Ctx c, Req req)
    {
        foreach (var pg in Ctx.Select(req, "group_names", c.Array.ProtectionGroups.Values, p => p.Name, p => p.Destroyed, "Protection group"))
        {
            foreach (var v in pg.Members)
            {
                if (req.List("member_names") is { } only && !only.Contains(v.Name)) continue;
                yield return new { Group = Wire.Ref(pg.Name, pg.Id), Member = new { v.Name, v.Id, v.Destroyed } };
            }
        }
    }

    private static Reply AddMembers(Ctx c, Req req)
    {
        var added = new List<object>();
        foreach (var pgName in req.Required("group_names"))
        {
            var pg = c.World.Group(c.Array, pgName);
            if (!pg.IsLocal) throw new SimError("Cannot modify a replicated protection group on its target.", pgName);
            foreach (var name in req.Required("member_names"))
            {
                var v = c.World.Volume(c.Array, name);
                if (pg.Members.Contains(v)) throw new SimError("Protection group already includes the volume.", name);
                pg.Members.Add(v);
                added.Add(new { Group = Wire.Ref(pg.Name, pg.Id), Member = new { v.Name, v.Id, v.Destroyed } });
            }
        }
        return Reply.Items(added);
    }

    private static Reply RemoveMembers(Ctx c, Req req)
    {
        foreach (var pgName in req.Required("group_names"))
        {
            var pg = c.World.Group(c.Array, pgName);
            foreach (var name in req.Required("member_names"))
            {
                var v = c.World.Volume(c.Array, name);
                if (!pg.Members.Remove(v)) throw new SimError("Volume is not a member of the protection group.", name);
            }
        }
        return Reply.Empty();
    }

    private static IEnumerable<object> Targets(Ctx c, Req req)
    {
        foreach (var pg in Ctx.Select(req, "group_names", c.Array.ProtectionGroups.Values, p => p.Name, p => p.Destroyed, "Protection group"))
        {
            // On the target array a replica group lists this array as its one target.
            var (origin, targets) = pg.IsLocal
                ? (pg, pg.Targets)
                : Origin(c, pg) is { } o ? (o, o.Targets.Where(t => t.Array == c.Array.Name).ToList()) : (pg, []);
            foreach (var t in targets)
            {
                if (req.List("member_names") is { } only && !only.Contains(t.Array)) continue;
                var target = c.World.Array(t.Array);
                var source = c.World.Array(origin.SourceArray);
                yield return new
                {
                    Group = Wire.Ref(pg.Name, pg.Id),
                    Member = new { target.Name, target.Id, ResourceType = "remote-arrays" },
                    t.Allowed,
                    Status = !t.Allowed ? "disallowed" : c.World.LinkUp(source, target) ? "replicating" : "suspended",
                };
            }
        }
    }

    private static Reply AddTargets(Ctx c, Req req)
    {
        foreach (var pgName in req.Required("group_names"))
        {
            var pg = c.World.Group(c.Array, pgName);
            if (!pg.IsLocal) throw new SimError("Cannot modify a replicated protection group on its target.", pgName);
            foreach (var targetName in req.Required("member_names"))
            {
                var target = c.World.Arrays.GetValueOrDefault(targetName);
                if (target is null || c.World.Connection(c.Array, target) is null)
                    throw new SimError($"Array {targetName} is not connected.", targetName);
                if (pg.Targets.Any(t => t.Array == targetName)) throw new SimError("Protection group already includes the target.", targetName);
                pg.Targets.Add(new SimTarget { Array = targetName, Allowed = c.World.Options.TargetsAllowedByDefault });
                var replica = $"{c.Array.Name}:{pg.Name}";
                if (!target.ProtectionGroups.ContainsKey(replica))
                {
                    target.ProtectionGroups[replica] = new SimProtectionGroup
                    {
                        Id = c.World.NewId(),
                        Name = replica,
                        SourceArray = c.Array.Name,
                        IsLocal = false,
                    };
                }
            }
        }
        return new Reply(200, new { Items = Targets(c, req).ToList() });
    }

    /// <summary>On the source: <c>group_names=pg&amp;member_names=target</c>. On the target:
    /// <c>group_names=src:pg</c>, consenting for itself.</summary>
    private static Reply AllowTargets(Ctx c, Req req)
    {
        var allowed = req.BodyField("allowed")?.GetValue<bool>() ?? throw new SimError("Missing allowed.", "allowed");
        foreach (var pgName in req.Required("group_names"))
        {
            var pg = c.World.Group(c.Array, pgName);
            var origin = pg.IsLocal ? pg : Origin(c, pg) ?? throw SimError.NotFound("Protection group", pgName);
            var names = pg.IsLocal ? req.Required("member_names") : [c.Array.Name];
            foreach (var name in names)
            {
                var t = origin.Targets.FirstOrDefault(x => x.Array == name) ?? throw SimError.NotFound("Target", name);
                t.Allowed = allowed;
            }
        }
        return new Reply(200, new { Items = Targets(c, req).ToList() });
    }

    private static Reply RemoveTargets(Ctx c, Req req)
    {
        foreach (var pgName in req.Required("group_names"))
        {
            var pg = c.World.Group(c.Array, pgName);
            foreach (var name in req.Required("member_names"))
            {
                if (pg.Targets.RemoveAll(t => t.Array == name) == 0) throw SimError.NotFound("Target", name);
            }
        }
        return Reply.Empty();
    }

    /// <summary>Group snapshots; for <c>/transfer</c> only those that are or were shipped. <c>names</c> may
    /// name snapshots or, as Cinder sends it, whole groups.</summary>
    private static IEnumerable<SimPgSnapshot> Snapshots(Ctx c, Req req, bool transfers)
    {
        var all = c.Array.PgSnapshots.Values.Where(s => !transfers || s.Transfer is not null).OrderBy(s => s.Created).AsEnumerable();
        if (req.List("source_names") is { } groups)
        {
            foreach (var g in groups) c.World.Group(c.Array, g);
            all = all.Where(s => groups.Contains(s.GroupName));
        }
        if (req.List("names") is { } names)
        {
            var list = all.ToList();
            foreach (var n in names)
            {
                if (!list.Any(s => s.Name == n || s.GroupName == n) && !c.Array.ProtectionGroups.ContainsKey(n))
                    throw SimError.NotFound("Protection group snapshot", n);
            }
            all = list.Where(s => names.Contains(s.Name) || names.Contains(s.GroupName));
        }
        return req.Destroyed is { } d ? all.Where(s => s.Destroyed == d) : all;
    }

    private static Reply Snap(Ctx c, Req req)
    {
        var suffix = req.BodyField("suffix")?.GetValue<string>();
        var made = new List<object>();
        foreach (var name in req.Required("source_names"))
        {
            var pg = c.World.Group(c.Array, name);
            if (!pg.IsLocal) throw new SimError("Cannot snapshot a replicated protection group on its target.", name);
            if (pg.Destroyed) throw SimError.Destroyed("Protection group", name);
            made.Add(Wire.PgSnapshot(c.Engine.Snapshot(c.Array, pg, c.Now, suffix, req.Flag("replicate_now"))));
        }
        return Reply.Items(made);
    }

    private static Reply PatchSnapshots(Ctx c, Req req)
    {
        var destroy = req.BodyField("destroyed")?.GetValue<bool>() ?? false;
        var changed = Snapshots(c, req, false).ToList();
        foreach (var s in changed) s.Destroyed = destroy;
        return Reply.Items(changed.Select(Wire.PgSnapshot));
    }

    private static Reply EradicateSnapshots(Ctx c, Req req)
    {
        foreach (var s in Snapshots(c, req, false).ToList())
        {
            if (!s.Destroyed) throw new SimError("Protection group snapshot must be destroyed before it can be eradicated.", s.Name);
            c.Array.PgSnapshots.Remove(s.Name);
            foreach (var leaf in s.Members.Keys) c.Array.VolumeSnapshots.Remove($"{s.Name}.{leaf}");
        }
        return Reply.Empty();
    }
}
