using Draas.Data;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs;

/// <summary>What a succeeded run changes about its protection: after a failover or planned migration the
/// tenant runs at the other site unprotected (failed_over) until a reprotect turns replication round.</summary>
public sealed class RunEffects(DraasDbContext db, TimeProvider clock)
{
    public async Task ApplyAsync(Run run, CancellationToken ct)
    {
        if (run.Kind is not (RunKind.Failover or RunKind.PlannedMigration)) return;
        var protection = await db.Protections.SingleAsync(p => p.Id == run.ProtectionId, ct);
        protection.Status = ProtectionStatus.FailedOver;
        protection.UpdatedAt = clock.GetUtcNow();
    }
}
