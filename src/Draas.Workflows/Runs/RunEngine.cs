using Draas.Data;
using Draas.Domain.Audit;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.Workflows.Notifications;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Runs;

/// <summary>
/// Moves a run forward, and is the only thing that does: with the run's row locked, it skips steps whose
/// dependencies failed, claims ready steps up to the run's <c>max_parallel</c> (if set) and the recovery site's and
/// arrays' limits (<see cref="SiteCapacity"/>) with <c>FOR UPDATE SKIP LOCKED</c>, hands them to a step job
/// (the one pumping, or a queued one), and closes the run when every step has ended. Any worker may pump any run at any time; the database decides, nothing is in memory.
/// </summary>
public sealed class RunEngine(DraasDbContext db, IBackgroundJobClient jobs, RunReports reports, RunEffects effects, StepLeases leases, RunEvents events, TimeProvider clock, ILogger<RunEngine> logger)
{
    /// <summary>Queue a pump of the run on its own queue (drills never delay failovers).</summary>
    public static void Kick(IBackgroundJobClient jobs, Guid runId, string queue, TimeSpan? delay = null)
    {
        if (delay is { } d && d > TimeSpan.Zero) jobs.Schedule<RunEngine>(queue, e => e.PumpAsync(runId, CancellationToken.None), d);
        else jobs.Enqueue<RunEngine>(queue, e => e.PumpAsync(runId, CancellationToken.None));
    }

