using System.Text.Json.Nodes;
using Draas.Api.Configuration;
using Draas.Api.Errors;
using Draas.Api.Http;
using Draas.Api.Policy;
using Draas.Data;
using Draas.Data.Secrets;
using Draas.Domain.Sites;
using Draas.Workflows.Sites;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.V1;

/// <summary>/v1/sites: the OpenStack clouds the service works with (cloud admins only).</summary>
public static class SitesApi
{
    private static readonly string[] Interfaces = ["public", "internal", "admin"];
    private static readonly string[] AuthTypes = [SiteView.PasswordAuth, SiteView.ApplicationCredentialAuth];

    public static void Map(RouteGroupBuilder v1)
    {
        var sites = v1.MapGroup("/sites");
        sites.MapGet("", ListAsync).Produces<SiteList>();
        sites.MapPost("", CreateAsync).Reads<SiteBody>().Produces<SiteEnvelope>(201);
        sites.MapGet("/{id}", ShowAsync).Produces<SiteEnvelope>();
        sites.MapPut("/{id}", UpdateAsync).Reads<SiteBody>().Produces<SiteEnvelope>();
        sites.MapDelete("/{id}", DeleteAsync);
        sites.MapPost("/{id}/action", ActionAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api)
    {
        policy.Enforce(context, "draas:site:list");
        var paging = Paging.From(context.Request, api.MaxLimit);
        var query = db.Sites.AsNoTracking();
        if (context.Request.Query.TryGetValue("name", out var name)) query = query.Where(s => s.Name == name.ToString());
        var page = await paging.PageAsync(query, context.RequestAborted);
        return ApiJson.Ok(new SiteList(page.Select(SiteView.Of), paging.Links(context.Request, page.Count, page.LastOrDefault()?.Id)));
    }

    private static async Task<IResult> ShowAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy)
    {
        policy.Enforce(context, "draas:site:get");
        var site = await FindAsync(db, id, context.RequestAborted, tracked: false);
        return ApiJson.Ok(new SiteEnvelope(SiteView.Of(site)));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, SecretProtector secrets, TimeProvider clock)
    {
        policy.Enforce(context, "draas:site:create");
        var fields = (await JsonBody.ReadAsync<SiteBody>(context.Request, api.MaxBodyBytes)).Site
            ?? throw ApiException.BadRequest("The request body must be {\"site\": {...}}.");
        var v = new Validator();
        var authType = v.OneOf("site.auth_type", fields.AuthType, AuthTypes) ?? SiteView.PasswordAuth;
        var appCred = authType == SiteView.ApplicationCredentialAuth;
        var site = new Site
        {
            Name = v.Name("site.name", fields.Name, required: true) ?? "",
            Description = v.FreeText("site.description", fields.Description, 255),
            AuthUrl = v.Url("site.auth_url", fields.AuthUrl, required: true) ?? "",
            RegionName = v.Text("site.region_name", fields.RegionName, 64),
            Interface = v.OneOf("site.interface", fields.Interface, Interfaces) ?? "public",
            AuthType = appCred ? SiteAuthType.ApplicationCredential : SiteAuthType.Password,
            Username = v.Text("site.username", fields.Username, 255, required: !appCred),
            UserDomainName = v.Text("site.user_domain_name", fields.UserDomainName, 64) ?? "Default",
            ProjectName = v.Text("site.project_name", fields.ProjectName, 64, required: !appCred),
            ProjectDomainName = v.Text("site.project_domain_name", fields.ProjectDomainName, 64) ?? "Default",
            ApplicationCredentialId = v.Text("site.application_credential_id", fields.ApplicationCredentialId, 64, required: appCred),
            VerifyTls = fields.VerifyTls ?? true,
            ProbeUrl = v.Url("site.probe_url", fields.ProbeUrl, required: false),
            MaxConcurrentImports = v.Between("site.max_concurrent_imports", fields.MaxConcurrentImports, 1, Site.MaxConcurrentLimit) ?? Site.DefaultMaxConcurrent,
            MaxConcurrentBoots = v.Between("site.max_concurrent_boots", fields.MaxConcurrentBoots, 1, Site.MaxConcurrentLimit) ?? Site.DefaultMaxConcurrent,
            SecretCiphertext = "",
        };
        var secret = appCred
            ? v.Secret("site.application_credential_secret", fields.ApplicationCredentialSecret, 4096, required: true)
            : v.Secret("site.password", fields.Password, 4096, required: true);
        v.Require(appCred || fields.ApplicationCredentialSecret is null, "site.application_credential_secret is only for auth_type v3applicationcredential");
        v.Require(!appCred || fields.Password is null, "site.password is only for auth_type password");
        v.ThrowIfInvalid();
        if (await db.Sites.AnyAsync(s => s.Name == site.Name, context.RequestAborted)) throw ApiException.Conflict($"A site named {site.Name} already exists.");
        site.Id = Guid.NewGuid();
        site.SecretCiphertext = secrets.Protect(secret!);
        site.CreatedAt = site.UpdatedAt = clock.GetUtcNow();
        db.Sites.Add(site);
        AuditTrail.Record(db, context, clock, "site.create", "site", site.Id.ToString(), detail: new { site.Name, site.AuthUrl });
        await Lookup.SaveAsync(db, $"A site named {site.Name} already exists.", context.RequestAborted);
        context.Response.Headers.Location = $"/v1/sites/{site.Id}";
        return ApiJson.Ok(new SiteEnvelope(SiteView.Of(site)), 201);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, SecretProtector secrets, TimeProvider clock)
    {
        policy.Enforce(context, "draas:site:update");
        var fields = (await JsonBody.ReadAsync<SiteBody>(context.Request, api.MaxBodyBytes)).Site
            ?? throw ApiException.BadRequest("The request body must be {\"site\": {...}}.");
        var site = await FindAsync(db, id, context.RequestAborted, tracked: true);
        var v = new Validator();
        v.Require(fields.AuthType is null || fields.AuthType == SiteView.Of(site).AuthType, "site.auth_type cannot be changed; create a new site");
        var name = v.Name("site.name", fields.Name, required: false);
        var description = v.FreeText("site.description", fields.Description, 255);
        var authUrl = v.Url("site.auth_url", fields.AuthUrl, required: false);
        var region = v.Text("site.region_name", fields.RegionName, 64);
        var iface = v.OneOf("site.interface", fields.Interface, Interfaces);
        var username = v.Text("site.username", fields.Username, 255);
        var userDomain = v.Text("site.user_domain_name", fields.UserDomainName, 64);
        var project = v.Text("site.project_name", fields.ProjectName, 64);
        var projectDomain = v.Text("site.project_domain_name", fields.ProjectDomainName, 64);
        var appCredId = v.Text("site.application_credential_id", fields.ApplicationCredentialId, 64);
        var probeUrl = v.Url("site.probe_url", fields.ProbeUrl, required: false);
        var imports = v.Between("site.max_concurrent_imports", fields.MaxConcurrentImports, 1, Site.MaxConcurrentLimit);
        var boots = v.Between("site.max_concurrent_boots", fields.MaxConcurrentBoots, 1, Site.MaxConcurrentLimit);
        var isAppCred = site.AuthType == SiteAuthType.ApplicationCredential;
        var secret = isAppCred
            ? v.Secret("site.application_credential_secret", fields.ApplicationCredentialSecret, 4096)
            : v.Secret("site.password", fields.Password, 4096);
        v.Require(isAppCred ? fields.Password is null : fields.ApplicationCredentialSecret is null, "the secret field does not match the site's auth_type");
        v.ThrowIfInvalid();
        if (name is not null && name != site.Name && await db.Sites.AnyAsync(s => s.Name == name, context.RequestAborted))
            throw ApiException.Conflict($"A site named {name} already exists.");
        site.Name = name ?? site.Name;
        site.Description = description ?? site.Description;
        site.AuthUrl = authUrl ?? site.AuthUrl;
        site.RegionName = region ?? site.RegionName;
        site.Interface = iface ?? site.Interface;
        site.Username = username ?? site.Username;
        site.UserDomainName = userDomain ?? site.UserDomainName;
        site.ProjectName = project ?? site.ProjectName;
        site.ProjectDomainName = projectDomain ?? site.ProjectDomainName;
        site.ApplicationCredentialId = appCredId ?? site.ApplicationCredentialId;
        site.VerifyTls = fields.VerifyTls ?? site.VerifyTls;
        site.ProbeUrl = probeUrl ?? site.ProbeUrl;
        site.MaxConcurrentImports = imports ?? site.MaxConcurrentImports;
        site.MaxConcurrentBoots = boots ?? site.MaxConcurrentBoots;
        if (secret is not null) site.SecretCiphertext = secrets.Protect(secret);
        site.UpdatedAt = clock.GetUtcNow();
        AuditTrail.Record(db, context, clock, "site.update", "site", site.Id.ToString(), detail: new { fields = ChangedFields(fields), secret_changed = secret is not null });
        await Lookup.SaveAsync(db, $"A site named {site.Name} already exists.", context.RequestAborted);
        return ApiJson.Ok(new SiteEnvelope(SiteView.Of(site)));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, TimeProvider clock)
    {
        policy.Enforce(context, "draas:site:delete");
        var site = await FindAsync(db, id, context.RequestAborted, tracked: true);
        var inUse = await db.Arrays.AnyAsync(a => a.SiteId == site.Id, context.RequestAborted)
            || await db.Protections.AnyAsync(p => p.PrimarySiteId == site.Id || p.RecoverySiteId == site.Id, context.RequestAborted);
        if (inUse) throw ApiException.Conflict($"Site {site.Name} is used by arrays or protections; remove them first.");
        db.Sites.Remove(site);
        AuditTrail.Record(db, context, clock, "site.delete", "site", site.Id.ToString(), detail: new { site.Name });
        await db.SaveChangesAsync(context.RequestAborted);
        return Results.NoContent();
    }

