using System.Text.Json;
using Draas.Data;
using Draas.Domain.Arrays;
using Draas.Domain.Audit;
using Draas.Domain.Protection;
using Draas.Domain.Time;
using Draas.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Protection;

/// <summary>
/// Every minute: asks the arrays how far each plan's replication lags, compares the worst lag with the
/// tenant's RPO target, and on every change of a plan's status records an event and calls the tenant's webhook.
/// </summary>
public sealed class ReplicationMonitorJob(DraasDbContext db, StoragePluginCatalog plugins, ArrayReferences references, WebhookClient webhooks, TimeProvider clock, ILogger<ReplicationMonitorJob> logger)
{
    public const string RecurringId = "replication-monitor";

    [Queue("default")]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken ct)
    {
        var arrays = await db.Arrays.AsNoTracking().ToDictionaryAsync(a => a.Id, ct);
        var groups = await db.ReplicationGroups.AsNoTracking().ToListAsync(ct);
        foreach (var planGroups in groups.GroupBy(g => g.PlanId))
        {
            var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planGroups.Key, ct);
            if (plan is null || plan.Status is PlanStatus.Pending or PlanStatus.Error) continue;
            // The arrays are asked outside any lock: they may be slow or down.
            var readings = new Dictionary<Guid, Reading>();
            foreach (var group in planGroups)
                readings[group.Id] = await ReadAsync(group, arrays[group.SourceArrayId], arrays[group.TargetArrayId], plan.ReplicationMode, ct);
            await RecordAsync(plan.Id, readings, ct);
        }
    }

    /// <summary>What one group's source array said, for the group as it was when asked.</summary>
    private sealed record Reading(Guid SourceArrayId, string Health, TimeSpan? Lag, DateTimeOffset? Latest, bool Broken);

    private async Task<Reading> ReadAsync(ReplicationGroup group, StorageArray source, StorageArray target, Domain.Protection.ReplicationMode mode, CancellationToken ct)
    {
        try
        {
            var status = await plugins.Get(source.Plugin).GetReplicationStatusAsync(
                new ReplicationGroupRef(group.Name, ArrayReferences.ModeOf(mode), references.For(source), references.For(target)), ct);
            var lag = status.Lag;
            if (status.Latest is { IsCurrent: false } latest && ClockSkew.Ahead(latest.Time, clock.GetUtcNow()) is { } ahead)
            {
                // A point from the future: the array's clock (or ours) is wrong, so no lag computed across them is true.
                // Unknown lag puts the plan at risk; the status shows the skew (PlanWarnings).
                logger.LogWarning("Plan group {Group}: {Warning}", group.Name, ClockSkew.ArrayAhead(source.Name, latest.Time, ahead));
                lag = null;
            }
            return new Reading(source.Id, status.Health.ToString().ToLowerInvariant(), lag, status.Latest?.Time, status.Health == ReplicationHealth.Broken);
        }
        catch (ArrayException e)
        {
            // An array that cannot answer cannot vouch for the replica: the plan is at risk.
            return new Reading(source.Id, "unknown: " + e.Kind, null, null, true);
        }
    }

    /// <summary>Writes the readings under the plan's lock, re-read: a capture or a reprotect may have changed
    /// the groups while the arrays answered, and a reading of a group since reversed no longer applies.</summary>
    private async Task RecordAsync(Guid planId, Dictionary<Guid, Reading> readings, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var plan = await PlanLock.LockAsync(db, planId, ct);
        if (plan is null || plan.Status is PlanStatus.Pending or PlanStatus.Error) return;
        var protection = await db.Protections.AsNoTracking().SingleAsync(p => p.Id == plan.ProtectionId, ct);
        var broken = false;
        double? worstLag = 0;
        var applied = 0;
        foreach (var group in await db.ReplicationGroups.Where(g => g.PlanId == planId).ToListAsync(ct))
        {
            if (!readings.TryGetValue(group.Id, out var reading) || reading.SourceArrayId != group.SourceArrayId) continue;
            applied++;
            group.Health = reading.Health;
            group.LagSeconds = reading.Lag?.TotalSeconds;
            group.LatestRecoveryPointAt = reading.Latest;
            group.CheckedAt = clock.GetUtcNow();
            broken |= reading.Broken;
            worstLag = reading.Lag is null || worstLag is null ? null : Math.Max(worstLag.Value, reading.Lag.Value.TotalSeconds);
        }
        if (applied == 0) return; // every group changed under us: the next minute's reading will be about them
        var next = RpoRules.StatusFor(worstLag, broken, protection.RpoTargetSeconds);
        ReplicationMetrics.Record(plan.Id, plan.ProjectId, worstLag, next == PlanStatus.Violated);
        if (next != plan.Status)
        {
            var previous = plan.Status;
            plan.Status = next;
            await NotifyAsync(protection.WebhookUrl, plan, previous, next, worstLag, protection.RpoTargetSeconds, ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task NotifyAsync(string? webhook, Plan plan, PlanStatus from, PlanStatus to, double? lag, int target, CancellationToken ct)
    {
        var payload = new
        {
            @event = "rpo.changed",
            plan_id = plan.Id,
            plan_name = plan.Name,
            project_id = plan.ProjectId,
            from = JsonNamingPolicy.SnakeCaseLower.ConvertName(from.ToString()),
            to = JsonNamingPolicy.SnakeCaseLower.ConvertName(to.ToString()),
            lag_seconds = lag,
            rpo_target_seconds = target,
            at = clock.GetUtcNow(),
        };
        string? webhookOutcome = null;
        if (webhook is not null)
        {
            try
            {
                using var response = await webhooks.PostAsync(webhook, payload, ct);
                webhookOutcome = $"webhook answered {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                webhookOutcome = $"webhook failed: {e.Message}";
                logger.LogWarning("Webhook for plan {Plan} failed: {Reason}", plan.Name, e.Message);
            }
        }
        db.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetUtcNow(),
            ProjectId = plan.ProjectId,
            Action = "rpo.changed",
            ResourceType = "plan",
            ResourceId = plan.Id.ToString(),
            Outcome = to == PlanStatus.Protected ? "success" : "failure",
            Detail = JsonSerializer.Serialize(new { payload.from, payload.to, lag_seconds = lag, rpo_target_seconds = target, webhook = webhookOutcome }),
        });
    }
}
