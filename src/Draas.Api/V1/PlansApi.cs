using System.Text.Json.Nodes;
using Draas.Api.Auth;
using Draas.Api.Configuration;
using Draas.Api.Errors;
using Draas.Api.Http;
using Draas.Api.Policy;
using Draas.Data;
using Draas.Data.Secrets;
using Draas.Domain.Protection;
using Draas.Storage;
using Draas.Workflows.Protection;
using Draas.Workflows.Sites;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.V1;

/// <summary>/v1/plans: what to protect inside an enrolled tenant, and how to bring it back.</summary>
public static class PlansApi
{
    private const int MaxResources = 500;

    public static void Map(RouteGroupBuilder v1)
    {
        var plans = v1.MapGroup("/plans");
        plans.MapGet("", ListAsync).Produces<PlanList>();
        plans.MapPost("", CreateAsync).Reads<PlanBody>().Produces<PlanEnvelope>(201);
        plans.MapGet("/{id}", ShowAsync).Produces<PlanEnvelope>();
        plans.MapPut("/{id}", UpdateAsync).Reads<PlanBody>().Produces<PlanEnvelope>();
        plans.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api)
    {
        var scope = TenantScope.ListScope(context, policy, "plan");
        var paging = Paging.From(context.Request, api.MaxLimit);
        var query = db.Plans.AsNoTracking().Include(p => p.Resources).AsQueryable();
        if (scope is not null) query = query.Where(p => p.ProjectId == scope);
        if (context.Request.Query.TryGetValue("protection_id", out var protection))
            query = Guid.TryParse(protection, out var pid) ? query.Where(p => p.ProtectionId == pid) : throw ApiException.BadRequest("protection_id must be an id.");
        var page = await paging.PageAsync(query, context.RequestAborted);
        var ids = page.Select(p => p.ProtectionId).Distinct().ToList();
        var protections = await db.Protections.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, context.RequestAborted);
        return ApiJson.Ok(new PlanList(page.Select(p => PlanView.Of(p, protections[p.ProtectionId])), paging.Links(context.Request, page.Count, page.LastOrDefault()?.Id)));
    }

    private static async Task<IResult> ShowAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy)
    {
        var plan = await FindAsync(db, id, tracked: false, context.RequestAborted);
        TenantScope.EnsureVisible(context, policy, "plan", plan.ProjectId, "Plan", plan.Id);
        var protection = await db.Protections.AsNoTracking().SingleAsync(p => p.Id == plan.ProtectionId, context.RequestAborted);
        return ApiJson.Ok(new PlanEnvelope(PlanView.Of(plan, protection)));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, IRecurringJobManager jobs, SiteSessionPool sessions, StoragePluginCatalog plugins, SecretProtector secrets, TimeProvider clock)
    {
        var fields = (await JsonBody.ReadAsync<PlanBody>(context.Request, api.MaxBodyBytes)).Plan
            ?? throw ApiException.BadRequest("The request body must be {\"plan\": {...}}.");
        if (fields.ProtectionId is not { } protectionId) throw ApiException.BadRequest("plan.protection_id is required.");
        var protection = await db.Protections.AsNoTracking().SingleOrDefaultAsync(p => p.Id == protectionId, context.RequestAborted);
        // A protection the caller cannot see is, for them, one that does not exist.
        if (protection is null || !policy.Allows("draas:protection:get", context.Caller().Credentials, TenantScope.Target(protection.PrimaryProjectId)))
            throw ApiException.BadRequest($"plan.protection_id {protectionId} is not a protection you can see.");
        policy.Enforce(context, "draas:plan:create", TenantScope.Target(protection.PrimaryProjectId));
        var v = new Validator();
        var plan = new Plan { Name = v.Name("plan.name", fields.Name, required: true) ?? "", ProjectId = protection.PrimaryProjectId, ProtectionId = protection.Id };
        PlanPlacement.Home(plan, protection);
        Apply(v, fields, plan, secrets);
        v.ThrowIfInvalid();
        if (await db.Plans.AnyAsync(p => p.ProtectionId == protection.Id && p.Name == plan.Name, context.RequestAborted))
            throw ApiException.Conflict($"Protection {protection.Name} already has a plan named {plan.Name}.");
        await CheckMembersAsync(db, sessions, plugins, plan, protection, context.RequestAborted);
        plan.Id = Guid.NewGuid();
        plan.CreatedAt = plan.UpdatedAt = clock.GetUtcNow();
        db.Plans.Add(plan);
        AuditTrail.Record(db, context, clock, "plan.create", "plan", plan.Id.ToString(), plan.ProjectId, new { plan.Name, resources = plan.Resources.Count });
        await Lookup.SaveAsync(db, $"Protection {protection.Name} already has a plan named {plan.Name}.", context.RequestAborted);
        PlanSchedule.Register(jobs, plan);
        context.Response.Headers.Location = $"/v1/plans/{plan.Id}";
        return ApiJson.Ok(new PlanEnvelope(PlanView.Of(plan, protection)), 201);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, IRecurringJobManager jobs, SiteSessionPool sessions, StoragePluginCatalog plugins, SecretProtector secrets, TimeProvider clock)
    {
        var fields = (await JsonBody.ReadAsync<PlanBody>(context.Request, api.MaxBodyBytes)).Plan
            ?? throw ApiException.BadRequest("The request body must be {\"plan\": {...}}.");
        var plan = await FindAsync(db, id, tracked: true, context.RequestAborted);
        TenantScope.EnsureAllowed(context, policy, "plan", "update", plan.ProjectId, "Plan", plan.Id);
        var v = new Validator();
        v.Require(fields.ProtectionId is null || fields.ProtectionId == plan.ProtectionId, "plan.protection_id cannot be changed");
        var name = v.Name("plan.name", fields.Name, required: false);
        Apply(v, fields, plan, secrets);
        v.ThrowIfInvalid();
        if (name is not null && name != plan.Name && await db.Plans.AnyAsync(p => p.ProtectionId == plan.ProtectionId && p.Name == name, context.RequestAborted))
            throw ApiException.Conflict($"The protection already has a plan named {name}.");
        var protection = await db.Protections.AsNoTracking().SingleAsync(p => p.Id == plan.ProtectionId, context.RequestAborted);
        // A new replication mode is checked like new members: every array's plugin must be able to keep it.
        if (fields.Resources is not null || fields.Selector is not null || fields.Replication?.Mode is not null)
            await CheckMembersAsync(db, sessions, plugins, plan, protection, context.RequestAborted);
        plan.Name = name ?? plan.Name;
        plan.UpdatedAt = clock.GetUtcNow();
        AuditTrail.Record(db, context, clock, "plan.update", "plan", plan.Id.ToString(), plan.ProjectId);
        await Lookup.SaveAsync(db, $"The protection already has a plan named {plan.Name}.", context.RequestAborted);
        PlanSchedule.Register(jobs, plan);
        return ApiJson.Ok(new PlanEnvelope(PlanView.Of(plan, protection)));
    }

    /// <summary>Deletes the plan and removes its replication groups from the arrays (<c>?keep_replication=true</c>
    /// leaves them replicating); 409 while a run of the plan has not ended.</summary>
    private static async Task<IResult> DeleteAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, IRecurringJobManager jobs, PlanRemoval removal, TimeProvider clock)
    {
        var plan = await FindAsync(db, id, tracked: false, context.RequestAborted);
        TenantScope.EnsureAllowed(context, policy, "plan", "delete", plan.ProjectId, "Plan", plan.Id);
        var keep = context.Request.Query.TryGetValue("keep_replication", out var raw) && (bool.TryParse(raw, out var k)
            ? k : throw ApiException.BadRequest("keep_replication must be true or false."));
        IReadOnlyList<string> removed;
        try
        {
            removed = await removal.RemoveAsync(plan.Id, keep, context.RequestAborted);
        }
        catch (PlanRemovalRefusedException e)
        {
            throw new ApiException(e.Status, e.Message);
        }
        AuditTrail.Record(db, context, clock, "plan.delete", "plan", plan.Id.ToString(), plan.ProjectId, new { plan.Name, keep_replication = keep, removed_groups = removed });
        await db.SaveChangesAsync(context.RequestAborted);
        PlanSchedule.Remove(jobs, plan.Id);
        return Results.NoContent();
    }

    /// <summary>
    /// The plan's members must exist in the tenant's project at the primary site and its volumes must be
    /// replicable; a site that cannot be asked is a 503, never a plan accepted unchecked.
    /// </summary>
    private static async Task CheckMembersAsync(DraasDbContext db, SiteSessionPool sessions, StoragePluginCatalog plugins, Plan plan, TenantProtection protection, CancellationToken ct)
    {
        PlanMemberReport report;
        try
        {
            report = await new PlanMemberCheck(db, sessions, plugins).CheckAsync(plan, protection, ct);
        }
        catch (SiteUnreachableException e)
        {
            throw ApiException.ServiceUnavailable($"The plan's members could not be checked: the {(PlanPlacement.Of(protection, plan).AtPrimary ? "primary" : "recovery")} site {e.SiteName} did not answer ({e.InnerException?.Message}). Nothing was changed; try again when the site is reachable.");
        }
        if (!report.Ok) throw ApiException.BadRequest(report.Describe());
    }

    /// <summary>Validates and applies every field but the name and the protection.</summary>
    private static void Apply(Validator v, PlanFields f, Plan plan, SecretProtector secrets)
    {
        v.FreeText("plan.description", f.Description, 255);
        if (f.Description is not null) plan.Description = f.Description;
        if (f.Replication is { } r)
        {
            plan.ReplicationMode = r.Mode ?? plan.ReplicationMode;
            if (r.IntervalSeconds is { } interval)
            {
                v.Require(interval is >= 60 and <= 86_400, "plan.replication.interval_seconds must be 60..86400");
                plan.ReplicationIntervalSeconds = interval;
            }
            if (r.Retention is { } retention)
            {
                v.Require(retention is >= 1 and <= 1000, "plan.replication.retention must be 1..1000");
                plan.RetentionCount = retention;
            }
        }
        if (f.Resources is { } resources)
        {
            v.Require(resources.Count <= MaxResources, $"plan.resources holds at most {MaxResources} entries");
            var parsed = new List<PlanResource>();
            for (var i = 0; i < resources.Count; i++)
            {
                var item = resources[i];
                if (item is null)
                {
                    v.Require(false, $"plan.resources[{i}] must be an object");
                    continue;
                }
                v.Require(item.Kind is not null, $"plan.resources[{i}].kind is required (server, volume or image)");
                var resourceId = v.Text($"plan.resources[{i}].id", item.Id, 64, required: true);
                v.Require(item.PriorityGroup is null or (>= 1 and <= 10), $"plan.resources[{i}].priority_group must be 1..10");
                // No id here: a key the context has not seen makes EF insert the row rather than update it.
                if (item.Kind is { } kind && resourceId is not null)
                    parsed.Add(new PlanResource { PlanId = plan.Id, Kind = kind, ResourceId = resourceId, PriorityGroup = item.PriorityGroup ?? 1 });
            }
            v.Require(parsed.DistinctBy(r => (r.Kind, r.ResourceId)).Count() == parsed.Count, "plan.resources lists a resource twice");
            plan.Resources.Clear();
            plan.Resources.AddRange(parsed);
        }
        if (f.Selector is { } selector)
        {
            var problems = PlanSelector.Validate(selector);
            foreach (var problem in problems) v.Require(false, problem);
            if (problems.Count == 0) plan.Selector = selector.ToJsonString();
        }
        if (f.HealthChecks is { } checks)
        {
            v.Require(checks.Count <= 100, "plan.health_checks holds at most 100 checks");
            for (var i = 0; i < checks.Count; i++) HealthCheckRules.Check(v, $"plan.health_checks[{i}]", checks[i]);
            plan.HealthChecks = checks.ToJsonString();
        }
        if (f.RecoveryOptions is { } recovery)
        {
            var problems = Draas.Workflows.Runs.RunOptions.ValidatePlanDefaults(recovery);
            foreach (var problem in problems) v.Require(false, $"plan.recovery_options: {problem}");
            if (problems.Count == 0) plan.RecoveryOptions = recovery.Count == 0 ? null : recovery.ToJsonString();
        }
        if (f.Canary is { } canary)
        {
            // {} takes the canary away; anything else must be a canary the planner can use.
            if (canary.Count > 0) CanaryRules.Check(v, "plan.canary", canary);
            plan.Canary = canary.Count == 0 ? null : canary.ToJsonString();
        }
        // On the plan as it will be stored, so an update obeys the same rule as a create.
        v.Require(plan.Resources.Count > 0 || plan.Selector is not null, "a plan needs resources or a selector");
        if (f.Hooks is { } hooks) PlanHookFields.Apply(v, hooks, plan, secrets);
    }

    private static Task<Plan> FindAsync(DraasDbContext db, string id, bool tracked, CancellationToken ct) =>
        Lookup.FindAsync((tracked ? db.Plans : db.Plans.AsNoTracking()).Include(p => p.Resources), id, "Plan", guid => p => p.Id == guid, ct);
}
