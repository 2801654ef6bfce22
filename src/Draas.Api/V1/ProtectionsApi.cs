using System.Text.RegularExpressions;
using Cronos;
using Draas.Api.Auth;
using Draas.Api.Configuration;
using Draas.Api.Errors;
using Draas.Api.Http;
using Draas.Api.Policy;
using Draas.Data;
using Draas.Data.Secrets;
using Draas.Domain.Protection;
using Draas.OpenStack;
using Draas.Workflows.Protection;
using Draas.Workflows.Sites;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.V1;

/// <summary>/v1/protections: tenant enrolment. Admins enrol any project; members their own when policy allows.</summary>
public static partial class ProtectionsApi
{
    [GeneratedRegex("^[^@\\s]{1,64}@[^@\\s]{1,255}\\z")]
    private static partial Regex EmailPattern();

    // Letters, digits and '-', starting with a letter or digit: "-rf" is no project, and would read as an option to a CLI.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,63}\\z")]
    private static partial Regex ProjectIdPattern();

    public static void Map(RouteGroupBuilder v1)
    {
        var protections = v1.MapGroup("/protections");
        protections.MapGet("", ListAsync).Produces<ProtectionList>();
        protections.MapPost("", CreateAsync).Reads<ProtectionBody>().Produces<ProtectionEnvelope>(201);
        protections.MapGet("/{id}", ShowAsync).Produces<ProtectionEnvelope>();
        protections.MapPut("/{id}", UpdateAsync).Reads<ProtectionBody>().Produces<ProtectionEnvelope>();
        protections.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api)
    {
        var scope = TenantScope.ListScope(context, policy, "protection");
        var paging = Paging.From(context.Request, api.MaxLimit);
        var query = db.Protections.AsNoTracking();
        if (scope is not null) query = query.Where(p => p.PrimaryProjectId == scope);
        else if (context.Request.Query.TryGetValue("project_id", out var project)) query = query.Where(p => p.PrimaryProjectId == project.ToString());
        var page = await paging.PageAsync(query, context.RequestAborted);
        var ids = page.Select(p => p.Id).ToList();
        var plans = (await db.Plans.AsNoTracking().Where(p => ids.Contains(p.ProtectionId)).ToListAsync(context.RequestAborted)).ToLookup(p => p.ProtectionId);
        return ApiJson.Ok(new ProtectionList(page.Select(p => ProtectionView.Of(p, plans[p.Id])), paging.Links(context.Request, page.Count, page.LastOrDefault()?.Id)));
    }

