using Draas.Data;
using Draas.Domain.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Runs;

/// <summary>
/// What makes a run survive a killed worker: a running step whose lease lapsed goes back to pending
/// (its handler is idempotent, so the next attempt finds the earlier work), and every unfinished run
/// is pumped again, so a pump lost with its process is never the end of a run.
/// </summary>
public sealed class RunWatchdog(IServiceScopeFactory scopes, ILogger<RunWatchdog> logger) : BackgroundService
{
    /// <summary>How the error of a step taken back from a stopped worker begins (the run view shows it as interrupted).</summary>
    public const string Interrupted = "interrupted:";

    // Read back through the model's snake_case naming: run_id is RunId.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan every;
        using (var scope = scopes.CreateScope()) every = scope.ServiceProvider.GetRequiredService<StepLeases>().SweepEvery;
        using var timer = new PeriodicTimer(every);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Run watchdog sweep failed: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DraasDbContext>();
        var now = TimeProvider.System.GetUtcNow();
        // The crash is the run's event, as a step's failure would be.
        var lapsed = await scope.ServiceProvider.GetRequiredService<StepLeases>().ReclaimLapsedAsync(db, ct);
        if (lapsed.Count > 0)
        {
            logger.LogWarning("{Count} running steps lost their worker and were re-queued", lapsed.Count);
            foreach (var step in lapsed)
            {
                db.AuditEvents.Add(Domain.Audit.AuditEvent.Of(now, "run.step_interrupted", "run", step.RunId.ToString(), ok: false, step.ProjectId,
                    new { step = step.Sequence, kind = step.Kind, target = step.Target, attempt = step.Attempts, retrying = true }));
            }
            await db.SaveChangesAsync(ct);
        }
        // Pumped here, one after another, not as a Hangfire job each: with a hundred runs in flight, a job per run
        // per sweep was more jobs than the steps had, and the steps' own jobs queued behind them.
        foreach (var runId in (await StalledRunsAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct)).Union(lapsed.Select(s => s.RunId)))
        {
            try
            {
                await using var pump = scopes.CreateAsyncScope();
                await pump.ServiceProvider.GetRequiredService<RunEngine>().PumpAsync(runId, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning("Could not pump run {Run} (the next sweep tries again): {Error}", runId, e.Message);
            }
        }
        // A commit_timeout that passed is decided here, on the service's clock, whichever process set it.
        var decided = await scope.ServiceProvider.GetRequiredService<CommitDecisions>().DecideDueAsync(ct);
        if (decided > 0) logger.LogInformation("{Count} runs awaiting commit took their auto_action", decided);
    }

    /// <summary>
    /// Unfinished runs nothing else is going to move: none of their steps is running (a running step's job, or
    /// the wait poller's for a parked one, pumps its run when the step ends, so those runs need no sweep), or
    /// past their recovery deadline (the pump stops them starting new steps). A pump lost with its process,
    /// a kick that could not be queued, a run waiting for a site's slot that no ending step handed it: all
    /// end up here.
    /// </summary>
    private static Task<List<Guid>> StalledRunsAsync(DraasDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Database.SqlQuery<Guid>($"""
            SELECT r.id AS "Value" FROM runs r
            WHERE r.state IN ('pending', 'running', 'cancelling', 'rolling_back')
              AND (NOT EXISTS (SELECT 1 FROM steps s WHERE s.run_id = r.id AND s.state = 'running')
                OR (r.state = 'running' AND r.deadline_from + r.timeout_seconds * interval '1 second' < {now}))
            """).ToListAsync(ct);
    }
}
