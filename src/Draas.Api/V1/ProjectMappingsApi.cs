using System.Text.RegularExpressions;
using Draas.Api.Auth;
using Draas.Api.Configuration;
using Draas.Api.Errors;
using Draas.Api.Http;
using Draas.Api.Policy;
using Draas.Data;
using Draas.Domain.Protection;
using Draas.Workflows.Protection;
using Draas.Workflows.Sites;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.V1;

/// <summary><c>{"project_mapping": {...}}</c>: a recovery-site project an admin assigns to a tenant's project.</summary>
public sealed record ProjectMappingBody(ProjectMappingFields? ProjectMapping);

public sealed record ProjectMappingFields(
    Guid? PrimarySiteId = null,
    string? PrimaryProjectId = null,
    Guid? RecoverySiteId = null,
    string? RecoveryProjectId = null,
    string? Description = null);

public sealed record ProjectMappingView(Guid Id, Guid PrimarySiteId, string PrimaryProjectId, Guid RecoverySiteId, string RecoveryProjectId, string? Description, string? CreatedBy, DateTimeOffset CreatedAt)
{
    public static ProjectMappingView Of(ProjectMapping m) =>
        new(m.Id, m.PrimarySiteId, m.PrimaryProjectId, m.RecoverySiteId, m.RecoveryProjectId, m.Description, m.CreatedBy, m.CreatedAt);
}

/// <summary>
/// /v1/project-mappings (cloud admins): which project at a recovery site belongs to which tenant. A project
/// member may name only a mapped project as their protection's recovery project (or have the service
/// create one), so no tenant can recover into, or have images shared into, another tenant's project.
/// </summary>
public static partial class ProjectMappingsApi
{
    [GeneratedRegex("^[A-Za-z0-9-]{1,64}\\z")]
    private static partial Regex ProjectIdPattern();

    public static void Map(RouteGroupBuilder v1)
    {
        var mappings = v1.MapGroup("/project-mappings");
        mappings.MapGet("", ListAsync).Produces<ProjectMappingList>();
        mappings.MapPost("", CreateAsync).Reads<ProjectMappingBody>().Produces<ProjectMappingEnvelope>(201);
        mappings.MapGet("/{id}", ShowAsync).Produces<ProjectMappingEnvelope>();
        mappings.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api)
    {
        policy.Enforce(context, "draas:project_mapping:list");
        var paging = Paging.From(context.Request, api.MaxLimit);
        var query = db.ProjectMappings.AsNoTracking();
        var q = context.Request.Query;
        if (q.TryGetValue("primary_project_id", out var primary)) query = query.Where(m => m.PrimaryProjectId == primary.ToString());
        if (q.TryGetValue("recovery_project_id", out var recovery)) query = query.Where(m => m.RecoveryProjectId == recovery.ToString());
        var page = await paging.PageAsync(query, context.RequestAborted);
        return ApiJson.Ok(new ProjectMappingList(page.Select(ProjectMappingView.Of), paging.Links(context.Request, page.Count, page.LastOrDefault()?.Id)));
    }

