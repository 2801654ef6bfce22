using System.Text.Json;
using Draas.Data;
using Draas.Domain.Audit;
using Draas.Domain.Protection;
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
        var groups = await db.ReplicationGroups.ToListAsync(ct);
        foreach (var planGroups in groups.GroupBy(g => g.PlanId))
        {
            var plan = await db.Plans.SingleOrDefaultAsync(p => p.Id == planGroups.Key, ct);
            if (plan is null || plan.Status is PlanStatus.Pending or PlanStatus.Error) continue;
            var protection = await db.Protections.AsNoTracking().SingleAsync(p => p.Id == plan.ProtectionId, ct);
            var broken = false;
            double? worstLag = 0;
            foreach (var group in planGroups)
            {
                var source = arrays[group.SourceArrayId];
                var target = arrays[group.TargetArrayId];
                try
                {
                    var status = await plugins.Get(source.Plugin).GetReplicationStatusAsync(
                        new ReplicationGroupRef(group.Name, ArrayReferences.ModeOf(plan.ReplicationMode), references.For(source), references.For(target)), ct);
                    group.Health = status.Health.ToString().ToLowerInvariant();
                    group.LagSeconds = status.Lag?.TotalSeconds;
                    group.LatestRecoveryPointAt = status.Latest?.Time;
                    broken |= status.Health == ReplicationHealth.Broken;
                    worstLag = status.Lag is null || worstLag is null ? null : Math.Max(worstLag.Value, status.Lag.Value.TotalSeconds);
                }
                catch (ArrayException e)
                {
                    // An array that cannot answer cannot vouch for the replica: the plan is at risk.
                    group.Health = "unknown: " + e.Kind;
                    broken = true;
                }
                group.CheckedAt = clock.GetUtcNow();
            }
            var next = RpoRules.StatusFor(worstLag, broken, protection.RpoTargetSeconds);
            ReplicationMetrics.Record(plan.Id, plan.ProjectId, worstLag, next == PlanStatus.Violated);
            if (next != plan.Status)
            {
                var previous = plan.Status;
                plan.Status = next;
                await NotifyAsync(protection.WebhookUrl, plan, previous, next, worstLag, protection.RpoTargetSeconds, ct);
            }
            await db.SaveChangesAsync(ct);
        }
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
