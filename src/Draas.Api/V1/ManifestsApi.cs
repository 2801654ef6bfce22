using System.Text.Json.Nodes;
using Draas.Api.Configuration;
using Draas.Api.Errors;
using Draas.Api.Http;
using Draas.Api.Policy;
using Draas.Data;
using Draas.Domain.Manifests;
using Draas.Domain.Protection;
using Draas.Workflows.Protection;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.V1;

/// <summary>/v1/plans/{id}/manifests and the plan's capture action: what the tenant looked like, and how it drifted.</summary>
public static class ManifestsApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/plans/{id}/manifests", ListAsync).Produces<ManifestList>();
        v1.MapGet("/plans/{id}/manifests/{sequence}", ShowAsync).Produces<ManifestEnvelope>();
        v1.MapPost("/plans/{id}/action", ActionAsync).Produces<CaptureEnvelope>(202);
    }

    private static async Task<IResult> ListAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy)
    {
        var plan = await VisiblePlanAsync(id, context, db, policy);
        var manifests = await db.Manifests.AsNoTracking().Where(m => m.PlanId == plan.Id).OrderByDescending(m => m.Sequence)
            .Select(m => new ManifestSummary(m.Sequence, m.CapturedAt, m.ContentHash)).ToListAsync(context.RequestAborted);
        return ApiJson.Ok(new ManifestList(manifests));
    }

    /// <summary>One manifest, or with <c>?diff=N</c> what changed from manifest N to this one.</summary>
    private static async Task<IResult> ShowAsync(string id, string sequence, HttpContext context, DraasDbContext db, PolicyEnforcer policy)
    {
        var plan = await VisiblePlanAsync(id, context, db, policy);
        var manifest = await FindAsync(db, plan.Id, sequence, context.RequestAborted);
        if (context.Request.Query.TryGetValue("diff", out var olderRaw))
        {
            var older = await FindAsync(db, plan.Id, olderRaw.ToString(), context.RequestAborted, badRequest: true);
            return ApiJson.Ok(new ManifestDiffEnvelope(new ManifestDiff(older.Sequence, manifest.Sequence, ManifestCodec.Diff(older.Content, manifest.Content))));
        }
        return ApiJson.Ok(new ManifestEnvelope(ManifestView.Of(manifest)));
    }

    /// <summary><c>{"capture": {}}</c>: capture the tenant now rather than at the next scheduled cycle.</summary>
    private static async Task<IResult> ActionAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, IBackgroundJobClient jobs, TimeProvider clock)
    {
        var body = await JsonBody.ReadAsync<JsonObject>(context.Request, api.MaxBodyBytes);
        if (body.Count != 1 || body["capture"] is not JsonObject { Count: 0 }) throw ApiException.BadRequest("The only plan action is {\"capture\": {}}.");
        var plan = await VisiblePlanAsync(id, context, db, policy);
        TenantScope.EnsureAllowed(context, policy, "plan", "update", plan.ProjectId, "Plan", plan.Id);
        var jobId = jobs.Enqueue<ProtectPlanJob>(job => job.RunAsync(plan.Id, CancellationToken.None));
        AuditTrail.Record(db, context, clock, "plan.capture.request", "plan", plan.Id.ToString(), plan.ProjectId, new { job_id = jobId });
        await db.SaveChangesAsync(context.RequestAborted);
        context.Response.Headers.Location = $"/v1/plans/{plan.Id}/manifests";
        return ApiJson.Ok(new CaptureEnvelope(new CaptureRequested(plan.Id, jobId)), 202);
    }

    private static async Task<Plan> VisiblePlanAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy)
    {
        var plan = await Lookup.FindAsync(db.Plans.AsNoTracking(), id, "Plan", guid => p => p.Id == guid, context.RequestAborted);
        TenantScope.EnsureVisible(context, policy, "plan", plan.ProjectId, "Plan", plan.Id);
        return plan;
    }

    private static async Task<Manifest> FindAsync(DraasDbContext db, Guid planId, string sequence, CancellationToken ct, bool badRequest = false)
    {
        var manifest = int.TryParse(sequence, out var n)
            ? await db.Manifests.AsNoTracking().SingleOrDefaultAsync(m => m.PlanId == planId && m.Sequence == n, ct)
            : null;
        return manifest ?? throw (badRequest ? ApiException.BadRequest($"diff: manifest {sequence} does not exist.") : ApiException.NotFound("Manifest", sequence));
    }
}
