using Cronos;
using Draas.Data;
using Draas.Domain.Audit;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Runs;

/// <summary>
/// Every minute: each active protection whose drill schedule (cron, UTC) came due since the last scheduled
/// drill gets a drill of each of its plans. Read from the database each time, so an edited schedule needs
/// no re-registration and a standby that becomes active simply carries on. An occurrence missed for more
/// than an hour (the service was down) is skipped, not made up.
/// </summary>
public sealed class ScheduledDrillsJob(DraasDbContext db, RunLauncher launcher, TimeProvider clock, ILogger<ScheduledDrillsJob> logger)
{
    public const string RecurringId = "scheduled-drills";
    public const string Requester = "schedule";

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var protections = await db.Protections.AsNoTracking().Where(p => p.DrillSchedule != null && p.Status == ProtectionStatus.Active).ToListAsync(ct);
        foreach (var protection in protections)
        {
            if (!CronExpression.TryParse(protection.DrillSchedule ?? "", out var cron)) continue;
            var due = cron.GetOccurrences(now.AddHours(-1), now, TimeZoneInfo.Utc, fromInclusive: false, toInclusive: true).Cast<DateTimeOffset?>().LastOrDefault();
            if (due is null) continue;
            foreach (var plan in await db.Plans.AsNoTracking().Where(p => p.ProtectionId == protection.Id).ToListAsync(ct))
            {
                if (await db.Runs.AnyAsync(r => r.PlanId == plan.Id && r.Kind == RunKind.Drill && r.RequestedBy == Requester && r.CreatedAt >= due, ct)) continue;
                if (await db.AuditEvents.AnyAsync(a => a.Action == "run.schedule_skipped" && a.ResourceId == plan.Id.ToString() && a.At >= due, ct)) continue;
                try
                {
                    var run = await LaunchAsync(plan.Id, ct);
                    if (run is null) continue;
                    logger.LogInformation("Scheduled drill {Run} of plan {Plan} ({Cron})", run.Id, plan.Name, protection.DrillSchedule);
                }
                catch (RunRefusedException e)
                {
                    db.ChangeTracker.Clear();
                    db.AuditEvents.Add(AuditEvent.OfPlan(plan, now, "run.schedule_skipped", ok: false, new { due, reason = e.Message }, Requester));
                    await db.SaveChangesAsync(ct);
                }
            }
        }
    }

    /// <summary>Starts one plan's drill. Any fault only costs this plan its drill this minute (logged; the next
    /// minute tries again), never the drills of the plans after it.</summary>
    private async Task<Domain.Runs.Run?> LaunchAsync(Guid planId, CancellationToken ct)
    {
        try
        {
            return (await launcher.LaunchAsync(new RunRequest(planId, RunKind.Drill, "latest", false, null, Requester, null), ct)).Run;
        }
        catch (Exception e) when (e is not RunRefusedException && e is not OperationCanceledException)
        {
            db.ChangeTracker.Clear();
            logger.LogWarning("Scheduled drill of plan {Plan} not started this minute: {Error}", planId, e.Message);
            return null;
        }
    }
}
