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

    /// <summary>Gives freshly claimed steps their lease, in the claiming transaction.</summary>
    public Task<int> TakeAsync(DraasDbContext db, Guid[] steps, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"UPDATE steps SET lease_until = now() + {Lease} WHERE id = ANY ({steps})", ct);

    /// <summary>Extends the attempt's lease; false when the step is no longer this attempt's (its lease lapsed
    /// and another attempt took it, or it ended). Throws when the database does not answer.</summary>
    public virtual async Task<bool> RenewAsync(DraasDbContext db, Guid stepId, int attempt, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync(
            $"UPDATE steps SET lease_until = now() + {Lease} WHERE id = {stepId} AND state = 'running' AND attempts = {attempt}", ct) == 1;

    /// <summary>Running steps whose lease lapsed go back to pending (their worker is presumed dead).</summary>
    public Task<int> ReclaimLapsedAsync(DraasDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE steps SET state = 'pending', lease_until = NULL, error = 'the worker running this step stopped renewing its lease; retrying'
            WHERE state = 'running' AND lease_until < now()
            """, ct);
}