    private static async Task<IResult> ShowAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy)
    {
        policy.Enforce(context, "draas:project_mapping:get");
        var mapping = await Lookup.FindAsync(db.ProjectMappings.AsNoTracking(), id, "Project mapping", guid => m => m.Id == guid, context.RequestAborted);
        return ApiJson.Ok(new ProjectMappingEnvelope(ProjectMappingView.Of(mapping)));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, SiteSessionPool sessions, TimeProvider clock)
    {
        policy.Enforce(context, "draas:project_mapping:create");
        var f = (await JsonBody.ReadAsync<ProjectMappingBody>(context.Request, api.MaxBodyBytes)).ProjectMapping
            ?? throw ApiException.BadRequest("The request body must be {\"project_mapping\": {...}}.");
        var v = new Validator();
        v.Require(f.PrimarySiteId is not null, "project_mapping.primary_site_id is required");
        v.Require(f.RecoverySiteId is not null, "project_mapping.recovery_site_id is required");
        v.Require(f.PrimarySiteId is null || f.PrimarySiteId != f.RecoverySiteId, "project_mapping.recovery_site_id must differ from primary_site_id");
        var primary = ProjectId(v, "project_mapping.primary_project_id", f.PrimaryProjectId);
        var recovery = ProjectId(v, "project_mapping.recovery_project_id", f.RecoveryProjectId);
        v.Text("project_mapping.description", f.Description, 255);
        v.ThrowIfInvalid();
        var sites = await db.Sites.AsNoTracking().Where(s => s.Id == f.PrimarySiteId || s.Id == f.RecoverySiteId).ToListAsync(context.RequestAborted);
        var recoverySite = sites.FirstOrDefault(s => s.Id == f.RecoverySiteId);
        if (sites.All(s => s.Id != f.PrimarySiteId) || recoverySite is null)
            throw ApiException.BadRequest("project_mapping.primary_site_id and recovery_site_id must be registered sites.");
        if (await db.ProjectMappings.AnyAsync(m => m.RecoverySiteId == f.RecoverySiteId && m.RecoveryProjectId == recovery, context.RequestAborted))
            throw ApiException.Conflict($"Project {recovery} at {recoverySite.Name} is mapped to a tenant already; a recovery project belongs to one tenant.");
        if (await db.ProjectMappings.AnyAsync(m => m.PrimarySiteId == f.PrimarySiteId && m.PrimaryProjectId == primary && m.RecoverySiteId == f.RecoverySiteId, context.RequestAborted))
            throw ApiException.Conflict($"Project {primary} has a recovery project at {recoverySite.Name} already; delete that mapping first.");
        try
        {
            if (!await new RecoveryProjects(sessions).ExistsAsync(recoverySite, recovery!, context.RequestAborted))
                throw ApiException.BadRequest($"project_mapping.recovery_project_id {recovery} is not a project at the recovery site {recoverySite.Name}.");
        }
        catch (SiteUnreachableException e)
        {
            throw ApiException.ServiceUnavailable($"The recovery project could not be checked: site {e.SiteName} did not answer ({e.InnerException?.Message}). Nothing was changed.");
        }
        var caller = context.Caller().Credentials;
        var mapping = new ProjectMapping
        {
            Id = Guid.NewGuid(),
            PrimarySiteId = f.PrimarySiteId!.Value,
            PrimaryProjectId = primary!,
            RecoverySiteId = f.RecoverySiteId!.Value,
            RecoveryProjectId = recovery!,
            Description = f.Description,
            CreatedBy = caller.UserName ?? caller.UserId,
            CreatedAt = clock.GetUtcNow(),
        };
        db.ProjectMappings.Add(mapping);
        AuditTrail.Record(db, context, clock, "project_mapping.create", "project_mapping", mapping.Id.ToString(), mapping.PrimaryProjectId,
            new { mapping.RecoverySiteId, mapping.RecoveryProjectId });
        await Lookup.SaveAsync(db, $"Project {recovery} at {recoverySite.Name} is mapped already.", context.RequestAborted);
        context.Response.Headers.Location = $"/v1/project-mappings/{mapping.Id}";
        return ApiJson.Ok(new ProjectMappingEnvelope(ProjectMappingView.Of(mapping)), 201);
    }

    /// <summary>Removes the mapping; protections that use the project keep it (an admin's later decision), but
    /// a member can no longer name it for a new one.</summary>
    private static async Task<IResult> DeleteAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, TimeProvider clock)
    {
        policy.Enforce(context, "draas:project_mapping:delete");
        var mapping = await Lookup.FindAsync(db.ProjectMappings, id, "Project mapping", guid => m => m.Id == guid, context.RequestAborted);
        db.ProjectMappings.Remove(mapping);
        AuditTrail.Record(db, context, clock, "project_mapping.delete", "project_mapping", mapping.Id.ToString(), mapping.PrimaryProjectId,
            new { mapping.RecoverySiteId, mapping.RecoveryProjectId });
        await db.SaveChangesAsync(context.RequestAborted);
        return Results.NoContent();
    }

    private static string? ProjectId(Validator v, string field, string? value)
    {
        var id = v.Text(field, value, 64, required: true);
        if (id is not null) v.Require(ProjectIdPattern().IsMatch(id), $"{field} must be a Keystone project id");
        return id;
    }

    /// <summary>
    /// The rule for a recovery project named on a protection: a caller without
    /// <c>draas:protection:use_unmapped_recovery_project</c> (members, by default) may name only a project an
    /// admin mapped to the protection's project (403; a project the service creates needs no mapping), and
    /// nobody may name another tenant's recovery or primary project (400).
    /// </summary>
    public static async Task EnsureRecoveryProjectAllowedAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, TenantProtection protection, CancellationToken ct)
    {
        if (protection.RecoveryProjectId is not { } recovery) return;
        if (!policy.Allows("draas:protection:use_unmapped_recovery_project", context.Caller().Credentials, TenantScope.Target(protection.PrimaryProjectId)))
        {
            var mapped = await db.ProjectMappings.AsNoTracking().AnyAsync(m => m.PrimarySiteId == protection.PrimarySiteId && m.PrimaryProjectId == protection.PrimaryProjectId
                && m.RecoverySiteId == protection.RecoverySiteId && m.RecoveryProjectId == recovery, ct);
            if (!mapped)
                throw new ApiException(403, $"Project {recovery} at the recovery site is not mapped to project {protection.PrimaryProjectId}: " +
                    "a cloud admin maps recovery projects to tenants (POST /v1/project-mappings), or have the service create one with \"recovery_project\": {\"create\": true}.");
        }
        // Not even an admin recovers one tenant into another's project: its images would be shared there, its servers booted there.
        var taken = await db.Protections.AsNoTracking().AnyAsync(p => p.Id != protection.Id
            && ((p.RecoverySiteId == protection.RecoverySiteId && p.RecoveryProjectId == recovery && p.PrimaryProjectId != protection.PrimaryProjectId)
                || (p.PrimarySiteId == protection.RecoverySiteId && p.PrimaryProjectId == recovery)), ct);
        if (taken) throw ApiException.BadRequest($"protection.recovery_project_id {recovery} belongs to another tenant's protection; name a project mapped to {protection.PrimaryProjectId}.");
    }
}
