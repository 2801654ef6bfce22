using Draas.Data;
using Draas.Domain.Runs;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Notifications;

/// <summary>
/// The one place a run's state changes become notifications: <c>run.started</c>, <c>run.step_failed</c>,
/// <c>run.succeeded</c>, <c>run.failed</c>, <c>run.cancelled</c>, and any other state a caller names
/// (<see cref="PublishAsync"/>: e.g. awaiting approval or commit). Called inside the transaction that
/// moves the run; the caller kicks <see cref="NotificationDelivery"/> after it commits. Dry runs are not told.
/// Each event is keyed by the run, the event and the run's resume count, so a resumed run tells its new
/// ending but a pump that runs twice tells nothing twice.
/// </summary>
public sealed class RunEvents(NotificationOutbox outbox)
{
    public Task<int> StartedAsync(DraasDbContext db, Run run, DateTimeOffset now, CancellationToken ct) =>
        PublishAsync(db, run, "started", now, ct);

    /// <summary>The run ended: succeeded, failed or cancelled (from its state).</summary>
    public Task<int> EndedAsync(DraasDbContext db, Run run, DateTimeOffset now, CancellationToken ct) =>
        PublishAsync(db, run, RunWord(run.State), now, ct);

    /// <summary>Tells that <paramref name="run"/> reached <paramref name="state"/> (a word: awaiting_approval, ...).</summary>
    public async Task<int> PublishAsync(DraasDbContext db, Run run, string state, DateTimeOffset now, CancellationToken ct)
    {
        if (run.DryRun) return 0;
        var planName = run.PlanId is { } planId ? await db.Plans.AsNoTracking().Where(p => p.Id == planId).Select(p => p.Name).SingleOrDefaultAsync(ct) : null;
        var kind = RunWord(run.Kind);
        var summary = $"{kind} of plan {planName ?? "?"} {state.Replace('_', ' ')}" + (run.Error is { } error && state is "failed" or "cancelled" ? $": {error}" : "");
        return await outbox.AddAsync(db, new NotificationEvent($"run.{state}", $"run:{run.Id}:{state}:{run.Resumes}", run.ProtectionId, run.ProjectId, "run", run.Id.ToString(), summary, new
        {
            run_id = run.Id,
            kind,
            state,
            plan_id = run.PlanId,
            plan_name = planName,
            started_at = run.StartedAt,
            finished_at = run.FinishedAt,
            error = run.Error,
            requested_by = run.RequestedBy,
        }), now, ct);
    }

    /// <summary>A step failed for good (its retries spent, or a permanent fault): the run goes on or ends, but someone should look.</summary>
    public async Task<int> StepFailedAsync(DraasDbContext db, Guid stepId, DateTimeOffset now, CancellationToken ct)
    {
        var step = await db.Steps.AsNoTracking().SingleAsync(s => s.Id == stepId, ct);
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == step.RunId, ct);
        if (run.DryRun) return 0;
        return await outbox.AddAsync(db, new NotificationEvent("run.step_failed", $"step:{step.Id}:failed:{step.Attempts}", run.ProtectionId, run.ProjectId, "run", run.Id.ToString(),
            $"{RunWord(run.Kind)} step {step.Sequence} {step.Kind} {step.Target} failed: {step.Error}", new
            {
                run_id = run.Id,
                kind = RunWord(run.Kind),
                plan_id = run.PlanId,
                step = new { id = step.Id, sequence = step.Sequence, kind = step.Kind, target = step.Target, attempts = step.Attempts, error = step.Error },
            }), now, ct);
    }

    private static string RunWord<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
