using Draas.Data;
using Draas.Domain.Protection;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Protection;

/// <summary>
/// The writers of a plan's replication state (a capture's reconcile, the RPO monitor, a reprotect) each
/// talk to arrays first and then write; taking the plan's row lock and re-reading what they change makes
/// them wait for each other instead of failing each other's optimistic (xmin) check.
/// </summary>
public static class PlanLock
{
    /// <summary>Locks the plan's row for the current transaction and returns it tracked (null when deleted).
    /// NO KEY UPDATE: foreign-key checks of rows inserted for the plan (manifests, events) do not wait on it.</summary>
    public static async Task<Plan?> LockAsync(DraasDbContext db, Guid planId, CancellationToken ct) =>
        (await db.Plans.FromSql($"SELECT *, xmin FROM plans WHERE id = {planId} FOR NO KEY UPDATE").ToListAsync(ct)).SingleOrDefault();
}
