using Draas.Data;
using Draas.Domain.Runs;
using Draas.Storage;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs;

/// <summary>
/// The recovery-point holds of runs that can no longer be resumed. A failed or cancelled failover keeps the holds
/// of the volumes it has not promoted, for its resume; but only a plan's latest run can be resumed, so once a
/// later run of the plan starts (its preflight) or the plan is deleted, those holds serve nobody and would keep
/// array space forever. This releases them, per volume and idempotently (a hold already gone is no error).
/// </summary>
public static class StaleHolds
{
    /// <summary>How a hold's group is reached: its plugin (when it can hold) and its reference; null when the
    /// group is gone.</summary>
    public delegate (IHoldRecoveryPoint Holds, ReplicationGroupRef Group)? Resolve(Guid groupId);

    /// <summary>
    /// Releases the holds of the plan's runs created before <paramref name="before"/> (all runs when null) that
    /// ended failed or cancelled with volumes not promoted. Walking back from the newest, it stops after the first
    /// run whose own preflight succeeded: that preflight already released what came before it.
    /// </summary>
    /// <returns>One line per hold released, "run volume".</returns>
    public static async Task<List<string>> ReleaseAsync(DraasDbContext db, Guid planId, DateTimeOffset? before, Resolve resolve, CancellationToken ct)
    {
        var runs = await db.Runs.AsNoTracking()
            .Where(r => r.PlanId == planId && !r.DryRun && (before == null || r.CreatedAt < before))
            .OrderByDescending(r => r.CreatedAt)
            .Select(r => new { r.Id, r.State })
            .ToListAsync(ct);
        var released = new List<string>();
        foreach (var run in runs)
        {
            var steps = await db.Steps.AsNoTracking()
                .Where(s => s.RunId == run.Id && (s.Kind == RunPlanner.Preflight || s.Kind == RunPlanner.PromoteVolume))
                .Select(s => new { s.Kind, s.State, s.Input }).ToListAsync(ct);
            if (run.State is RunState.Failed or RunState.Cancelled)
            {
                foreach (var promote in steps.Where(s => s.Kind == RunPlanner.PromoteVolume && s.State != StepState.Succeeded))
                {
                    var input = RunJson.Object(promote.Input);
                    if (input["group_id"]?.GetValue<string>() is not { } groupId || input["array_volume"]?.GetValue<string>() is not { } volume) continue;
                    if (resolve(Guid.Parse(groupId)) is not { } target) continue;
                    if (await target.Holds.ReleaseHoldAsync(target.Group, RunNames.ArrayRunId(run.Id), volume, ct))
                        released.Add($"{run.Id} {volume}");
                }
            }
            if (steps.Any(s => s.Kind == RunPlanner.Preflight && s.State == StepState.Succeeded)) break;
        }
        return released;
    }
}
