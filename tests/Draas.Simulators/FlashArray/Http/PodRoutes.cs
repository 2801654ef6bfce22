using System.Text.Json.Nodes;
using Draas.Simulators.FlashArray.Model;

namespace Draas.Simulators.FlashArray.Http;

/// <summary>/pods, /pods/arrays (stretch, ActiveCluster) and /pod-replica-links (ActiveDR), with
/// promote, demote (quiesce / skip_quiesce) and undo-demote.</summary>
public static class PodRoutes
{
    public static Reply? Handle(Ctx c, Req req) => (req.Method, req.Resource) switch
    {
        ("GET", "pods") => c.List(Pods(c, req).Select(p => Wire.Pod(p, c.World, c.World.Links)), req),
        ("POST", "pods") => Create(c, req),
        ("PATCH", "pods") => Patch(c, req),
        ("DELETE", "pods") => Eradicate(c, req),
        ("GET", "pods/arrays") => c.List(Members(c, req), req),
        ("POST", "pods/arrays") => Stretch(c, req),
        ("DELETE", "pods/arrays") => Unstretch(c, req),
        ("GET", "pod-replica-links") => c.List(Links(c, req).Select(l => Wire.Link(l, c.Array, c.World)), req),
        ("POST", "pod-replica-links") => CreateLink(c, req),
        ("PATCH", "pod-replica-links") => PatchLinks(c, req),
        ("DELETE", "pod-replica-links") => DeleteLinks(c, req),
        _ => null,
    };

    private static IEnumerable<SimPod> Pods(Ctx c, Req req) =>
        Ctx.Select(req, "names", c.Array.Pods.Values, p => p.Name, p => p.Destroyed, "Pod");

    private static Reply Create(Ctx c, Req req)
    {
        var made = new List<object>();
        foreach (var name in req.Required("names"))
        {
            Ctx.ValidName(name, "pod");
            if (c.Array.Pods.ContainsKey(name)) throw SimError.Exists("Pod", name);
            var pod = new SimPod { Id = c.World.NewId(), Name = name };
            pod.Arrays.Add(c.Array);
            c.Array.Pods[name] = pod;
            made.Add(Wire.Pod(pod, c.World, c.World.Links));
        }
        return Reply.Items(made);
    }

    private static Reply Patch(Ctx c, Req req)
    {
        var changed = new List<object>();
        foreach (var pod in Pods(c, req).ToList())
        {
            if (req.BodyField("destroyed") is JsonNode d)
            {
                var destroy = d.GetValue<bool>();
                if (destroy && pod.Arrays.Count > 1) throw new SimError("Pod cannot be destroyed while it is stretched.", pod.Name);
                if (destroy && c.World.Links.Any(l => l.PodA == pod || l.PodB == pod))
                    throw new SimError("Pod cannot be destroyed while it has a replica link.", pod.Name);
                pod.Destroyed = destroy;
            }
            switch (req.BodyField("requested_promotion_state")?.GetValue<string>())
            {
                case "demoted": Demote(c, pod, req); break;
                case "promoted": Promote(c, pod, req); break;
                case null: break;
                default: throw new SimError("Invalid requested_promotion_state.", pod.Name);
            }
            changed.Add(Wire.Pod(pod, c.World, c.World.Links));
        }
        return Reply.Items(changed);
    }

