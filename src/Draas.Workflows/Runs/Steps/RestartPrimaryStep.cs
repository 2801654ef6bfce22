using Draas.Data;
using Draas.Domain.Runs;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// The last step of a planned migration (or failback) that stopped the primary: when the run was
/// cancelled, the primary's servers it stopped are started again, so a cancel gives the tenant its
/// service back where it was. Not when a recovered server already booted at the other site (two copies
/// would write), and not when the run goes on or failed (a failed one is resumed; its primary stays
/// stopped). The output says which servers were started and why the others were not; the report shows it.
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
            return new { restarted = Array.Empty<object>(), reason = state == RunState.Running ? "the migration went on: the primary stays stopped" : "the run was not cancelled: the primary stays stopped for a resume" };
        if (c.Outputs(RunPlanner.BootServer).Any())
            return new { restarted = Array.Empty<object>(), reason = $"recovered servers already run at {c.TargetSite.Name}: the primary stays stopped so two copies never write" };
        var restarted = new List<object>();
        var problems = new List<string>();
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
        if (problems.Count > 0) throw new StepFailedException($"could not start every primary server again: {string.Join("; ", problems)}", new { restarted, problems });
        return new { restarted, reason = restarted.Count == 0 ? "the run stopped no server" : $"the migration was cancelled: {restarted.Count} primary server(s) started again at {c.SourceSite.Name}" };
    }
}
