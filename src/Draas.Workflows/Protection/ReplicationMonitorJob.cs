using System.Text.Json;
using Draas.Data;
using Draas.Domain.Arrays;
using Draas.Domain.Audit;
using Draas.Domain.Protection;
using Draas.Domain.Time;
using Draas.Storage;
using Draas.Workflows.Notifications;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Protection;

/// <summary>
/// Every minute: asks the arrays how far each plan's replication lags, keeps the reading in the lag history,
/// compares the worst lag with the tenant's RPO target, records an event on every change of a plan's status,
/// and tells the tenant (webhook, e-mail) when the RPO is breached or worsens a tier, when it recovers, and
/// when a group turns unhealthy.
/// </summary>
public sealed class ReplicationMonitorJob(DraasDbContext db, StoragePluginCatalog plugins, ArrayReferences references, NotificationOutbox outbox, IBackgroundJobClient jobs,
    TimeProvider clock, ILogger<ReplicationMonitorJob> logger)
{
    public const string RecurringId = "replication-monitor";

    /// <summary>How long the lag history is kept (one sample per group per minute).</summary>
    public static readonly TimeSpan LagHistoryKept = TimeSpan.FromDays(14);

    [Queue("default")]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken ct)
    {
        var arrays = await db.Arrays.AsNoTracking().ToDictionaryAsync(a => a.Id, ct);
        var groups = await db.ReplicationGroups.AsNoTracking().ToListAsync(ct);
        var oldest = clock.GetUtcNow() - LagHistoryKept;
        await db.LagSamples.Where(s => s.At < oldest).ExecuteDeleteAsync(ct);
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
        double? worstLag = 0, previousWorst = 0;
        var applied = 0;
        var unhealthy = new List<string>();
        var now = clock.GetUtcNow();
        foreach (var group in await db.ReplicationGroups.Where(g => g.PlanId == planId).ToListAsync(ct))
        {
            if (!readings.TryGetValue(group.Id, out var reading) || reading.SourceArrayId != group.SourceArrayId) continue;
            applied++;
            previousWorst = group.LagSeconds is null || previousWorst is null ? null : Math.Max(previousWorst.Value, group.LagSeconds.Value);
            var wasBroken = group.Health is "broken" || group.Health?.StartsWith("unknown", StringComparison.Ordinal) == true;
            if (reading.Broken && !wasBroken) unhealthy.Add($"{group.Name}: {reading.Health}");
            db.LagSamples.Add(new LagSample { GroupId = group.Id, PlanId = planId, At = now, LagSeconds = reading.Lag?.TotalSeconds });
            group.Health = reading.Health;
            group.LagSeconds = reading.Lag?.TotalSeconds;
            group.LatestRecoveryPointAt = reading.Latest;
            group.CheckedAt = clock.GetUtcNow();
            broken |= reading.Broken;
            worstLag = reading.Lag is null || worstLag is null ? null : Math.Max(worstLag.Value, reading.Lag.Value.TotalSeconds);
        }
        if (applied == 0) return; // every group changed under us: the next minute's reading will be about them
        var target = protection.RpoTargetSeconds;
        var next = RpoRules.StatusFor(worstLag, broken, target);
        var tier = RpoRules.TierFor(worstLag, target);
        var previousTier = RpoRules.TierFor(previousWorst, target);
        ReplicationMetrics.Record(plan.Id, plan.ProjectId, worstLag, next == PlanStatus.Violated, tier);
        var previous = plan.Status;
        if (next != previous)
        {
            plan.Status = next;
            db.AuditEvents.Add(AuditEvent.OfPlan(plan, now, "rpo.changed", next == PlanStatus.Protected,
                new { from = Word(previous), to = Word(next), tier = Word(tier), lag_seconds = worstLag, rpo_target_seconds = target }));
        }
        // Breached: newly violated, or a worse tier than the last reading's. Recovered: no longer violated.
        string? rpoEvent = next == PlanStatus.Violated && (previous != PlanStatus.Violated || tier > previousTier) ? "rpo.breached"
            : previous == PlanStatus.Violated && next != PlanStatus.Violated ? "rpo.recovered"
            : null;
        var told = 0;
        if (rpoEvent is not null)
        {
            var summary = rpoEvent == "rpo.breached"
                ? $"plan {plan.Name} RPO {Word(tier).Replace('_', ' ')}: lag {Readable(worstLag)} against a target of {target} s"
                : $"plan {plan.Name} is back within its RPO ({Word(next).Replace('_', ' ')}, lag {Readable(worstLag)})";
            told += await outbox.AddAsync(db, new NotificationEvent(rpoEvent, $"plan:{plan.Id}:{rpoEvent}:{now.ToUnixTimeMilliseconds()}", protection.Id, plan.ProjectId, "plan", plan.Id.ToString(), summary,
                new { plan_id = plan.Id, plan_name = plan.Name, from = Word(previous), to = Word(next), tier = Word(tier), lag_seconds = worstLag, rpo_target_seconds = target }), now, ct);
        }
        if (unhealthy.Count > 0)
        {
            told += await outbox.AddAsync(db, new NotificationEvent("replication.unhealthy", $"plan:{plan.Id}:replication.unhealthy:{now.ToUnixTimeMilliseconds()}", protection.Id, plan.ProjectId, "plan", plan.Id.ToString(),
                $"plan {plan.Name}: replication unhealthy ({string.Join("; ", unhealthy)})", new { plan_id = plan.Id, plan_name = plan.Name, groups = unhealthy }), now, ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (told > 0) NotificationDelivery.Kick(jobs);
    }

    private static string Word(PlanStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    /// <summary>The tier's word (within_target, exceeded, severely_exceeded, critical), or unknown.</summary>
    public static string Word(RpoTier? tier) => tier is { } t ? JsonNamingPolicy.SnakeCaseLower.ConvertName(t.ToString()) : "unknown";

    private static string Readable(double? lag) => lag is { } l ? $"{l:0} s" : "unknown";
}
