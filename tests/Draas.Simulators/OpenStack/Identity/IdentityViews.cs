using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Identity;

/// <summary>Keystone v3 JSON shapes (api-ref identity/v3): tokens, projects, users, roles.</summary>
public static class IdentityViews
{
    private static object Domain => new { id = IdentityStore.DefaultDomainId, name = IdentityStore.DefaultDomainName };

    public static object TokenBody(SimSite site, Token t, bool withCatalog)
    {
        var body = new Dictionary<string, object?>
        {
            ["methods"] = t.Methods,
            ["user"] = new { domain = Domain, id = t.User.Id, name = t.User.Name, password_expires_at = (string?)null },
            ["audit_ids"] = new[] { t.AuditId },
            ["expires_at"] = SimJson.TimeZ(t.ExpiresAt),
            ["issued_at"] = SimJson.TimeZ(t.IssuedAt),
        };
        if (t.Project is { } p)
        {
            body["project"] = new { domain = Domain, id = p.Id, name = p.Name };
            body["is_domain"] = false;
            body["roles"] = t.Roles.Select(r => new { id = r.Id, name = r.Name }).ToArray();
            if (withCatalog) body["catalog"] = Catalog.For(site, p.Id);
        }
        if (t.ApplicationCredential is { } ac)
            body["application_credential"] = new { id = ac.Id, name = ac.Name, restricted = !ac.Unrestricted };
        return new { token = body };
    }

    public static object Project(SimSite site, Project p) => new
    {
        id = p.Id,
        name = p.Name,
        domain_id = p.DomainId,
        description = p.Description,
        enabled = p.Enabled,
        parent_id = p.DomainId,
        is_domain = false,
        tags = p.Tags,
        options = new { },
        links = new { self = $"{site.AuthUrl}/projects/{p.Id}" },
    };

    public static object User(SimSite site, User u) => new Dictionary<string, object?>
    {
        ["id"] = u.Id,
        ["name"] = u.Name,
        ["domain_id"] = u.DomainId,
        ["default_project_id"] = u.DefaultProjectId,
        ["email"] = u.Email,
        ["enabled"] = u.Enabled,
        ["password_expires_at"] = null,
        ["options"] = new { },
        ["links"] = new { self = $"{site.AuthUrl}/users/{u.Id}" },
    };

    public static object Role(SimSite site, Role r) => new
    {
        id = r.Id,
        name = r.Name,
        domain_id = (string?)null,
        description = (string?)null,
        options = new { },
        links = new { self = $"{site.AuthUrl}/roles/{r.Id}" },
    };

    public static object ApplicationCredential(SimSite site, ApplicationCredential a, bool withSecret)
    {
        var body = new Dictionary<string, object?>
        {
            ["id"] = a.Id,
            ["name"] = a.Name,
            ["description"] = a.Description,
            ["user_id"] = a.UserId,
            ["project_id"] = a.ProjectId,
            ["roles"] = a.Roles.Select(r => new { id = r.Id, name = r.Name, domain_id = (string?)null }).ToArray(),
            ["expires_at"] = a.ExpiresAt is { } e ? SimJson.Time(e) : null,
            ["unrestricted"] = a.Unrestricted,
            ["access_rules"] = Array.Empty<object>(),
            ["links"] = new { self = $"{site.AuthUrl}/users/{a.UserId}/application_credentials/{a.Id}" },
        };
        if (withSecret) body["secret"] = a.Secret;
        return body;
    }

    public static object ListLinks(HttpRequest request) =>
        new { self = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}", previous = (string?)null, next = (string?)null };
}
