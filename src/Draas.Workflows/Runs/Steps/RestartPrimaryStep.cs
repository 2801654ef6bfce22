using Draas.Data;
using Draas.Domain.Runs;
using Draas.Storage;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// The last step of a planned migration (or failback) that stopped the primary or demoted its replication
/// source: when the run was cancelled, each ActiveDR pod it demoted takes writes again (and its replica is a
/// replica again), then the primary's servers it stopped are started again, so a cancel gives the tenant its
/// service back where it was. Not when a recovered server already booted at the other site (two copies
/// would write), and not when the run goes on or failed (a failed one is resumed; its primary stays
/// stopped). A cancel that gives the primary back also removes what the run made at the recovery site: the
/// volumes it imported (unmanaged) and the recovery array's copies its promotes made. The output says which servers and groups were given back and why not; the report shows it.
/// </summary>
public sealed class RestartPrimaryStep(DraasDbContext db) : IStepHandler
{
    public string Kind => RunPlanner.RestartPrimary;

    public async Task<object?> ExecuteAsync(StepContext c, CancellationToken ct)
    {
        var state = await db.Runs.AsNoTracking().Where(r => r.Id == c.Run.Id).Select(r => r.State).SingleAsync(ct);
        var stopped = c.Outputs(RunPlanner.StopServer)
            .Where(o => o.Output["was"]?.GetValue<string>() is { } was && was != "gone" && !StopServerStep.IsOff(was))
            .Select(o => (Id: o.Output["server_id"]!.GetValue<string>(), Name: c.Manifest.Servers.FirstOrDefault(s => s.Id == o.Target)?.Name))
            .ToList();
        if (state != RunState.Cancelling)
            return new { restarted = Array.Empty<object>(), groups = Array.Empty<object>(), reason = state == RunState.Running ? "the migration went on: the primary stays stopped" : "the run was not cancelled: the primary stays stopped for a resume" };
        if (c.Outputs(RunPlanner.BootServer).Any())
            return new { restarted = Array.Empty<object>(), groups = Array.Empty<object>(), reason = $"recovered servers already run at {c.TargetSite.Name}: the primary stays stopped so two copies never write" };
        var restarted = new List<object>();
        var problems = new List<string>();
        // What the cancelled run made at the recovery site serves nobody once the primary runs again, and would
        // only be found by an operator later (a resume is refused then). First, because a plugin that promoted the
        // replica in place (rbd) gives it back its own name while it is still writable there.
        var recoverySite = await ClearRecoverySiteAsync(c, problems, ct);
        // The storage next: a server started on a demoted pod could not write.
        var groups = new List<object>();
        foreach (var step in await db.Steps.AsNoTracking().Where(s => s.RunId == c.Run.Id && s.Kind == RunPlanner.DemoteSource && s.Attempts > 0).ToListAsync(ct))
        {
            var group = c.Group(Guid.Parse(RunJson.Object(step.Input)["group_id"]!.GetValue<string>()));
            var source = c.Array(group.SourceArrayId);
            var undo = c.Plugin(source) as IUndoDemote;
            if (undo is null)
            {
                problems.Add($"group {group.Name}: the '{source.Plugin}' storage plugin cannot undo a demote; make its source writable on {source.Name} by hand");
                continue;
            }
            var changes = await undo.UndoDemoteAsync(c.GroupRef(group), ct);
            groups.Add(new { group = group.Name, detail = changes.Count == 0 ? $"the source on {source.Name} still takes writes" : string.Join("; ", changes) });
        }
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
        if (problems.Count > 0) throw new StepFailedException($"could not give the primary back: {string.Join("; ", problems)}", new { restarted, groups, recovery_site = recoverySite, problems });
        var given = new List<string>();
        if (groups.Count > 0) given.Add($"{groups.Count} replication source(s) writable again");
        if (restarted.Count > 0) given.Add($"{restarted.Count} primary server(s) started again at {c.SourceSite.Name}");
        if (recoverySite.Values.Any(l => l.Count > 0))
            given.Add($"{recoverySite["volumes"].Count} imported volume(s) and {recoverySite["array_copies"].Count} array copy(ies) removed at {c.TargetSite.Name}");
        return new { restarted, groups, recovery_site = recoverySite, reason = given.Count == 0 ? "the run stopped no server and demoted nothing" : $"the migration was cancelled: {string.Join(", ", given)}" };
    }

    /// <summary>Unmanages the volumes the run imported at the recovery site (their data stays on the array
    /// until the copy goes too) and destroys the recovery array's copies the run's promotes made.</summary>
    private static async Task<Dictionary<string, List<string>>> ClearRecoverySiteAsync(StepContext c, List<string> problems, CancellationToken ct)
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
        foreach (var step in c.Outputs(RunPlanner.PromoteVolume))
        {
            var copy = step.Output["array_volume"]!.GetValue<string>();
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
}
