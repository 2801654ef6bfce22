using Draas.Data;
using Draas.Domain.Audit;
using Draas.Domain.Runs;
using Draas.Workflows.Notifications;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs;

/// <summary>
/// A person's word on a failover or planned migration run with <c>commit: manual</c> (Zerto's commit or
/// rollback). The wait is state in the database, never a worker waiting: the run is <c>awaiting_commit</c>
/// with its last step, the decision, pending. Commit ends that step and the run succeeds as an automatic
/// commit would have (the plan moves to the recovery site). Rollback ends it and adds one step that removes
/// what the run made at the recovery site and gives the primary back; the run ends <c>rolled_back</c> and the
/// plan stays where it was. With <c>commit_timeout</c>, the run watchdog takes the <c>auto_action</c> when it
/// is due, so a decision nobody made is still made, whichever process restarted meanwhile.
/// </summary>
public sealed class CommitDecisions(DraasDbContext db, IBackgroundJobClient jobs, RunEvents events, TimeProvider clock)
{
    /// <summary>The step a manual-commit run ends with: never claimed by a worker, ended by the decision.</summary>
    public const string DecisionStep = "commit";

    /// <summary>The step a rollback adds after the decision.</summary>
    public const string RollbackStep = "rollback";

    /// <summary>Who decided when the commit_timeout passed.</summary>
    public const string Timeout = "commit_timeout";

    /// <summary>The decision step the run now waits on: pending, every step before it succeeded.</summary>
    public static Step? Ready(IReadOnlyCollection<Step> steps)
    {
        var bySequence = steps.ToDictionary(s => s.Sequence);
        return steps.FirstOrDefault(s => s.Kind == DecisionStep && s.State == StepState.Pending
            && s.DependsOn.All(d => bySequence[d].State == StepState.Succeeded));
    }

    /// <summary>The run starts waiting: the step shows since when, and when its auto_action is due (not_before).</summary>
    public static void Await(Step decision, DateTimeOffset now)
    {
        decision.StartedAt = now;
        decision.NotBefore = RunJson.ReadInput<CommitDecisionInput>(decision.Input).CommitTimeout is { } seconds ? now.AddSeconds(seconds) : null;
    }

    public Task<Run> CommitAsync(Guid runId, string? decidedBy, string? requestId, CancellationToken ct) =>
        DecideAsync(runId, "commit", decidedBy, automatic: false, requestId, ct);

    public Task<Run> RollbackAsync(Guid runId, string? decidedBy, string? requestId, CancellationToken ct) =>
        DecideAsync(runId, "rollback", decidedBy, automatic: false, requestId, ct);

    /// <summary>The watchdog's turn: each run whose commit_timeout passed gets its auto_action.</summary>
    /// <returns>How many runs were decided.</returns>
    public async Task<int> DecideDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await db.Steps.AsNoTracking()
            .Where(s => s.Kind == DecisionStep && s.State == StepState.Pending && s.NotBefore != null && s.NotBefore <= now)
            .Join(db.Runs.Where(r => r.State == RunState.AwaitingCommit), s => s.RunId, r => r.Id, (s, r) => new { s.RunId, s.Input })
            .ToListAsync(ct);
        var decided = 0;
        foreach (var run in due)
        {
            var action = RunJson.ReadInput<CommitDecisionInput>(run.Input).AutoAction ?? "rollback";
            try
            {
                await DecideAsync(run.RunId, action, Timeout, automatic: true, null, ct);
                decided++;
            }
            catch (RunRefusedException)
            {
                // A person decided between the query and the lock: theirs stands.
            }
            db.ChangeTracker.Clear();
        }
        return decided;
    }

    private async Task<Run> DecideAsync(Guid runId, string decision, string? decidedBy, bool automatic, string? requestId, CancellationToken ct)
    {
        int told;
        Run run;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            run = await RunEngine.LockAsync(db, runId, ct) ?? throw new RunRefusedException(404, $"Run {runId} could not be found.");
            if (run.State != RunState.AwaitingCommit)
                throw new RunRefusedException(409, $"the run is not awaiting commit; it is {RunPlanner.Word(run.State)}");
            var steps = await db.Steps.Where(s => s.RunId == runId).ToListAsync(ct);
            var step = Ready(steps) ?? throw new RunRefusedException(409, "the run has no decision waiting");
            var now = clock.GetUtcNow();
            step.TransitionTo(StepState.Running, now);
            step.Output = RunJson.Serialize(new
            {
                decision,
                decided_by = decidedBy,
                decided_at = now,
                automatic,
                waited_seconds = step.StartedAt is { } since ? Math.Round((now - since).TotalSeconds, 3) : (double?)null,
            });
            step.NotBefore = null;
            step.TransitionTo(StepState.Succeeded, now);
            if (decision == "commit")
            {
                run.TransitionTo(RunState.Running, now);
                told = 0;
            }
            else
            {
                db.Steps.Add(new Step
                {
                    Id = Guid.NewGuid(),
                    RunId = run.Id,
                    Sequence = steps.Max(s => s.Sequence) + 1,
                    Phase = step.Phase + 1,
                    Kind = RollbackStep,
                    Input = "{}",
                    DependsOn = [step.Sequence],
                });
                run.TransitionTo(RunState.RollingBack, now);
                told = await events.PublishAsync(db, run, "rolling_back", now, ct);
            }
            db.AuditEvents.Add(AuditEvent.OfRun(run, now, decision == "commit" ? "run.committed" : "run.rollback_started", ok: true,
                new { kind = run.Kind, plan_id = run.PlanId, automatic }, requestId, decidedBy));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        RunEngine.Kick(jobs, run.Id, run.Queue);
        if (told > 0) NotificationDelivery.Kick(jobs);
        return run;
    }
}
