using Draas.Data;
using Draas.Domain.Runs;
using Draas.Storage;
using Draas.Workflows.Notifications;
using Draas.Workflows.Protection;
using Draas.Workflows.Sites;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Runs;

/// <summary>
/// Executes one attempt of one step, in a scope of its own inside a <see cref="StepJob"/>. The attempt number
/// is its ticket: an attempt that finds its step moved on (finished, or re-queued after this worker's lease ran
/// out) does nothing. While it works it renews the step's lease; every ending is written with the same guard,
/// and a step that ends pumps its run here. An ending touches only its step's row: the run's row is the pump's lock,
/// and endings that waited for it (to count the run's remaining steps down) queued behind pumps that waited for a site's capacity.
/// </summary>
public sealed class StepAttempt(DraasDbContext db, IServiceScopeFactory scopes, RunPumps pumps, IBackgroundJobClient jobs, IEnumerable<IStepHandler> handlers,
    SiteSessionPool sessions, StoragePluginCatalog plugins, ArrayReferences references, StepLeases leases, RunEvents events, TimeProvider clock, ILogger<StepAttempt> logger)
{
    /// <summary>Per-attempt limit of one step, so one hung call cannot hold a run until its deadline.</summary>
    public static TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <returns>The steps that the pumps after this attempt claimed, for the job to run next.</returns>
    public async Task<IReadOnlyList<ClaimedSteps>> RunAsync(Guid stepId, int attempt, CancellationToken ct)
    {
        // The attempt's reads in one transaction, not one each (a transaction per statement was a fifth of a step's).
        Step? step;
        Run run;
        bool firstExecution;
        await using (var reads = await db.Database.BeginTransactionAsync(ct))
        {
            step = await db.Steps.AsNoTracking().SingleOrDefaultAsync(s => s.Id == stepId, ct);
            if (step is null || step.State != StepState.Running || step.Attempts != attempt)
            {
                logger.LogInformation("Step {Step} attempt {Attempt} is no longer this job's ({State}, attempt {Now})", stepId, attempt, step?.State, step?.Attempts);
                return [];
            }
            if (StepWait.FromJson(step.WaitingFor) is { Woken: false })
            {
                // Parked: only the wait poller hands it back (this is a stale copy of the job that parked it).
                logger.LogInformation("Step {Step} attempt {Attempt} is parked; the wait poller resumes it", stepId, attempt);
                return [];
            }
            // The attempt's first renewal, and whether it is the first execution since the step was handed out.
            firstExecution = await leases.StartAsync(db, stepId, attempt, ct);
            run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == step.RunId, ct);
            if (run.DeadlineFrom is null)
                await db.Database.ExecuteSqlAsync($"UPDATE runs SET deadline_from = {clock.GetUtcNow()} WHERE id = {run.Id} AND deadline_from IS NULL", ct);
            await reads.CommitAsync(ct);
        }
        // The step's span; the OpenStack and array requests below are its children (HTTP instrumentation).
        // A step woken from its wait runs again in a new job: its span says so, so a trace still has one "step" span per step.
        var resumed = StepWait.FromJson(step.WaitingFor) is { Woken: true };
        using var span = RunTracing.StartChild(run.TraceParent, resumed ? $"step {step.Kind} resumed" : $"step {step.Kind}");
        if (resumed) span?.SetTag("draas.step.resumed", true);
        span?.SetTag("draas.step.sequence", step.Sequence);
        span?.SetTag("draas.step.kind", step.Kind);
        span?.SetTag("draas.step.target", step.Target);
        span?.SetTag("draas.step.attempt", attempt);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var lease = CancellationTokenSource.CreateLinkedTokenSource(ct);
        lease.CancelAfter(StepTimeout);
        var renewal = RenewLeaseAsync(stepId, attempt, lease);
        try
        {
            var handler = handlers.SingleOrDefault(h => h.Kind == step.Kind) ?? throw new StepFailedException($"no handler for step kind '{step.Kind}'");
            StepContext context;
            await using (var reads = await db.Database.BeginTransactionAsync(lease.Token))
            {
                context = await StepContext.LoadAsync(db, run, step, handler.ReadsOutputsOf, sessions, plugins, references, clock, lease.Token,
                    untouched: firstExecution && attempt == 1);
                await reads.CommitAsync(lease.Token);
            }
            logger.LogInformation("Run {Run} step {Sequence} {Kind} {Target}: attempt {Attempt}", run.Id, step.Sequence, step.Kind, step.Target, attempt);
            var output = await handler.ExecuteAsync(context, lease.Token);
            await EndAsync(step, attempt, StepState.Succeeded, RunJson.Serialize(output), null, null);
            Measure(step.Kind, "succeeded", watch);
        }
        catch (StepParkedException parked) when (!lease.IsCancellationRequested)
        {
            // The step acted and now waits for the cloud: it frees this worker, and the wait poller keeps its lease.
            // Not measured: the attempt has not ended (its woken job measures the end).
            await ParkAsync(step, attempt, parked.Wait);
            return [];
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The process is stopping: the step stays running and is re-queued when its lease runs out.
            throw;
        }
        catch (Exception e)
        {
            if (lease.IsCancellationRequested && !await StillOursAsync(stepId, attempt))
            {
                logger.LogWarning("Step {Step} attempt {Attempt} lost its lease ({Error}); its new attempt carries on", stepId, attempt, e.Message);
                return [];
            }
            var message = lease.IsCancellationRequested && e is OperationCanceledException
                ? $"step attempt timed out after {StepTimeout.TotalSeconds:0} s"
                : StepFailures.Describe(e);
            var retry = (StepFailures.IsTransient(e) || e is OperationCanceledException) && step.Attempts < step.MaxAttempts;
            var delay = TimeSpan.FromSeconds(Math.Min(60, 1 << Math.Min(step.Attempts, 6)));
            logger.LogWarning("Run {Run} step {Sequence} {Kind} {Target} attempt {Attempt} failed{Retry}: {Error}",
                run.Id, step.Sequence, step.Kind, step.Target, attempt, retry ? $", retrying in {delay.TotalSeconds:0} s" : "", message);
            var output = e is StepFailedException { Output: { } o } ? RunJson.Serialize(o) : null;
            await EndAsync(step, attempt, retry ? StepState.Pending : StepState.Failed, output, message, retry ? clock.GetUtcNow() + delay : null);
            Measure(step.Kind, retry ? "retried" : "failed", watch);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, message);
            if (retry) return await KickAsync(run, step, delay);
        }
        finally
        {
            await lease.CancelAsync();
            await renewal;
        }
        return await KickAsync(run, step, null);
    }

    /// <summary>Pumps the step's run, and the runs waiting for the site or array slot the step just freed.
    /// The latter is a shortcut only (the watchdog's sweep pumps them too), so its failure is logged, not thrown.</summary>
    private async Task<IReadOnlyList<ClaimedSteps>> KickAsync(Run run, Step step, TimeSpan? delay)
    {
        var claimed = new List<ClaimedSteps>();
        if (delay is null) claimed.Add(await PumpHereAsync(run.Id, run.Queue));
        else RunEngine.Kick(jobs, run.Id, run.Queue, delay);
        // The run took the slot its step freed: the others wait on (failovers before drills holds: admission sees to it).
        if (claimed.Any(c => c.Steps.Any(s => s.Kind == step.Kind))) return claimed;
        try
        {
            // One at a time until one of them takes the slot: each pump of a run that cannot use it is wasted work.
            foreach (var (waiting, queue) in await SiteCapacity.WaitingRunsAsync(db, run, step, CancellationToken.None))
            {
                var theirs = await PumpHereAsync(waiting, queue);
                claimed.Add(theirs);
                if (theirs.Steps.Any(s => s.Kind == step.Kind)) break;
            }
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not pump the runs waiting for the slot step {Step} freed (the watchdog will): {Error}", step.Id, e.Message);
        }
        return claimed;
    }

    /// <summary>Pumps a run in this job rather than in a job of its own: a Hangfire job costs dozens of database
    /// transactions (enqueue, the fetch every idle worker tries, state changes and their locks) and a pickup.
    /// If the pump fails here, it is queued as its own job, which Hangfire retries.</summary>
    /// <returns>The steps the pump claimed.</returns>
    private async Task<ClaimedSteps> PumpHereAsync(Guid runId, string queue)
    {
        try
        {
            return await pumps.PumpAsync(runId, queue, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not pump run {Run} here ({Error}); queued as a job", runId, e.Message);
            RunEngine.Kick(jobs, runId, queue);
            return new ClaimedSteps(queue, []);
        }
    }

    /// <summary>Records the attempt's wait, only if the step is still this attempt's; its lease runs on, kept by the poller.</summary>
    private Task<int> ParkAsync(Step step, int attempt, StepWait wait) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE steps SET waiting_for = {wait.ToJson()}, lease_until = now() + {leases.Lease}
            WHERE id = {step.Id} AND state = 'running' AND attempts = {attempt}
            """, CancellationToken.None);

    /// <summary>Writes the attempt's ending, only if the step is still this attempt's.</summary>
    private async Task EndAsync(Step step, int attempt, StepState state, string? output, string? error, DateTimeOffset? notBefore)
    {
        var now = clock.GetUtcNow();
        var word = state.ToString().ToLowerInvariant();
        // A failure's event is written with it; any other ending is the one statement.
        await using var tx = state == StepState.Failed ? await db.Database.BeginTransactionAsync(CancellationToken.None) : null;
        var changed = await db.Database.ExecuteSqlAsync($"""
            UPDATE steps SET state = {word}, output = COALESCE({output}::jsonb, output), error = {error}, lease_until = NULL, waiting_for = NULL,
                not_before = {notBefore}, finished_at = CASE WHEN {word} = 'pending' THEN NULL ELSE {now} END
            WHERE id = {step.Id} AND state = 'running' AND attempts = {attempt}
            """, CancellationToken.None);
        var told = changed == 1 && tx is not null ? await events.StepFailedAsync(db, step.Id, now, CancellationToken.None) : 0;
        if (tx is not null) await tx.CommitAsync(CancellationToken.None);
        if (told > 0) NotificationDelivery.Kick(jobs);
    }

    private static void Measure(string kind, string outcome, System.Diagnostics.Stopwatch watch)
    {
        RunMetrics.StepAttempts.WithLabels(kind, outcome).Inc();
        RunMetrics.StepDuration.WithLabels(kind).Observe(watch.Elapsed.TotalSeconds);
    }

    /// <summary>Renews the attempt's lease until the attempt ends. A renewal the database does not answer is
    /// logged and tried again at the next tick (a short outage must not cost the step its owner); when a
    /// renewal finds the step taken by another attempt, this attempt is cancelled.</summary>
    private async Task RenewLeaseAsync(Guid stepId, int attempt, CancellationTokenSource lease)
    {
        await using var scope = scopes.CreateAsyncScope();
        var own = scope.ServiceProvider.GetRequiredService<DraasDbContext>();
        using var timer = new PeriodicTimer(leases.RenewEvery);
        try
        {
            // The first renewal was the attempt's start (StepLeases.StartAsync), with its reads.
            while (await timer.WaitForNextTickAsync(lease.Token))
            {
                try
                {
                    if (!await leases.RenewAsync(own, stepId, attempt, lease.Token))
                    {
                        logger.LogWarning("Step {Step} attempt {Attempt} is no longer this worker's; stopping it", stepId, attempt);
                        await lease.CancelAsync();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !lease.IsCancellationRequested)
                {
                    // If the database stays away longer than the lease, the step is re-queued and the next
                    // renewal that gets through finds it taken and stops this attempt.
                    logger.LogWarning("Could not renew the lease of step {Step} attempt {Attempt}, trying again: {Error}", stepId, attempt, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> StillOursAsync(Guid stepId, int attempt) =>
        await db.Steps.AsNoTracking().AnyAsync(s => s.Id == stepId && s.State == StepState.Running && s.Attempts == attempt);
}
