using System.Text.Json.Nodes;
using Draas.Simulators.FlashArray.Model;

namespace Draas.Simulators.FlashArray.Http;

/// <summary>/volumes and /volume-snapshots.</summary>
public static class VolumeRoutes
{
    public static Reply? Handle(Ctx c, Req req) => (req.Method, req.Resource) switch
    {
        ("GET", "volumes") => c.List(Selected(c, req).Select(Wire.Volume), req),
        ("POST", "volumes") => Create(c, req),
        ("PATCH", "volumes") => Patch(c, req),
        ("DELETE", "volumes") => Eradicate(c, req),
        ("GET", "volume-snapshots") => c.List(Snapshots(c, req).Select(Wire.VolumeSnapshot), req),
        ("POST", "volume-snapshots") => Snap(c, req),
        ("PATCH", "volume-snapshots") => PatchSnapshots(c, req),
        ("DELETE", "volume-snapshots") => EradicateSnapshots(c, req),
        _ => null,
    };

    private static IEnumerable<SimVolume> Selected(Ctx c, Req req) =>
        Ctx.Select(req, "names", c.Array.AllVolumes.OrderBy(v => v.Created), v => v.Name, v => v.Destroyed, "Volume");

    private static Reply Create(Ctx c, Req req)
    {
        var created = new List<object>();
        foreach (var name in req.Required("names"))
        {
            Ctx.ValidName(name, "volume");
            var existing = c.World.FindVolume(c.Array, name);
            var sourceName = req.BodyField("source.name")?.GetValue<string>();
            if (existing is not null && !(req.Flag("overwrite") && sourceName is not null)) throw SimError.Exists("Volume", name);

            Contents data;
            long provisioned;
            if (sourceName is not null)
            {
                Refuse(c, name, sourceName);
                (provisioned, data) = Source(c, sourceName);
            }
            else
            {
                provisioned = req.BodyField("provisioned")?.GetValue<long>() ?? throw new SimError("Missing provisioned or source.", name);
                if (provisioned <= 0 || provisioned % 512 != 0) throw new SimError("Invalid provisioned size.", name);
                data = new Contents();
            }
            c.World.RequireRoom(c.Array, data.Bytes);
            if (existing is not null)
            {
                if (existing.Destroyed) throw SimError.Destroyed("Volume", name);
                existing.Data.ReplaceWith(data);
                existing.Provisioned = provisioned;
                c.Array.Copies.Add(new SimCopy(name, sourceName!, c.Now));
                created.Add(Wire.Volume(existing));
                continue;
            }
            var split = name.LastIndexOf("::", StringComparison.Ordinal);
            var volume = c.World.NewVolume(split < 0 ? name : name[(split + 2)..], provisioned, data, sourceName);
            c.World.RequireFreeVolumeName(c.Array, name);
            if (split >= 0 && c.World.Pod(c.Array, name[..split]).PromotionStatus != "promoted")
                throw new SimError("Pod is not promoted; its volumes are read-only.", name);
            c.World.Place(c.Array, name, volume);
            foreach (var pg in req.List("add_to_protection_group_names") ?? []) c.World.Group(c.Array, pg).Members.Add(volume);
            if (sourceName is not null) c.Array.Copies.Add(new SimCopy(name, sourceName, c.Now));
            created.Add(Wire.Volume(volume));
        }
        return Reply.Items(created);
    }

    /// <summary>The injected permanent fault of a copy: see <see cref="SimArray.RefusedCopies"/>.</summary>
    private static void Refuse(Ctx c, string name, string sourceName)
    {
        foreach (var (suffix, message) in c.Array.RefusedCopies)
        {
            if (!sourceName.EndsWith(suffix, StringComparison.Ordinal)) continue;
            c.Array.InjectedFaults++;
            throw new SimError(message, name);
        }
    }

    /// <summary>A copy's source: a volume snapshot (including replicated <c>src:pg.N.vol</c>) or a volume.</summary>
    private static (long Provisioned, Contents Data) Source(Ctx c, string name)
    {
        if (c.Array.VolumeSnapshots.TryGetValue(name, out var snap))
            return snap.Destroyed ? throw SimError.Destroyed("Snapshot", name) : (snap.Provisioned, snap.Data.Copy());
        var volume = c.World.FindVolume(c.Array, name) ?? throw SimError.NotFound("Source volume or snapshot", name);
        return volume.Destroyed ? throw SimError.Destroyed("Volume", name) : (volume.Provisioned, volume.Data.Copy());
    }

