using Draas.Data;
using Draas.Domain.Runs;
using Hangfire;
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
        var jobs = scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>();
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
        var active = await db.Runs.AsNoTracking()
            .Where(r => r.State == RunState.Pending || r.State == RunState.Running || r.State == RunState.Cancelling || r.State == RunState.RollingBack)
            .Select(r => new { r.Id, r.Queue }).ToListAsync(ct);
        foreach (var run in active) RunEngine.Kick(jobs, run.Id, run.Queue);
        // A commit_timeout that passed is decided here, on the service's clock, whichever process set it.
        var decided = await scope.ServiceProvider.GetRequiredService<CommitDecisions>().DecideDueAsync(ct);
        if (decided > 0) logger.LogInformation("{Count} runs awaiting commit took their auto_action", decided);
    }
}
