using Draas.Data;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.Workflows.Protection;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs;

/// <summary>What a succeeded run changes about its plan (only that plan: a tenant's plans move independently):
/// after a failover or planned migration the workload runs at the other site, in the project the run
/// recovered into, unprotected (failed over) until a reprotect turns its replication round.</summary>
public sealed class RunEffects(DraasDbContext db, TimeProvider clock)
{
    public async Task ApplyAsync(Run run, CancellationToken ct)
    {
        if (run.Kind is not (RunKind.Failover or RunKind.PlannedMigration)) return;
        var protection = await db.Protections.AsNoTracking().SingleAsync(p => p.Id == run.ProtectionId, ct);
        // The plan's row lock orders this after a capture's reconcile or the RPO monitor writing the plan.
        var plan = run.PlanId is { } planId ? await PlanLock.LockAsync(db, planId, ct) : null;
        if (plan is null || plan.StateRunId == run.Id) return;
        var sides = PlanPlacement.Of(protection, plan).SidesFor(run.Kind);
        PlanPlacement.Move(plan, sides.TargetSiteId, run.TargetProjectId ?? sides.TargetProjectId ?? plan.RunsInProjectId, failedOver: true, run.Id);
        plan.UpdatedAt = clock.GetUtcNow();
    }
}