    /// <summary><c>POST /v1/sites/{id}/action {"check": {}}</c>: a Hangfire job authenticates to the site.</summary>
    private static async Task<IResult> ActionAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, IBackgroundJobClient jobs, TimeProvider clock)
    {
        var body = await JsonBody.ReadAsync<JsonObject>(context.Request, api.MaxBodyBytes);
        if (body.Count != 1 || !body.ContainsKey("check")) throw ApiException.BadRequest("The only site action is {\"check\": {}}.");
        if (body["check"] is not JsonObject { Count: 0 }) throw ApiException.BadRequest("check takes no arguments: {\"check\": {}}.");
        policy.Enforce(context, "draas:site:check");
        var site = await FindAsync(db, id, context.RequestAborted, tracked: false);
        var jobId = jobs.Enqueue<SiteCheckJob>(job => job.RunAsync(site.Id, CancellationToken.None));
        AuditTrail.Record(db, context, clock, "site.check.request", "site", site.Id.ToString(), detail: new { job_id = jobId });
        await db.SaveChangesAsync(context.RequestAborted);
        context.Response.Headers.Location = $"/v1/sites/{site.Id}";
        return ApiJson.Ok(new { check = new { site_id = site.Id, job_id = jobId } }, 202);
    }

    private static Task<Site> FindAsync(DraasDbContext db, string id, CancellationToken ct, bool tracked) =>
        Lookup.FindAsync(tracked ? db.Sites : db.Sites.AsNoTracking(), id, "Site", guid => s => s.Id == guid, ct);

    private static IEnumerable<string> ChangedFields(SiteFields f) =>
        typeof(SiteFields).GetProperties()
            .Where(p => p.GetValue(f) is not null && p.Name is not (nameof(SiteFields.Password) or nameof(SiteFields.ApplicationCredentialSecret)))
            .Select(p => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name));
}
