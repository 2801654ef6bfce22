using System.Text.Json.Nodes;
using Draas.Api.Auth;
using Draas.Api.Configuration;
using Draas.Api.Errors;
using Draas.Api.Http;
using Draas.Api.Policy;
using Draas.Data;
using Draas.Domain.Runs;
using Draas.Workflows.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.V1;

/// <summary>
/// /v1/runs: start a recovery (202 + Location; a dry run answers 200 with the exact step plan and stores
/// nothing), follow it step by step, cancel it, read its report (JSON, or Markdown with
/// <c>Accept: text/markdown</c>). Tenants may drill their own plans; the rest is admin-only by default.
/// </summary>
public static class RunsApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var runs = v1.MapGroup("/runs");
        runs.MapGet("", ListAsync).Produces<RunList>();
        runs.MapPost("", CreateAsync).Reads<RunBody>().Produces<RunEnvelope>(202).Produces<RunEnvelope>(200);
        runs.MapGet("/{id}", ShowAsync).Produces<RunEnvelope>();
        runs.MapPost("/{id}/action", ActionAsync).Reads<RunActionBody>().Produces(202);
        runs.MapGet("/{id}/report", ReportAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api)
    {
        var scope = TenantScope.ListScope(context, policy, "run");
        var paging = Paging.From(context.Request, api.MaxLimit);
        var query = db.Runs.AsNoTracking().AsQueryable();
        if (scope is not null) query = query.Where(r => r.ProjectId == scope);
        var q = context.Request.Query;
        // Parsed before they enter the query: inside the expression EF would turn a refusal into a 500.
        if (q.TryGetValue("plan_id", out var rawPlan) && ParseId(rawPlan, "plan_id") is var plan) query = query.Where(r => r.PlanId == plan);
        if (q.TryGetValue("protection_id", out var rawProtection) && ParseId(rawProtection, "protection_id") is var protection) query = query.Where(r => r.ProtectionId == protection);
        if (q.TryGetValue("kind", out var rawKind) && Parse<RunKind>(rawKind, "kind") is var kind) query = query.Where(r => r.Kind == kind);
        if (q.TryGetValue("state", out var rawState) && Parse<RunState>(rawState, "state") is var state) query = query.Where(r => r.State == state);
        var page = await paging.PageAsync(query, context.RequestAborted);
        // Progress from counts: a page of 50 runs of a site-wide failover is thousands of steps nobody reads in a list.
        var ids = page.Select(r => r.Id).ToList();
        var counts = (await db.Steps.AsNoTracking().Where(s => ids.Contains(s.RunId)).GroupBy(s => new { s.RunId, s.State })
                .Select(g => new { g.Key.RunId, g.Key.State, Count = g.Count() }).ToListAsync(context.RequestAborted))
            .ToLookup(c => c.RunId);
        return ApiJson.Ok(new RunList([.. page.OrderByDescending(r => r.CreatedAt).Select(r => RunView.Listed(r, counts[r.Id].ToDictionary(c => c.State, c => c.Count)))],
            paging.Links(context.Request, page.Count, page.LastOrDefault()?.Id)));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, RunLauncher launcher)
    {
        var fields = (await JsonBody.ReadAsync<RunBody>(context.Request, api.MaxBodyBytes)).Run
            ?? throw ApiException.BadRequest("The request body must be {\"run\": {...}}.");
        var v = new Validator();
        v.Require(fields.Kind is not null, "run.kind is required: drill, failover, planned_migration, reprotect or failback");
        v.Require(fields.PlanId is not null || fields.ProtectionId is not null, "run.plan_id (or run.protection_id) is required");
        v.ThrowIfInvalid();
        var planId = fields.PlanId ?? await SinglePlanAsync(db, fields.ProtectionId!.Value, context.RequestAborted);
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, context.RequestAborted)
            ?? throw ApiException.NotFound("Plan", planId.ToString());
        if (fields.ProtectionId is { } pid && pid != plan.ProtectionId) throw ApiException.BadRequest("run.plan_id does not belong to run.protection_id");
        TenantScope.EnsureVisible(context, policy, "plan", plan.ProjectId, "Plan", plan.Id);
        policy.Enforce(context, $"draas:run:create:{RunPlanner.Word(fields.Kind!.Value)}", TenantScope.Target(plan.ProjectId));
        try
        {
            var caller = context.Caller();
            var (run, steps) = await launcher.LaunchAsync(new RunRequest(plan.Id, fields.Kind.Value, fields.RecoveryPoint ?? "latest", fields.DryRun ?? false,
                fields.Options, caller.Credentials.UserName ?? caller.Credentials.UserId, context.TraceIdentifier), context.RequestAborted);
            if (run.DryRun) return ApiJson.Ok(new RunEnvelope(RunView.Of(run, run.Steps, steps)));
            context.Response.Headers.Location = $"/v1/runs/{run.Id}";
            return ApiJson.Ok(new RunEnvelope(RunView.Of(run, run.Steps)), 202);
        }
        catch (RunRefusedException e)
        {
            throw new ApiException(e.Status, e.Message);
        }
    }

    private static async Task<IResult> ShowAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy)
    {
        var run = await FindAsync(db, id, context, policy);
        return ApiJson.Ok(new RunEnvelope(RunView.Of(run, run.Steps)));
    }

    private static async Task<IResult> ActionAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, RunLauncher launcher,
        Draas.Workflows.Hooks.Approvals approvals, CommitDecisions decisions, TimeProvider clock)
    {
        var body = await JsonBody.ReadAsync<JsonObject>(context.Request, api.MaxBodyBytes);
        var action = body.Count == 1 ? body.Single().Key : null;
        if (action is not ("cancel" or "resume" or "approve" or "commit" or "rollback") || body[action] is not (null or JsonObject))
            throw ApiException.BadRequest("A run action is {\"cancel\": {}}, {\"resume\": {}}, {\"approve\": {}}, {\"commit\": {}} or {\"rollback\": {}}.");
        var run = await FindAsync(db, id, context, policy);
        TenantScope.EnsureAllowed(context, policy, "run", action, run.ProjectId, "Run", run.Id);
        if (action is "commit" or "rollback" && run.Kind is not (RunKind.Failover or RunKind.PlannedMigration))
            throw ApiException.Conflict($"a {RunPlanner.Word(run.Kind)} has nothing to {action}: only a failover or planned migration with commit 'manual' awaits one");
        // Stopping or continuing a run is for those who may start its kind: a member may cancel a drill,
        // never an admin's failover. Approving, committing and rolling back are rules of their own per kind,
        // so each can be a separate person's.
        policy.Enforce(context, action is "approve" or "commit" or "rollback" ? $"draas:run:{action}:{RunPlanner.Word(run.Kind)}" : $"draas:run:create:{RunPlanner.Word(run.Kind)}", TenantScope.Target(run.ProjectId));
        var who = context.Caller().Credentials.UserName;
        try
        {
            var ct = context.RequestAborted;
            await (action switch
            {
                "cancel" => launcher.CancelAsync(run.Id, ct),
                "approve" => approvals.ApproveAsync(run.Id, who, context.TraceIdentifier, ct),
                "commit" => decisions.CommitAsync(run.Id, who, context.TraceIdentifier, ct),
                "rollback" => decisions.RollbackAsync(run.Id, who, context.TraceIdentifier, ct),
                _ => launcher.ResumeAsync(run.Id, who, context.TraceIdentifier, ct),
            });
        }
        catch (RunRefusedException e)
        {
            throw new ApiException(e.Status, e.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw ApiException.Conflict($"the run changed during the {action}; try again");
        }
        AuditTrail.Record(db, context, clock, $"run.{action}", "run", run.Id.ToString(), run.ProjectId);
        await db.SaveChangesAsync(context.RequestAborted);
        context.Response.Headers.Location = $"/v1/runs/{run.Id}";
        return Results.StatusCode(202);
    }

    private static async Task<IResult> ReportAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy)
    {
        var run = await FindAsync(db, id, context, policy);
        var report = run.Report is not null ? JsonNode.Parse(run.Report)!.AsObject() : await LiveReportAsync(db, run, context.RequestAborted);
        if (context.Request.Headers.Accept.Any(a => a?.Contains("text/markdown", StringComparison.OrdinalIgnoreCase) == true))
            return Results.Text(RunReports.Markdown(report), "text/markdown; charset=utf-8");
        return ApiJson.Ok(new JsonObject { ["report"] = report });
    }

    /// <summary>A run still going has a report too: what happened so far.</summary>
    private static async Task<JsonObject> LiveReportAsync(DraasDbContext db, Run run, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().Where(p => p.Id == run.PlanId).Select(p => p.Name).SingleOrDefaultAsync(ct);
        var protection = await db.Protections.AsNoTracking().Where(p => p.Id == run.ProtectionId).Select(p => p.Name).SingleAsync(ct);
        return RunReports.Build(run, run.Steps, plan, protection);
    }

    private static async Task<Run> FindAsync(DraasDbContext db, string id, HttpContext context, PolicyEnforcer policy)
    {
        var run = await Lookup.FindAsync(db.Runs.AsNoTracking().Include(r => r.Steps), id, "Run", guid => r => r.Id == guid, context.RequestAborted);
        TenantScope.EnsureVisible(context, policy, "run", run.ProjectId, "Run", run.Id);
        return run;
    }

    private static async Task<Guid> SinglePlanAsync(DraasDbContext db, Guid protectionId, CancellationToken ct)
    {
        var plans = await db.Plans.AsNoTracking().Where(p => p.ProtectionId == protectionId).Select(p => p.Id).Take(2).ToListAsync(ct);
        return plans.Count switch
        {
            1 => plans[0],
            0 => throw ApiException.BadRequest($"protection {protectionId} has no plans (or could not be found)"),
            _ => throw ApiException.BadRequest("the protection has several plans: start a run per plan with run.plan_id"),
        };
    }

    private static Guid ParseId(string? raw, string name) =>
        Guid.TryParse(raw, out var id) ? id : throw ApiException.BadRequest($"{name} {raw} is not a valid id.");

    private static T Parse<T>(string? raw, string name) where T : struct, Enum =>
        Enum.GetValues<T>().FirstOrDefault(v => RunPlanner.Word(v) == raw) is var value && RunPlanner.Word(value) == raw
            ? value
            : throw ApiException.BadRequest($"{name} must be one of: {string.Join(", ", Enum.GetValues<T>().Select(v => RunPlanner.Word(v)))}");
}