    private static Reply Patch(Ctx c, Req req)
    {
        var changed = new List<object>();
        foreach (var volume in Ctx.Select(req, "names", c.Array.AllVolumes, v => v.Name, v => v.Destroyed, "Volume").ToList())
        {
            if (req.BodyField("destroyed") is JsonNode d)
            {
                var destroy = d.GetValue<bool>();
                volume.Destroyed = destroy;
                volume.DestroyedAt = destroy ? c.Now : null;
            }
            else if (volume.Destroyed) throw SimError.Destroyed("Volume", volume.Name);

            if (req.BodyField("provisioned")?.GetValue<long>() is long size)
            {
                if (size < volume.Provisioned) throw new SimError("Volume size cannot be reduced without truncate.", volume.Name);
                volume.Provisioned = size;
            }
            if (req.Has("pod")) MovePod(c, volume, req.BodyField("pod.name")?.GetValue<string>() ?? "");
            if (req.BodyField("name")?.GetValue<string>() is { } rename && rename != volume.Name)
            {
                Ctx.ValidName(rename, "volume");
                c.World.RequireFreeVolumeName(c.Array, rename);
                c.World.Remove(volume, c.Array);
                var split = rename.LastIndexOf("::", StringComparison.Ordinal);
                volume.LeafName = split < 0 ? rename : rename[(split + 2)..];
                volume.Pod = null;
                c.World.Place(c.Array, rename, volume);
            }
            foreach (var pg in req.List("add_to_protection_group_names") ?? []) c.World.Group(c.Array, pg).Members.Add(volume);
            foreach (var pg in req.List("remove_from_protection_group_names") ?? []) c.World.Group(c.Array, pg).Members.Remove(volume);
            changed.Add(Wire.Volume(volume));
        }
        return Reply.Items(changed);
    }

    /// <summary>Moving in or out of a pod renames the volume; its protection-group memberships follow it.</summary>
    private static void MovePod(Ctx c, SimVolume volume, string podName)
    {
        if ((volume.Pod?.Name ?? "") == podName) return;
        var target = podName == "" ? null : c.World.Pod(c.Array, podName);
        if (target is not null && target.PromotionStatus != "promoted") throw new SimError("Pod is not promoted; its volumes are read-only.", podName);
        if (target is not null && target.Volumes.ContainsKey(volume.LeafName)) throw SimError.Exists("Volume", $"{podName}::{volume.LeafName}");
        if (target is null && c.Array.Volumes.ContainsKey(volume.LeafName)) throw SimError.Exists("Volume", volume.LeafName);
        if (volume.Pod is { } from) from.Volumes.Remove(volume.LeafName); else c.Array.Volumes.Remove(volume.LeafName);
        volume.Pod = target;
        if (target is null) c.Array.Volumes[volume.LeafName] = volume; else target.Volumes[volume.LeafName] = volume;
    }

    private static Reply Eradicate(Ctx c, Req req)
    {
        foreach (var volume in Ctx.Select(req, "names", c.Array.AllVolumes, v => v.Name, v => v.Destroyed, "Volume").ToList())
        {
            if (!volume.Destroyed) throw new SimError("Volume must be destroyed before it can be eradicated.", volume.Name);
            c.World.Remove(volume, c.Array);
        }
        return Reply.Empty();
    }

    private static IEnumerable<SimVolumeSnapshot> Snapshots(Ctx c, Req req)
    {
        var all = c.Array.VolumeSnapshots.Values.OrderBy(s => s.Created).AsEnumerable();
        if (req.List("source_names") is { } sources) all = all.Where(s => sources.Contains(s.SourceName));
        return Ctx.Select(req, "names", all, s => s.Name, s => s.Destroyed, "Snapshot");
    }

    private static Reply Snap(Ctx c, Req req)
    {
        var suffix = req.BodyField("suffix")?.GetValue<string>();
        var made = new List<object>();
        foreach (var source in req.Required("source_names"))
        {
            var volume = c.World.Volume(c.Array, source);
            var name = $"{volume.Name}.{suffix ?? (c.Array.VolumeSnapshots.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            if (c.Array.VolumeSnapshots.ContainsKey(name)) throw SimError.Exists("Snapshot", name);
            var snap = new SimVolumeSnapshot
            {
                Id = c.World.NewId(),
                Serial = c.World.NewSerial(),
                Name = name,
                SourceName = volume.Name,
                Suffix = suffix,
                Provisioned = volume.Provisioned,
                Created = c.Now,
                Data = volume.Data.Copy(),
            };
            c.Array.VolumeSnapshots[name] = snap;
            made.Add(Wire.VolumeSnapshot(snap));
        }
        return Reply.Items(made);
    }

    private static Reply PatchSnapshots(Ctx c, Req req)
    {
        var destroy = req.BodyField("destroyed")?.GetValue<bool>() ?? false;
        var changed = Ctx.Select(req, "names", c.Array.VolumeSnapshots.Values, s => s.Name, s => s.Destroyed, "Snapshot").ToList();
        foreach (var s in changed) s.Destroyed = destroy;
        return Reply.Items(changed.Select(Wire.VolumeSnapshot));
    }

    private static Reply EradicateSnapshots(Ctx c, Req req)
    {
        foreach (var s in Ctx.Select(req, "names", c.Array.VolumeSnapshots.Values, s => s.Name, s => s.Destroyed, "Snapshot").ToList())
        {
            if (!s.Destroyed) throw new SimError("Snapshot must be destroyed before it can be eradicated.", s.Name);
            c.Array.VolumeSnapshots.Remove(s.Name);
        }
        return Reply.Empty();
    }
}
