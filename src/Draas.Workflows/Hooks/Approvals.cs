using Draas.Data;
using Draas.Domain.Audit;
using Draas.Domain.Runs;
using Draas.Workflows.Runs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Hooks;

/// <summary>
/// A person's word on a run paused at an approval hook. The pause is state in the database (the run
/// <c>awaiting_approval</c>, the approval step pending with its edges met), never a worker waiting, so
/// a restart of every worker loses nothing; the approval ends the step and the engine goes on.
/// </summary>
public sealed class Approvals(DraasDbContext db, IBackgroundJobClient jobs, TimeProvider clock)
{
    /// <summary>The approval steps a run waits on: pending, every step before them succeeded.</summary>
    public static IEnumerable<Step> Ready(IReadOnlyCollection<Step> steps)
    {
        var bySequence = steps.ToDictionary(s => s.Sequence);
        return steps.Where(s => s.Kind == HookPlanner.ApprovalStep && s.State == StepState.Pending
            && s.DependsOn.All(d => bySequence[d].State == StepState.Succeeded));
    }

    /// <summary>Approves what the run waits on and lets it go on; the recovery_timeout counts again from its next step.</summary>
    public async Task<Run> ApproveAsync(Guid runId, string? approvedBy, string? requestId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var run = await RunEngine.LockAsync(db, runId, ct) ?? throw new RunRefusedException(404, $"Run {runId} could not be found.");
        if (run.State != RunState.AwaitingApproval)
            throw new RunRefusedException(409, $"the run is not awaiting approval; it is {RunPlanner.Word(run.State)}");
        var steps = await db.Steps.Where(s => s.RunId == runId).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var approved = Ready(steps).ToList();
        foreach (var step in approved)
        {
            step.TransitionTo(StepState.Running, now);
            step.Output = RunJson.Serialize(new { approved_by = approvedBy, approved_at = now, message = RunJson.Object(step.Input)["message"]?.GetValue<string>() });
            step.TransitionTo(StepState.Succeeded, now);
        }
        run.TransitionTo(RunState.Running, now);
        run.DeadlineFrom = null;
        db.AuditEvents.Add(AuditEvent.OfRun(run, now, "run.approved", ok: true, new { kind = run.Kind, plan_id = run.PlanId, steps = approved.Select(s => s.Sequence) }, requestId, approvedBy));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        RunEngine.Kick(jobs, run.Id, run.Queue);
        return run;
    }
}