    /// <summary>Pumps the run and queues what it claimed as step jobs.</summary>
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [1, 2, 5, 10, 20, 30, 60, 60, 60, 60])]
    public async Task PumpAsync(Guid runId, CancellationToken ct) => StepJob.Enqueue(jobs, await PumpClaimingAsync(runId, ct));

    /// <summary>The pump, for a step job that runs what it claims itself: nothing is queued here.</summary>
    public async Task<ClaimedSteps> PumpClaimingAsync(Guid runId, CancellationToken ct)
    {
        List<StepTicket> claimed;
        string queue;
        var told = 0;
        var started = false;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var run = await LockAsync(db, runId, ct);
            if (run is null || RunStates.IsFinal(run.State)) return new ClaimedSteps("", []);
            queue = run.Queue;
            var now = clock.GetUtcNow();
            if (run.State == RunState.Pending)
            {
                run.TransitionTo(RunState.Running, now);
                run.TraceParent ??= RunTracing.StartRun(run);
                told += await events.StartedAsync(db, run, now, ct);
                started = true;
            }
            // The deadline counts from the first step that executed (a run that waited for workers has not started).
            if (run.State == RunState.Running && run.DeadlineFrom is { } from && now > from.AddSeconds(run.TimeoutSeconds))
            {
                run.Error = $"recovery_timeout of {run.TimeoutSeconds} s exceeded: no new step starts";
                run.TransitionTo(RunState.Cancelling, now);
            }

            var steps = await db.Steps.Where(s => s.RunId == runId).OrderBy(s => s.Sequence).ToListAsync(ct);
            SettleBlocked(run, steps, now);
            await db.SaveChangesAsync(ct);

            var running = steps.Count(s => s.State == StepState.Running);
            var room = run.MaxParallel is { } cap ? Math.Max(0, cap - running) : int.MaxValue;
            claimed = room == 0 ? [] : await ClaimAsync(run, room, now, ct);
            // An approval or commit step is never claimed: once its edges are met the run waits for a person, holding no worker.
            if (run.State == RunState.Running && Hooks.Approvals.Ready(steps).Any())
            {
                run.TransitionTo(RunState.AwaitingApproval, now);
                told += await events.PublishAsync(db, run, "awaiting_approval", now, ct);
                await db.SaveChangesAsync(ct);
            }
            // Manual commit: everything else succeeded, so the tenant runs at the recovery site; a person decides.
            if (run.State == RunState.Running && CommitDecisions.Ready(steps) is { } decision)
            {
                CommitDecisions.Await(decision, now);
                run.TransitionTo(RunState.AwaitingCommit, now);
                db.AuditEvents.Add(AuditEvent.OfRun(run, now, "run.awaiting_commit", ok: true,
                    new { kind = run.Kind, plan_id = run.PlanId, auto_action_at = decision.NotBefore }, run.RequestId));
                told += await events.PublishAsync(db, run, "awaiting_commit", now, ct);
                await db.SaveChangesAsync(ct);
            }
            if (steps.All(s => StepStates.IsFinal(s.State)) && claimed.Count == 0)
            {
                told += await FinishAsync(run, steps, now, ct);
            }
            await tx.CommitAsync(ct);
            if (started && !run.DryRun) RunMetrics.RunsStarted.WithLabels(RunMetrics.Word(run.Kind)).Inc();
            if (RunStates.IsFinal(run.State) && !run.DryRun) RunMetrics.Ended(run);
        }
        if (told > 0) NotificationDelivery.Kick(jobs);
        return new ClaimedSteps(queue, claimed);
    }

    /// <summary>The run's row, locked until the caller's transaction ends: how pumps and cancels take turns.
    /// (EF needs <c>xmin</c>, the concurrency token, in the result.)</summary>
    public static async Task<Domain.Runs.Run?> LockAsync(DraasDbContext db, Guid runId, CancellationToken ct) =>
        (await db.Runs.FromSql($"SELECT *, xmin FROM runs WHERE id = {runId} FOR UPDATE").ToListAsync(ct)).SingleOrDefault();

    /// <summary>Pending steps that can no longer run: a dependency failed (skipped), or the run is being
    /// cancelled (cancelled, except the ones that must always run, such as a drill's cleanup).</summary>
    private static void SettleBlocked(Domain.Runs.Run run, List<Step> steps, DateTimeOffset now)
    {
        var bySequence = steps.ToDictionary(s => s.Sequence);
        bool changed;
        do
        {
            changed = false;
            foreach (var step in steps.Where(s => s.State == StepState.Pending))
            {
                var blocker = step.DependsOn.Select(d => bySequence[d]).FirstOrDefault(d => StepStates.IsFinal(d.State) && d.State != StepState.Succeeded);
                if (run.State == RunState.Cancelling && !step.Always)
                {
                    step.Error = run.Error ?? "the run was cancelled";
                    step.TransitionTo(StepState.Cancelled, now);
                }
                else if (blocker is not null && !step.Always)
                {
                    step.Error = $"not run: {blocker.Kind} {blocker.Target} {blocker.State.ToString().ToLowerInvariant()}";
                    step.TransitionTo(StepState.Skipped, now);
                }
                else continue;
                changed = true;
            }
        }
        while (changed);
    }

    private async Task<List<StepTicket>> ClaimAsync(Domain.Runs.Run run, int room, DateTimeOffset now, CancellationToken ct)
    {
        // A step is ready when each step it depends on succeeded (or, for an always-step, ended).
        var ready = await db.Steps.FromSql($"""
            SELECT s.*, s.xmin FROM steps s
            WHERE s.run_id = {run.Id} AND s.state = 'pending' AND s.kind NOT IN ('approval', 'commit') AND (s.not_before IS NULL OR s.not_before <= {now})
              AND NOT EXISTS (
                SELECT 1 FROM steps d
                WHERE d.run_id = s.run_id AND d.sequence = ANY (s.depends_on)
                  AND NOT (d.state = 'succeeded' OR (s.always AND d.state IN ('failed', 'skipped', 'cancelled'))))
            ORDER BY s.sequence
            FOR UPDATE OF s SKIP LOCKED
            """).ToListAsync(ct);
        // Up to the run's room, and imports, boots and copies only while their site or array has free slots;
        // the ready steps not taken stay pending, and a slot freed by any run pumps this one again.
        ready = await SiteCapacity.AdmitAsync(db, run, ready, room, ct);
        // Stamped now, not when the pump began: admission may have waited for a slot another run just freed.
        var started = ready.Count > 0 ? clock.GetUtcNow() : now;
        foreach (var step in ready)
        {
            step.TransitionTo(StepState.Running, started);
            step.NotBefore = null;
        }
        await db.SaveChangesAsync(ct);
        if (ready.Count > 0) await leases.TakeAsync(db, [.. ready.Select(s => s.Id)], ct);
        return [.. ready.Select(s => new StepTicket(s.Id, s.Attempts, s.Kind))];
    }

    /// <returns>How many notifications the ending queued.</returns>
    private async Task<int> FinishAsync(Domain.Runs.Run run, List<Step> steps, DateTimeOffset now, CancellationToken ct)
    {
        var failed = steps.Where(s => s.State == StepState.Failed).ToList();
        var outcome = run.State == RunState.Cancelling
            ? (run.Error?.StartsWith("recovery_timeout", StringComparison.Ordinal) == true ? RunState.Failed : RunState.Cancelled)
            : failed.Count > 0 ? RunState.Failed
            : steps.Any(s => s.Kind == CommitDecisions.RollbackStep) ? RunState.RolledBack
            : RunState.Succeeded;
        if (outcome == RunState.Failed && run.Error is null)
            run.Error = string.Join("; ", failed.Select(s => $"{s.Kind} {s.Target}: {s.Error}"));
        run.TransitionTo(outcome, now);
        run.Report = await reports.BuildJsonAsync(run, steps, ct);
        if (outcome == RunState.Succeeded) await effects.ApplyAsync(run, ct);
        db.AuditEvents.Add(AuditEvent.OfRun(run, now, $"run.{RunPlanner.Word(outcome)}", outcome == RunState.Succeeded,
            new { kind = run.Kind, plan_id = run.PlanId, error = run.Error }, run.RequestId));
        await db.SaveChangesAsync(ct);
        using (var finished = RunTracing.StartChild(run.TraceParent, "run.finished"))
        {
            finished?.SetTag("draas.run.state", RunMetrics.Word(outcome));
            if (outcome != RunState.Succeeded) finished?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, run.Error);
        }
        logger.LogInformation("Run {Run} ({Kind}) {Outcome}", run.Id, run.Kind, outcome);
        return await events.EndedAsync(db, run, now, ct);
    }
}
