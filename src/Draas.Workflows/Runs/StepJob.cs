using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Runs;

/// <summary>
/// The Hangfire job that runs steps: the attempts it was given, each in a scope of its own and side by side,
/// and then the steps their runs' pumps claimed when they ended, in the same job. A Hangfire job costs dozens
/// of database transactions (enqueue, the fetch each idle worker tries, state changes and their locks) and a
/// pickup; a job per step was most of what a step cost. The job ends when its attempts have parked or ended
/// and nothing more was claimed. It runs at most <see cref="AtOnce"/> attempts at a time: what it claims beyond
/// that goes to the queue as jobs of its own, so a wave spreads over every worker process.
/// </summary>
public sealed class StepJob(IServiceScopeFactory scopes, IBackgroundJobClient jobs, ILogger<StepJob> logger)
{
    /// <summary>Attempts one job runs at once; steps mostly wait for the clouds, so this is about sharing, not CPU.</summary>
    public const int AtOnce = 8;

    /// <summary>Queues the claimed steps as jobs of at most <see cref="AtOnce"/> attempts each.</summary>
    public static void Enqueue(IBackgroundJobClient jobs, ClaimedSteps claimed)
    {
        foreach (var chunk in claimed.Steps.Chunk(AtOnce))
            jobs.Enqueue<StepJob>(claimed.Queue, j => j.ExecuteManyAsync(chunk, CancellationToken.None));
    }

    // Attempts are the engine's, counted on the step; Hangfire must not run an attempt twice by itself.
    /// <summary>One attempt (jobs queued before steps were batched still call this).</summary>
    [AutomaticRetry(Attempts = 0)]
    public Task ExecuteAsync(Guid stepId, int attempt, CancellationToken ct) => ExecuteManyAsync([new StepTicket(stepId, attempt, "")], ct);

    [AutomaticRetry(Attempts = 0)]
    public async Task ExecuteManyAsync(StepTicket[] tickets, CancellationToken ct)
    {
        var running = tickets.Select(t => AttemptAsync(t, ct)).ToList();
        Exception? first = null;
        while (running.Count > 0)
        {
            var done = await Task.WhenAny(running);
            running.Remove(done);
            IReadOnlyList<ClaimedSteps> next;
            try
            {
                next = await done;
            }
            catch (Exception e)
            {
                // The others carry on; the failed attempt's step keeps its lease until it lapses and the watchdog re-queues it.
                first ??= e;
                continue;
            }
            foreach (var claimed in next.Where(c => c.Steps.Count > 0))
            {
                var here = ct.IsCancellationRequested ? 0 : Math.Clamp(AtOnce - running.Count, 0, claimed.Steps.Count);
                running.AddRange(claimed.Steps.Take(here).Select(t => AttemptAsync(t, ct)));
                if (here < claimed.Steps.Count) Enqueue(jobs, claimed with { Steps = [.. claimed.Steps.Skip(here)] });
            }
        }
        if (first is not null)
        {
            if (first is not OperationCanceledException) logger.LogError(first, "A step attempt of this job failed unexpectedly");
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    private async Task<IReadOnlyList<ClaimedSteps>> AttemptAsync(StepTicket ticket, CancellationToken ct)
    {
        // Yield first: each attempt's synchronous start must not delay its siblings' (nor the loop above).
        await Task.Yield();
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StepAttempt>().RunAsync(ticket.Step, ticket.Attempt, ct);
    }
}
