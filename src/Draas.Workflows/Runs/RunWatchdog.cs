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
        // The crash is the run's event, as a step's failure would be: written in the transaction that takes the
        // step back, so no reader (nor a second watchdog, whose reclaim waits on the row) sees one without the other.
        List<LapsedStep> lapsed;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            lapsed = await scope.ServiceProvider.GetRequiredService<StepLeases>().ReclaimLapsedAsync(db, ct);
            foreach (var step in lapsed)
            {
                db.AuditEvents.Add(Domain.Audit.AuditEvent.Of(now, "run.step_interrupted", "run", step.RunId.ToString(), ok: false, step.ProjectId,
                    new { step = step.Sequence, kind = step.Kind, target = step.Target, attempt = step.Attempts, retrying = true }));
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        if (lapsed.Count > 0) logger.LogWarning("{Count} running steps lost their worker and were re-queued", lapsed.Count);
        // Pumped here, one after another, not as a Hangfire job each: with a hundred runs in flight, a job per run
        // per sweep was more jobs than the steps had, and the steps' own jobs queued behind them.
        var pumps = scope.ServiceProvider.GetRequiredService<RunPumps>();
        var jobs = scope.ServiceProvider.GetRequiredService<Hangfire.IBackgroundJobClient>();
        foreach (var (runId, queue) in Due(await StalledRunsAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct), lapsed, now))
        {
            try
            {
                StepJob.Enqueue(jobs, await pumps.PumpAsync(runId, queue, ct));
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

    /// <summary>When this watchdog last pumped each stalled run.</summary>
    private readonly Dictionary<Guid, DateTimeOffset> _pumped = [];

    /// <summary>How often a run that stays stalled is pumped again. A run waiting for a site's or array's slot
    /// has no step running, and each ending step that frees a slot pumps the runs waiting for it; the sweep is
    /// only the net under that, and pumping a hundred waiting runs every sweep cost more than the steps.</summary>
    public static TimeSpan StalledRepumpEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The runs to pump now: those whose steps were just re-queued, those past their deadline, those that
    /// became stalled since the last sweep, and those still stalled once <see cref="StalledRepumpEvery"/> passed.</summary>
    private List<(Guid Run, string Queue)> Due(List<StalledRun> stalled, List<LapsedStep> lapsed, DateTimeOffset now)
    {
        var reclaimed = lapsed.Select(s => s.RunId).ToHashSet();
        foreach (var gone in _pumped.Keys.Except(stalled.Select(s => s.Id)).ToList()) _pumped.Remove(gone);
        var due = stalled.Where(s => reclaimed.Contains(s.Id) || s.PastDeadline || !_pumped.TryGetValue(s.Id, out var at) || now - at >= StalledRepumpEvery).ToList();
        foreach (var s in due) _pumped[s.Id] = now;
        return [.. due.Select(s => (s.Id, s.Queue)), .. lapsed.Where(l => stalled.All(s => s.Id != l.RunId)).Select(l => (l.RunId, l.Queue)).Distinct()];
    }

    private sealed record StalledRun(Guid Id, string Queue, bool PastDeadline);

    /// <summary>
    /// Unfinished runs nothing else is going to move: none of their steps is running (a running step's job, or
    /// the wait poller's for a parked one, pumps its run when the step ends, so those runs need no sweep), or
    /// past their recovery deadline (the pump stops them starting new steps). A pump lost with its process,
    /// a kick that could not be queued, a run waiting for a site's slot that no ending step handed it: all
    /// end up here.
    /// </summary>
    /// <remarks>A run whose clock has not started (<c>deadline_from</c> is null until its first step executes) is not
    /// past its deadline. The comparison is null there, and a null read as a bool failed every sweep, for every run,
    /// once a worker died between claiming a run's first step and executing it.</remarks>
    private static Task<List<StalledRun>> StalledRunsAsync(DraasDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Database.SqlQuery<StalledRun>($"""
            SELECT * FROM (
              SELECT r.id, r.queue, COALESCE(r.state = 'running' AND r.deadline_from + r.timeout_seconds * interval '1 second' < {now}, false) AS past_deadline FROM runs r
              WHERE r.state IN ('pending', 'running', 'cancelling', 'rolling_back')) x
            WHERE x.past_deadline OR NOT EXISTS (SELECT 1 FROM steps s WHERE s.run_id = x.id AND s.state = 'running')
            """).ToListAsync(ct);
    }
}