    private static async Task<IResult> ShowAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy)
    {
        var protection = await FindAsync(db, id, tracked: false, context.RequestAborted);
        TenantScope.EnsureVisible(context, policy, "protection", protection.PrimaryProjectId, "Protection", protection.Id);
        return ApiJson.Ok(new ProtectionEnvelope(await ViewAsync(db, protection, context.RequestAborted)));
    }

    private static async Task<ProtectionView> ViewAsync(DraasDbContext db, TenantProtection protection, CancellationToken ct) =>
        ProtectionView.Of(protection, await db.Plans.AsNoTracking().Where(p => p.ProtectionId == protection.Id).ToListAsync(ct));

    private static async Task<IResult> CreateAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, SiteSessionPool sessions, SecretProtector secrets, TimeProvider clock)
    {
        var fields = (await JsonBody.ReadAsync<ProtectionBody>(context.Request, api.MaxBodyBytes)).Protection
            ?? throw ApiException.BadRequest("The request body must be {\"protection\": {...}}.");
        // A member who leaves out the project enrols their own.
        var projectId = fields.PrimaryProjectId ?? context.Caller().ProjectId;
        var v = new Validator();
        var name = v.Name("protection.name", fields.Name, required: true);
        v.Require(fields.PrimarySiteId is not null, "protection.primary_site_id is required");
        v.Require(fields.RecoverySiteId is not null, "protection.recovery_site_id is required");
        v.Require(fields.PrimarySiteId is null || fields.PrimarySiteId != fields.RecoverySiteId, "protection.recovery_site_id must differ from primary_site_id");
        ProjectId(v, "protection.primary_project_id", projectId, required: true);
        var protection = new TenantProtection { Name = name ?? "", PrimaryProjectId = projectId ?? "" };
        Apply(v, fields, protection);
        v.ThrowIfInvalid();
        ApplySecret(fields, protection, secrets);
        policy.Enforce(context, "draas:protection:create", TenantScope.Target(protection.PrimaryProjectId));
        await EnsureSitesAsync(db, fields.PrimarySiteId!.Value, fields.RecoverySiteId!.Value, context.RequestAborted);
        if (await db.Protections.AnyAsync(p => p.PrimarySiteId == fields.PrimarySiteId && p.PrimaryProjectId == protection.PrimaryProjectId, context.RequestAborted))
            throw ApiException.Conflict($"Project {protection.PrimaryProjectId} is already enrolled at that site.");
        protection.Id = Guid.NewGuid();
        protection.PrimarySiteId = fields.PrimarySiteId.Value;
        protection.RecoverySiteId = fields.RecoverySiteId.Value;
        if (fields.RecoveryProject is not null) policy.Enforce(context, "draas:protection:create_recovery_project", TenantScope.Target(protection.PrimaryProjectId));
        await ProjectMappingsApi.EnsureRecoveryProjectAllowedAsync(context, db, policy, protection, context.RequestAborted);
        var created = await ResolveRecoveryProjectAsync(db, sessions, fields, protection, context.RequestAborted);
        protection.CreatedAt = protection.UpdatedAt = clock.GetUtcNow();
        db.Protections.Add(protection);
        AuditTrail.Record(db, context, clock, "protection.create", "protection", protection.Id.ToString(), protection.PrimaryProjectId,
            new { protection.Name, protection.RecoveryProjectId, recovery_project_created = created });
        await Lookup.SaveAsync(db, $"Project {protection.PrimaryProjectId} is already enrolled at that site.", context.RequestAborted);
        context.Response.Headers.Location = $"/v1/protections/{protection.Id}";
        return ApiJson.Ok(new ProtectionEnvelope(ProtectionView.Of(protection, [])), 201);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, SiteSessionPool sessions, SecretProtector secrets, TimeProvider clock)
    {
        var fields = (await JsonBody.ReadAsync<ProtectionBody>(context.Request, api.MaxBodyBytes)).Protection
            ?? throw ApiException.BadRequest("The request body must be {\"protection\": {...}}.");
        var protection = await FindAsync(db, id, tracked: true, context.RequestAborted);
        TenantScope.EnsureAllowed(context, policy, "protection", "update", protection.PrimaryProjectId, "Protection", protection.Id);
        var v = new Validator();
        v.Require(fields.PrimarySiteId is null || fields.PrimarySiteId == protection.PrimarySiteId, "protection.primary_site_id cannot be changed");
        v.Require(fields.PrimaryProjectId is null || fields.PrimaryProjectId == protection.PrimaryProjectId, "protection.primary_project_id cannot be changed");
        v.Require(fields.RecoverySiteId is null || fields.RecoverySiteId == protection.RecoverySiteId, "protection.recovery_site_id cannot be changed");
        var name = v.Name("protection.name", fields.Name, required: false);
        var recoveryBefore = protection.RecoveryProjectId;
        // One project made per protection: a second would only leave the first behind at the recovery site.
        v.Require(fields.RecoveryProject is null || recoveryBefore is null, "protection.recovery_project: the protection already has a recovery project; give protection.recovery_project_id to change it");
        Apply(v, fields, protection);
        v.ThrowIfInvalid();
        ApplySecret(fields, protection, secrets);
        if (fields.RecoveryProject is not null) policy.Enforce(context, "draas:protection:create_recovery_project", TenantScope.Target(protection.PrimaryProjectId));
        protection.Name = name ?? protection.Name;
        if (fields.RecoveryProjectId is not null) await ProjectMappingsApi.EnsureRecoveryProjectAllowedAsync(context, db, policy, protection, context.RequestAborted);
        var created = fields.RecoveryProject is not null || protection.RecoveryProjectId != recoveryBefore
            ? await ResolveRecoveryProjectAsync(db, sessions, fields, protection, context.RequestAborted)
            : false;
        protection.UpdatedAt = clock.GetUtcNow();
        AuditTrail.Record(db, context, clock, "protection.update", "protection", protection.Id.ToString(), protection.PrimaryProjectId,
            created ? new { protection.RecoveryProjectId, recovery_project_created = true } : null);
        await db.SaveChangesAsync(context.RequestAborted);
        return ApiJson.Ok(new ProtectionEnvelope(await ViewAsync(db, protection, context.RequestAborted)));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, TimeProvider clock)
    {
        var protection = await FindAsync(db, id, tracked: true, context.RequestAborted);
        TenantScope.EnsureAllowed(context, policy, "protection", "delete", protection.PrimaryProjectId, "Protection", protection.Id);
        if (await db.Plans.AnyAsync(p => p.ProtectionId == protection.Id, context.RequestAborted))
            throw ApiException.Conflict($"Protection {protection.Name} still has plans; delete them first.");
        if (await db.Runs.AnyAsync(r => r.ProtectionId == protection.Id, context.RequestAborted))
            throw ApiException.Conflict($"Protection {protection.Name} has run history; it is kept for the record.");
        db.Protections.Remove(protection);
        AuditTrail.Record(db, context, clock, "protection.delete", "protection", protection.Id.ToString(), protection.PrimaryProjectId, new { protection.Name });
        await db.SaveChangesAsync(context.RequestAborted);
        return Results.NoContent();
    }

    /// <summary>
    /// The recovery project must exist at the recovery site: an id given is looked up there (400 if it is
    /// not a project), <c>recovery_project: {create: true}</c> has the service create one and grant itself
    /// a role on it. A recovery site that cannot be asked is a 503.
    /// </summary>
    /// <returns>Whether the service created the project.</returns>
    private static async Task<bool> ResolveRecoveryProjectAsync(DraasDbContext db, SiteSessionPool sessions, ProtectionFields f, TenantProtection p, CancellationToken ct)
    {
        if (f.RecoveryProject is null && p.RecoveryProjectId is null) return false;
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == p.RecoverySiteId, ct);
        var projects = new RecoveryProjects(sessions);
        try
        {
            if (f.RecoveryProject is not null)
            {
                var name = f.RecoveryProject.Name ?? $"{p.Name[..Math.Min(p.Name.Length, 55)]}-recovery";
                try
                {
                    p.RecoveryProjectId = await projects.CreateAsync(site, name,
                        $"Recovery project of {p.PrimaryProjectId}, created by the DRaaS service for protection {p.Name} ({p.Id}).", ct);
                }
                catch (OpenStackException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
                {
                    throw ApiException.Conflict($"Site {site.Name} already has a project named {name}; give protection.recovery_project.name another name, or its id as protection.recovery_project_id.");
                }
                return true;
            }
            if (!await projects.ExistsAsync(site, p.RecoveryProjectId!, ct))
                throw ApiException.BadRequest($"protection.recovery_project_id {p.RecoveryProjectId} is not a project at the recovery site {site.Name}.");
            return false;
        }
        catch (SiteUnreachableException e)
        {
            throw ApiException.ServiceUnavailable($"The recovery project could not be checked or created: the recovery site {e.SiteName} did not answer ({e.InnerException?.Message}). Nothing was changed; try again when the site is reachable.");
        }
    }

    /// <summary>Validates and applies the optional fields shared by create and update.</summary>
    private static void Apply(Validator v, ProtectionFields f, TenantProtection p)
    {
        if (ProjectId(v, "protection.recovery_project_id", f.RecoveryProjectId, required: false) is { } recovery) p.RecoveryProjectId = recovery;
        if (f.RecoveryProject is { } create)
        {
            v.Require(create.Create == true, "protection.recovery_project must be {\"create\": true} (with an optional name); to use an existing project give protection.recovery_project_id");
            v.Require(f.RecoveryProjectId is null, "give protection.recovery_project_id or protection.recovery_project, not both");
            v.Name("protection.recovery_project.name", create.Name, required: false);
        }
        if (f.RpoTargetSeconds is { } rpo)
        {
            v.Require(rpo is >= 60 and <= 86_400, "protection.rpo_target_seconds must be 60..86400");
            p.RpoTargetSeconds = rpo;
        }
        if (v.Text("protection.drill_schedule", f.DrillSchedule, 64) is { } cron)
        {
            v.Require(CronExpression.TryParse(cron, out _), "protection.drill_schedule must be a five-field cron expression");
            p.DrillSchedule = cron;
        }
        if (f.NetworkMapping is { } mapping)
        {
            v.Require(mapping.Count <= 100, "protection.network_mapping holds at most 100 networks");
            foreach (var (from, to) in mapping)
            {
                v.Text("protection.network_mapping key", from, 64, required: true);
                v.Text($"protection.network_mapping[{from}]", to, 64, required: true);
            }
            p.NetworkMapping = mapping;
        }
        if (f.Contacts is { } contacts)
        {
            v.Require(contacts.Count <= 20, "protection.contacts holds at most 20 addresses");
            v.Require(contacts.All(c => c is not null && EmailPattern().IsMatch(c)), "protection.contacts must be e-mail addresses");
            p.Contacts = contacts;
        }
        if (v.Url("protection.webhook_url", f.WebhookUrl, required: false) is { } webhook) p.WebhookUrl = webhook;
    }

    /// <summary>The webhook's signing key, write-only: stored encrypted, "" removes it (calls go unsigned).</summary>
    private static void ApplySecret(ProtectionFields f, TenantProtection p, SecretProtector secrets)
    {
        if (f.WebhookSecret is not { } secret) return;
        if (secret.Length == 0)
        {
            p.WebhookSecretCiphertext = null;
            return;
        }
        if (secret.Length is < 16 or > 256 || secret.Any(char.IsControl))
            throw ApiException.BadRequest("protection.webhook_secret must be 16..256 characters without control characters.");
        p.WebhookSecretCiphertext = secrets.Protect(secret);
    }

    private static string? ProjectId(Validator v, string field, string? value, bool required)
    {
        var id = v.Text(field, value, 64, required);
        if (id is not null) v.Require(ProjectIdPattern().IsMatch(id), $"{field} must be a Keystone project id");
        return id;
    }

    private static async Task EnsureSitesAsync(DraasDbContext db, Guid primary, Guid recovery, CancellationToken ct)
    {
        var found = await db.Sites.Where(s => s.Id == primary || s.Id == recovery).Select(s => s.Id).ToListAsync(ct);
        var missing = new[] { primary, recovery }.Where(id => !found.Contains(id)).ToList();
        if (missing.Count > 0) throw ApiException.BadRequest($"Not registered sites: {string.Join(", ", missing)}.");
    }

    private static Task<TenantProtection> FindAsync(DraasDbContext db, string id, bool tracked, CancellationToken ct) =>
        Lookup.FindAsync(tracked ? db.Protections : db.Protections.AsNoTracking(), id, "Protection", guid => p => p.Id == guid, ct);
}
