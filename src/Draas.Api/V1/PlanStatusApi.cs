using Draas.Api.Policy;
using Draas.Data;
using Draas.Domain.Protection;
using Draas.Workflows.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.V1;

/// <summary><c>GET /v1/plans/{id}/status</c>: replication health, lag and newest recovery point against the RPO target.</summary>
public static class PlanStatusApi
{
    public static void Map(RouteGroupBuilder v1) => v1.MapGet("/plans/{id}/status", async (string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy) =>
    {
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
        var predicted = await PredictedRtoAsync(db, plan.Id, drills.Where(d => d.Report is not null).Select(d => new RtoPrediction.Drill(d.Id, System.Text.Json.Nodes.JsonNode.Parse(d.Report!)!.AsObject())).ToList(), context.RequestAborted);
        return ApiJson.Ok(new
        {
            status = new
            {
                plan_id = plan.Id,
                state = placement.FailedOver ? "failed_over" : RunPlanner.Word(plan.Status),
                plan_state = placement.State,
                runs_at = new { site_id = placement.SiteId, site = sites.GetValueOrDefault(placement.SiteId), project_id = placement.ProjectId },
                replicates_to = placement.FailedOver ? null : sites.GetValueOrDefault(placement.OtherSiteId),
                rpo_target_seconds = target,
                // A negative lag is a clock that disagrees, not a replica ahead of its source: unknown, and said so in warnings.
                lag_seconds = groups.Count == 0 || groups.Any(g => g.LagSeconds is null or < 0) ? null : groups.Max(g => g.LagSeconds),
                latest_recovery_point_at = groups.Count == 0 ? null : groups.Min(g => g.LatestRecoveryPointAt),
                warnings = Draas.Workflows.Protection.PlanWarnings.For(groups, arrays, siteRows),
                // From the drills' per-step durations, scaled to the plan's size in its newest manifest.
                predicted_rto = predicted,
                drills = drills.Select(d => new
                {
                    run_id = d.Id,
                    state = d.State,
                    finished_at = d.FinishedAt,
                    scheduled = d.RequestedBy == Draas.Workflows.Runs.ScheduledDrillsJob.Requester,
                    rto_seconds = d.Report is null ? null : System.Text.Json.Nodes.JsonNode.Parse(d.Report)?["rto_seconds"]?.GetValue<double?>(),
                }),
                groups = groups.Select(g => new
                {
                    g.Name,
                    source_array = arrays.GetValueOrDefault(g.SourceArrayId),
                    target_array = arrays.GetValueOrDefault(g.TargetArrayId),
                    g.Mode,
                    g.Members,
                    g.Health,
                    LagSeconds = g.LagSeconds < 0 ? null : g.LagSeconds,
                    g.LatestRecoveryPointAt,
                    g.CheckedAt,
                }),
            },
        });
    });

    private static async Task<System.Text.Json.Nodes.JsonObject?> PredictedRtoAsync(DraasDbContext db, Guid planId, List<RtoPrediction.Drill> drills, CancellationToken ct)
    {
        if (drills.Count == 0) return null;
        var content = await db.Manifests.AsNoTracking().Where(m => m.PlanId == planId).OrderByDescending(m => m.Sequence).Select(m => m.Content).FirstOrDefaultAsync(ct);
        var manifest = content is null ? null : System.Text.Json.Nodes.JsonNode.Parse(content);
        return RtoPrediction.For(drills, (manifest?["volumes"] as System.Text.Json.Nodes.JsonArray)?.Count ?? 0, (manifest?["servers"] as System.Text.Json.Nodes.JsonArray)?.Count ?? 0);
    }
}