    private static void Demote(Ctx c, SimPod pod, Req req)
    {
        if (pod.PromotionStatus == "demoted") return;
        if (pod.Arrays.Count > 1) throw new SimError("A stretched pod cannot be demoted.", pod.Name);
        var link = c.World.Links.FirstOrDefault(l => l.Direction?.Pod == pod);
        if (link is not null)
        {
            var quiesce = req.Flag("quiesce");
            if (quiesce == req.Flag("skip_quiesce"))
                throw new SimError("Demoting a replica link source requires exactly one of quiesce or skip_quiesce.", pod.Name);
            if (quiesce)
            {
                var d = link.Direction!.Value;
                if (!c.World.LinkUp(d.Array, d.ToArray)) throw new SimError("Cannot quiesce: the replica link is not connected.", pod.Name);
                if (c.Now < link.BaselineUntil) throw new SimError("Cannot quiesce while the replica link is baselining.", pod.Name);
                // Quiesce: everything written so far reaches the target before the source stops.
                c.Engine.SyncTo(pod, d.ToPod, c.Now);
                link.RecoveryPoint = c.Now;
                link.Quiesced = true;
            }
        }
        // The undo-demote pod keeps the contents as they were, eradication pending, for promote_from.
        var undoName = $"{pod.Name}.undo-demote";
        var undo = new SimPod { Id = c.World.NewId(), Name = undoName, Destroyed = true, PromotionStatus = "demoted", RequestedPromotionState = "demoted" };
        undo.Arrays.Add(c.Array);
        foreach (var (leaf, v) in pod.Volumes)
        {
            var copy = c.World.NewVolume(leaf, v.Provisioned, v.Data.Copy(), v.Name);
            copy.Pod = undo;
            undo.Volumes[leaf] = copy;
        }
        c.Array.Pods[undoName] = undo;
        pod.PromotionStatus = "demoted";
        pod.RequestedPromotionState = "demoted";
    }

    private static void Promote(Ctx c, SimPod pod, Req req)
    {
        if (req.Get("promote_from") is { Length: > 0 } from) pod.RestoreFrom = c.World.Pod(c.Array, from);
        if (pod.PromotionStatus is "promoted" or "promoting") return;
        var link = c.World.Links.FirstOrDefault(l => l.PodA == pod || l.PodB == pod);
        if (link is not null && link.Direction?.ToPod == pod && c.Now < link.BaselineUntil)
            throw new SimError("Pod cannot be promoted while the replica link is baselining.", pod.Name);
        pod.RequestedPromotionState = "promoted";
        pod.PromotionStatus = "promoting";
        pod.PromotedAt = c.Now + c.World.Options.PromotionDelay;
    }

    private static Reply Eradicate(Ctx c, Req req)
    {
        foreach (var pod in Pods(c, req).ToList())
        {
            if (!pod.Destroyed) throw new SimError("Pod must be destroyed before it can be eradicated.", pod.Name);
            if (pod.Volumes.Values.Any(v => !v.Destroyed) && !req.Flag("eradicate_contents"))
                throw new SimError("Pod cannot be eradicated while it contains volumes.", pod.Name);
            foreach (var a in pod.Arrays) a.Pods.Remove(pod.Name);
            c.World.Links.RemoveAll(l => l.PodA == pod || l.PodB == pod);
        }
        return Reply.Empty();
    }

    private static IEnumerable<object> Members(Ctx c, Req req)
    {
        foreach (var pod in Ctx.Select(req, "group_names", c.Array.Pods.Values, p => p.Name, p => p.Destroyed, "Pod"))
        {
            foreach (var a in pod.Arrays)
            {
                yield return new
                {
                    Group = Wire.Ref(pod.Name, pod.Id),
                    Member = Wire.Ref(a.Name, a.Id),
                    Status = a.Down ? "offline" : "online",
                    MediatorStatus = "online",
                    FrozenAt = (long?)null,
                };
            }
        }
    }

    private static Reply Stretch(Ctx c, Req req)
    {
        foreach (var podName in req.Required("group_names"))
        {
            var pod = c.World.Pod(c.Array, podName);
            foreach (var arrayName in req.Required("member_names"))
            {
                var other = c.World.Arrays.GetValueOrDefault(arrayName);
                var connection = other is null ? null : c.World.Connection(c.Array, other, "sync-replication");
                if (other is null || connection is null) throw new SimError($"Array {arrayName} is not connected for synchronous replication.", arrayName);
                if (!connection.Up) throw new SimError($"Array {arrayName} is not connected.", arrayName);
                if (pod.Arrays.Contains(other)) throw new SimError("Pod already includes the array.", arrayName);
                if (other.Pods.ContainsKey(podName)) throw SimError.Exists("Pod", podName);
                pod.Arrays.Add(other);
                other.Pods[podName] = pod;
            }
        }
        return new Reply(200, new { Items = Members(c, req).ToList() });
    }

