using Draas.Domain.Protection;
using Draas.OpenStack;
using Draas.OpenStack.Identity;
using Draas.Storage;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Taking back what a run made, in the pieces a cancelled migration (<see cref="RestartPrimaryStep"/>), a
/// rollback (<see cref="RollbackStep"/>) and a drill's cleanup (<see cref="CleanupStep"/>) share: the
/// servers it booted and the volumes it imported at the recovery site and the array copies its promotes
/// made go; demoted replication sources take writes again; the primary's servers the run stopped start
/// again. Each piece is idempotent (a retry finds its own earlier work done) and adds what it could not do,
/// in words an operator can act on, to <c>problems</c>.
/// </summary>
public static class RecoveryUndo
{
    /// <summary>Deletes the servers carrying the run's mark in <paramref name="session"/>'s project and waits
    /// until each is gone (their ports and volumes are in use until then), adding "id name" to <paramref name="removed"/>.</summary>
    public static async Task RemoveServersAsync(StepContext c, KeystoneSession session, List<string> removed, CancellationToken ct)
    {
        foreach (var server in await session.Compute.Servers.ListAsync(null, ct).Where(s => RunNames.IsMine(s.Metadata, c.RunMark)).ToListAsync(ct))
        {
            await session.Compute.Servers.DeleteAsync(server.Id, ct);
            await session.Compute.Servers.WaitForDeletedAsync(server.Id, null, ct);
            removed.Add($"{server.Id} {server.Name}");
        }
    }

    /// <summary>Runs a delete; true when the object was already gone (an earlier attempt removed it).</summary>
    public static async Task<bool> GoneAsync(Func<Task> delete)
    {
        try
        {
            await delete();
            return false;
        }
        catch (OpenStackException e) when (e.IsNotFound)
        {
            return true;
        }
    }

    /// <summary>The primary's servers a planned migration stopped before its last sync (not those already off or gone).</summary>
    public static List<(string Id, string? Name)> StoppedByMigration(StepContext c) =>
        [.. c.Outputs<StopServerOutput>(RunPlanner.StopServer)
            .Where(o => o.Output.Was != "gone" && !StopServerStep.IsOff(o.Output.Was))
            .Select(o => (Id: o.Output.ServerId, Name: c.Manifest.Servers.FirstOrDefault(s => s.Id == o.Target)?.Name))];

    /// <summary>Unmanages the volumes the run imported at the recovery site (their data stays on the array
    /// until the copy goes too) and destroys the recovery array's copies the run's promotes made. First of the
    /// three: a plugin that promoted the replica in place (rbd) gives it back its own name while it is still
    /// writable there.</summary>
    public static async Task<Dictionary<string, List<string>>> RemoveImportsAsync(StepContext c, List<string> problems, CancellationToken ct)
    {
        var removed = new Dictionary<string, List<string>> { ["volumes"] = [], ["array_copies"] = [] };
        var imported = new Dictionary<string, string>();
        if (c.TargetProjectId is not null)
        {
            var volumes = c.TargetProject.BlockStorage.Volumes;
            foreach (var volume in await volumes.ListAsync(null, ct).Where(v => RunNames.IsMine(v.Metadata, c.RunMark)).ToListAsync(ct))
            {
                if (volume.Status == "available") await volumes.UnmanageAsync(volume.Id, ct);
                else if (volume.Status is "error" or "error_managing") await volumes.DeleteAsync(volume.Id, false, ct);
                else
                {
                    problems.Add($"imported volume {volume.Name ?? volume.Id} at {c.TargetSite.Name} is {volume.Status}: remove it by hand");
                    continue;
                }
                await volumes.WaitForDeletedAsync(volume.Id, null, ct);
                imported[volume.Metadata[RunNames.SourceKey]] = volume.Id;
                removed["volumes"].Add($"{volume.Id} {volume.Name}");
            }
        }
        foreach (var step in c.Outputs<PromoteVolumeOutput>(RunPlanner.PromoteVolume))
        {
            var copy = step.Output.ArrayVolume;
            var array = c.Locate(c.Volume(step.Target!)).Target;
            if (array is null) continue;
            if (c.Plugin(array) is not IReleaseRecoveryCopy release)
            {
                problems.Add($"the '{array.Plugin}' storage plugin cannot remove copy {copy} on {array.Name}: remove it by hand");
                continue;
            }
            if (await release.ReleaseRecoveryCopyAsync(c.Ref(array), copy, imported.GetValueOrDefault(step.Target!), ct))
                removed["array_copies"].Add($"{array.Name}:{copy}");
        }
        return removed;
    }

    /// <summary>Makes each group's source writable again and its target a replica again (an ActiveDR pod the
    /// run demoted or promoted). A line per group says what changed.</summary>
    public static async Task<List<object>> UndoDemotesAsync(StepContext c, IEnumerable<ReplicationGroup> groups, List<string> problems, CancellationToken ct)
    {
        var done = new List<object>();
        foreach (var group in groups)
        {
            var source = c.Array(group.SourceArrayId);
            if (c.Plugin(source) is not IUndoDemote undo)
            {
                problems.Add($"group {group.Name}: the '{source.Plugin}' storage plugin cannot undo a demote; make its source writable on {source.Name} by hand");
                continue;
            }
            var changes = await undo.UndoDemoteAsync(c.GroupRef(group), ct);
            done.Add(new { group = group.Name, detail = changes.Count == 0 ? $"the source on {source.Name} still takes writes" : string.Join("; ", changes) });
        }
        return done;
    }

    /// <summary>Starts the primary's servers the run stopped (a server already running again is left as it is).</summary>
    public static async Task<List<object>> StartServersAsync(StepContext c, IEnumerable<(string Id, string? Name)> stopped, List<string> problems, CancellationToken ct)
    {
        var restarted = new List<object>();
        var nova = c.SourceAdmin.Compute.Servers;
        foreach (var (id, name) in stopped)
        {
            var server = await nova.GetAsync(id, ct);
            if (server.Status == "SHUTOFF")
            {
                await nova.StartAsync(id, ct);
                await nova.WaitForStatusAsync(id, "ACTIVE", null, ct);
            }
            else if (server.Status != "ACTIVE") problems.Add($"{name ?? id} is {server.Status}");
            restarted.Add(new { server_id = id, name });
        }
        return restarted;
    }
}
