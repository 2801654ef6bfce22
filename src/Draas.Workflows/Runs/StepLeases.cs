using Draas.Data;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs;

/// <summary>
/// How long a worker owns a running step without renewing it (<c>[jobs] step_lease_seconds</c>). Every
/// lease is taken, renewed and judged on the database's clock (<c>now()</c> in SQL), never a host's, so
/// two workers whose clocks disagree still agree on whose step it is.
/// </summary>
public class StepLeases(TimeSpan lease)
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

    public TimeSpan Lease { get; } = lease > TimeSpan.Zero ? lease : throw new ArgumentOutOfRangeException(nameof(lease), "a step lease must be positive");

    /// <summary>How often a running attempt renews: three times per lease, so one lost renewal costs nothing.</summary>
    public TimeSpan RenewEvery => Lease / 3;

    /// <summary>
    /// How often the watchdog looks for lapsed leases: four times per lease, at most every 5 s (the 20 s
    /// default lease gives 5 s). A short lease (the chaos tests') is then acted on as soon as it lapses.
    /// </summary>
    public TimeSpan SweepEvery => Lease / 4 < MaxSweep ? Lease / 4 : MaxSweep;

    private static readonly TimeSpan MaxSweep = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The lease of a step whose job is queued but not yet started (claimed by a pump, or woken by the wait
    /// poller): six leases. When a whole site fails over, hundreds of steps are claimed at once and their jobs
    /// wait for a worker; with the running lease they lapsed in the queue, the watchdog re-queued steps nobody
    /// had lost, and their stale jobs took workers for nothing. A queued job survives its process (Hangfire
    /// keeps it), so only a process dying between the claim's commit and the enqueue costs this longer wait.
    /// The job's first renewal, at its start, brings the lease back to <see cref="Lease"/>.
    /// </summary>
    public TimeSpan Queued => Lease * 6;

    /// <summary>Gives freshly claimed steps their queued lease, in the claiming transaction.</summary>
    public Task<int> TakeAsync(DraasDbContext db, Guid[] steps, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"UPDATE steps SET lease_until = now() + {Queued} WHERE id = ANY ({steps})", ct);

    /// <summary>Extends the leases of the parked steps the wait poller watches (one statement for all of them).</summary>
    public Task<int> RenewParkedAsync(DraasDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE steps SET lease_until = now() + {Lease}
            WHERE state = 'running' AND waiting_for IS NOT NULL AND NOT COALESCE((waiting_for::jsonb ->> 'woken')::boolean, false)
            """, ct);

    /// <summary>
    /// Starts an execution of the attempt: brings its queued lease back to one lease. True when the lease was
    /// still the queued one the claim (or the wait poller's wake) gave it, i.e. no other execution of this attempt
    /// began since the step was handed out; any execution renews it to at most one lease from its own clock. Judged
    /// at the statement's own time (<c>clock_timestamp()</c>), so of two executions racing for the row, the one that
    /// waited for the other's renewal sees it. A job that waited in the queue for more than five leases is taken as
    /// not first: a handler then looks for earlier work it would otherwise skip, which is only slower.
    /// </summary>
    public virtual async Task<bool> StartAsync(DraasDbContext db, Guid stepId, int attempt, CancellationToken ct)
    {
        if (await db.Database.ExecuteSqlAsync($"""
                UPDATE steps SET lease_until = now() + {Lease}
                WHERE id = {stepId} AND state = 'running' AND attempts = {attempt} AND lease_until > clock_timestamp() + {Lease}
                """, ct) == 1)
            return true;
        await RenewAsync(db, stepId, attempt, ct);
        return false;
    }

    /// <summary>Extends the attempt's lease; false when the step is no longer this attempt's (its lease lapsed
    /// and another attempt took it, or it ended). Throws when the database does not answer.</summary>
    public virtual async Task<bool> RenewAsync(DraasDbContext db, Guid stepId, int attempt, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync(
            $"UPDATE steps SET lease_until = now() + {Lease} WHERE id = {stepId} AND state = 'running' AND attempts = {attempt}", ct) == 1;

    /// <summary>Running steps whose lease lapsed go back to pending (their worker is presumed dead). started_at
    /// goes too: the next attempt's claim sets it, so the step's duration is the retry's own time, not the time
    /// the lost attempt held it.</summary>
    public Task<List<LapsedStep>> ReclaimLapsedAsync(DraasDbContext db, CancellationToken ct) =>
        db.Database.SqlQuery<LapsedStep>($"""
            UPDATE steps s SET state = 'pending', lease_until = NULL, started_at = NULL, waiting_for = NULL,
                error = 'interrupted: the worker running attempt ' || s.attempts || ' stopped (its lease lapsed); retrying'
            FROM runs r
            WHERE r.id = s.run_id AND s.state = 'running' AND s.lease_until < now()
            RETURNING s.id, s.run_id, s.sequence, s.kind, s.target, s.attempts, r.project_id, r.queue
            """).ToListAsync(ct);
}

/// <summary>A step whose worker stopped renewing its lease, as the watchdog re-queued it.</summary>
public sealed record LapsedStep(Guid Id, Guid RunId, int Sequence, string Kind, string? Target, int Attempts, string? ProjectId, string Queue);