    private static Reply Unstretch(Ctx c, Req req)
    {
        foreach (var podName in req.Required("group_names"))
        {
            var pod = c.World.Pod(c.Array, podName);
            foreach (var arrayName in req.Required("member_names"))
            {
                var other = c.World.Array(arrayName);
                if (!pod.Arrays.Remove(other)) throw new SimError("Array is not a member of the pod.", arrayName);
                other.Pods.Remove(podName);
            }
        }
        return Reply.Empty();
    }

    private static IEnumerable<SimReplicaLink> Links(Ctx c, Req req)
    {
        var mine = c.World.Links.Where(l => l.ArrayA == c.Array || l.ArrayB == c.Array);
        SimPod Local(SimReplicaLink l) => l.ArrayA == c.Array ? l.PodA : l.PodB;
        SimPod Remote(SimReplicaLink l) => l.ArrayA == c.Array ? l.PodB : l.PodA;
        if (req.List("local_pod_names") is { } local)
        {
            foreach (var n in local) c.World.Pod(c.Array, n);
            mine = mine.Where(l => local.Contains(Local(l).Name));
        }
        if (req.List("remote_pod_names") is { } remote) mine = mine.Where(l => remote.Contains(Remote(l).Name));
        return mine.ToList();
    }

    private static Reply CreateLink(Ctx c, Req req)
    {
        var localPod = c.World.Pod(c.Array, req.Required("local_pod_names").Single());
        var remoteArray = c.World.Arrays.GetValueOrDefault(req.Required("remote_names").Single());
        if (remoteArray is null || c.World.Connection(c.Array, remoteArray, "async-replication") is not { Up: true })
            throw new SimError($"Array {req.Required("remote_names").Single()} is not connected.", req.Required("remote_names").Single());
        var remotePod = c.World.Pod(remoteArray, req.Required("remote_pod_names").Single());
        if (c.World.Links.Any(l => l.PodA == localPod || l.PodB == localPod))
            throw new SimError("Pod already has a replica link.", localPod.Name);
        if (remotePod.Volumes.Count > 0) throw new SimError("The remote pod must be empty.", remotePod.Name);
        if (localPod.PromotionStatus != "promoted") throw new SimError("The local pod must be promoted.", localPod.Name);

        remotePod.PromotionStatus = "demoted";
        remotePod.RequestedPromotionState = "demoted";
        var baseline = TimeSpan.FromSeconds(Math.Max(1, localPod.Volumes.Values.Sum(v => v.Data.Bytes) / (double)c.World.Options.BandwidthBytesPerSecond));
        var link = new SimReplicaLink
        {
            Id = c.World.NewId(),
            ArrayA = c.Array,
            PodA = localPod,
            ArrayB = remoteArray,
            PodB = remotePod,
            BaselineUntil = c.Now + baseline,
        };
        c.World.Links.Add(link);
        return Reply.Items([Wire.Link(link, c.Array, c.World)]);
    }

    private static Reply PatchLinks(Ctx c, Req req)
    {
        var links = Links(c, req).ToList();
        if (links.Count == 0) throw SimError.NotFound("Pod replica link", req.Get("local_pod_names") ?? "");
        if (req.BodyField("paused")?.GetValue<bool>() is bool paused) foreach (var l in links) l.Paused = paused;
        return Reply.Items(links.Select(l => Wire.Link(l, c.Array, c.World)));
    }

    private static Reply DeleteLinks(Ctx c, Req req)
    {
        var links = Links(c, req).ToList();
        if (links.Count == 0) throw SimError.NotFound("Pod replica link", req.Get("local_pod_names") ?? "");
        foreach (var l in links) c.World.Links.Remove(l);
        return Reply.Empty();
    }
}
