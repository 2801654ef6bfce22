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
/// stopped). The output says which servers and groups were given back and why not; the report shows it.
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
        // The storage first: a server started on a demoted pod could not write.
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
        if (problems.Count > 0) throw new StepFailedException($"could not give the primary back: {string.Join("; ", problems)}", new { restarted, groups, problems });
        var given = new List<string>();
        if (groups.Count > 0) given.Add($"{groups.Count} replication source(s) writable again");
        if (restarted.Count > 0) given.Add($"{restarted.Count} primary server(s) started again at {c.SourceSite.Name}");
        return new { restarted, groups, reason = given.Count == 0 ? "the run stopped no server and demoted nothing" : $"the migration was cancelled: {string.Join(", ", given)}" };
    }
}
