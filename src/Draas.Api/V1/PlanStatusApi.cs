using Draas.Api.Policy;
using Draas.Data;
using Draas.Domain.Protection;
using Draas.Workflows.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.V1;

/// <summary><c>GET /v1/plans/{id}/status</c>: replication health, lag and newest recovery point against the RPO target,
/// its compliance tier, and with <c>?history=HOURS</c> (1..336) the lag over time (the worst lag per interval).</summary>
public static class PlanStatusApi
{
    public static void Map(RouteGroupBuilder v1) => v1.MapGet("/plans/{id}/status", async Task<IResult> (string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, TimeProvider clock) =>
    {
        var hours = 0;
        if (context.Request.Query.TryGetValue("history", out var rawHistory) && (!int.TryParse(rawHistory, out hours) || hours is < 1 or > 336))
            throw Draas.Api.Errors.ApiException.BadRequest("history must be a number of hours, 1..336.");
        // One snapshot for every read: the monitor writes the plan's state and its groups' lag in one transaction,
        // and a status read between them would show a lag past the target beside a plan still "protected".
        await using var snapshot = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, context.RequestAborted);
        var plan = await Lookup.FindAsync(db.Plans.AsNoTracking(), id, "Plan", guid => p => p.Id == guid, context.RequestAborted);
        TenantScope.EnsureVisible(context, policy, "plan", plan.ProjectId, "Plan", plan.Id);
        var protection = await db.Protections.AsNoTracking().SingleAsync(p => p.Id == plan.ProtectionId, context.RequestAborted);
        var target = protection.RpoTargetSeconds;
        // Where the plan runs now: a failed-over plan replicates nothing, whatever its last RPO reading said.
        var placement = PlanPlacement.Of(protection, plan);
        var siteRows = await db.Sites.AsNoTracking().Where(s => s.Id == protection.PrimarySiteId || s.Id == protection.RecoverySiteId).ToListAsync(context.RequestAborted);
        var sites = siteRows.ToDictionary(s => s.Id, s => s.Name);
        var arrays = await db.Arrays.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, context.RequestAborted);
        // The drill history with its RTO trend: the newest ten drills of the plan.
        var drills = await db.Runs.AsNoTracking().Where(r => r.PlanId == plan.Id && r.Kind == Draas.Domain.Runs.RunKind.Drill && r.FinishedAt != null)
            .OrderByDescending(r => r.FinishedAt).Take(10).Select(r => new { r.Id, r.State, r.FinishedAt, r.RequestedBy, r.Report }).ToListAsync(context.RequestAborted);
        var groups = await db.ReplicationGroups.AsNoTracking().Where(g => g.PlanId == plan.Id).OrderBy(g => g.Name).ToListAsync(context.RequestAborted);
        var lag = groups.Count == 0 || groups.Any(g => g.LagSeconds is null or < 0) ? null : groups.Max(g => g.LagSeconds);
        var history = hours == 0 ? null : await LagHistoryAsync(db, plan.Id, TimeSpan.FromHours(hours), clock.GetUtcNow(), context.RequestAborted);
        var predicted = await PredictedRtoAsync(db, plan.Id, drills.Where(d => d.Report is not null).Select(d => new RtoPrediction.Drill(d.Id, System.Text.Json.Nodes.JsonNode.Parse(d.Report!)!.AsObject())).ToList(), context.RequestAborted);
        return ApiJson.Ok(new PlanStatusEnvelope(new PlanStatusView(
            plan.Id,
            placement.FailedOver ? "failed_over" : RunPlanner.Word(plan.Status),
            placement.State,
            new PlanRunsAt(placement.SiteId, sites.GetValueOrDefault(placement.SiteId), placement.ProjectId),
            placement.FailedOver ? null : sites.GetValueOrDefault(placement.OtherSiteId),
            target,
            lag,
            placement.FailedOver ? null : Draas.Workflows.Protection.ReplicationMonitorJob.Word(RpoRules.TierFor(lag, target)),
            history,
            groups.Count == 0 ? null : groups.Min(g => g.LatestRecoveryPointAt),
            Draas.Workflows.Protection.PlanWarnings.For(groups, arrays, siteRows),
            predicted,
            drills.Select(d => new DrillSummary(d.Id, d.State, d.FinishedAt, d.RequestedBy == Draas.Workflows.Runs.ScheduledDrillsJob.Requester,
                d.Report is null ? null : System.Text.Json.Nodes.JsonNode.Parse(d.Report)?["rto_seconds"]?.GetValue<double?>())),
            groups.Select(g => new GroupStatus(g.Name, arrays.GetValueOrDefault(g.SourceArrayId), arrays.GetValueOrDefault(g.TargetArrayId), g.Mode, g.Members,
                g.Health, g.LagSeconds < 0 ? null : g.LagSeconds, g.LatestRecoveryPointAt, g.CheckedAt)))));
    }).Produces<PlanStatusEnvelope>();

    /// <summary>At most <see cref="HistoryPoints"/> points: the worst lag over the plan's groups in each interval (null when unknown).</summary>
    private static async Task<LagHistory> LagHistoryAsync(DraasDbContext db, Guid planId, TimeSpan span, DateTimeOffset now, CancellationToken ct)
    {
        var from = now - span;
        var step = TimeSpan.FromSeconds(Math.Max(60, Math.Ceiling(span.TotalSeconds / HistoryPoints)));
        var samples = await db.LagSamples.AsNoTracking().Where(s => s.PlanId == planId && s.At >= from).Select(s => new { s.At, s.LagSeconds }).ToListAsync(ct);
        var points = samples
            .GroupBy(s => (long)((s.At - from).Ticks / step.Ticks))
            .OrderBy(b => b.Key)
            .Select(b => new LagPoint(from + TimeSpan.FromTicks(b.Key * step.Ticks), b.Any(s => s.LagSeconds is null or < 0) ? null : b.Max(s => s.LagSeconds)))
            .ToList();
        return new LagHistory(from, now, step.TotalSeconds, points);
    }

    private const int HistoryPoints = 240;

    private static async Task<System.Text.Json.Nodes.JsonObject?> PredictedRtoAsync(DraasDbContext db, Guid planId, List<RtoPrediction.Drill> drills, CancellationToken ct)
    {
        if (drills.Count == 0) return null;
        var content = await db.Manifests.AsNoTracking().Where(m => m.PlanId == planId).OrderByDescending(m => m.Sequence).Select(m => m.Content).FirstOrDefaultAsync(ct);
        var manifest = content is null ? null : System.Text.Json.Nodes.JsonNode.Parse(content);
        return RtoPrediction.For(drills, (manifest?["volumes"] as System.Text.Json.Nodes.JsonArray)?.Count ?? 0, (manifest?["servers"] as System.Text.Json.Nodes.JsonArray)?.Count ?? 0);
    }
}
