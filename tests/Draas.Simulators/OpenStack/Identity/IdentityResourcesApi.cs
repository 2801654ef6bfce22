using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Identity;

/// <summary>Keystone v3 projects, users, roles, role assignments, application credentials and domains.
/// Policy follows Keystone's defaults in spirit: admins manage everything; a user reads itself, lists its
/// own projects and manages its own application credentials.</summary>
public static class IdentityResourcesApi
{
    public static void Map(RouteGroupBuilder identity, SimSite site)
    {
        var v3 = identity.MapGroup("/v3").RequireToken(site, ApiError.Keystone);
        var ids = site.Identity;
        IResult Forbidden() => ApiError.Keystone(403, "You are not authorized to perform the requested action.");

        v3.MapGet("/domains", (HttpContext http) => SimJson.Json(new
        {
            domains = new[] { Domain(site) },
            links = IdentityViews.ListLinks(http.Request),
        }));
        v3.MapGet("/domains/{id}", (string id) => id is IdentityStore.DefaultDomainId or IdentityStore.DefaultDomainName
            ? SimJson.Json(new { domain = Domain(site) })
            : ApiError.Keystone(404, $"Could not find domain: {id}."));

        v3.MapGet("/projects", (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var name = http.Request.Query["name"].ToString();
            var list = ids.Projects().Where(p => name.Length == 0 || p.Name == name);
            return SimJson.Json(new { projects = list.Select(p => IdentityViews.Project(site, p)), links = IdentityViews.ListLinks(http.Request) });
        });
        v3.MapGet("/projects/{id}", (HttpContext http, string id) =>
        {
            var p = ids.FindProject(id);
            var t = http.Token();
            if (p is null || p.Id != id) return ApiError.Keystone(404, $"Could not find project: {id}.");
            if (!t.IsAdmin && t.Project?.Id != p.Id) return Forbidden();
            return SimJson.Json(new { project = IdentityViews.Project(site, p) });
        });
        v3.MapPost("/projects", async (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var body = (await JsonBody.ReadAsync(http.Request)).Prop("project");
            var name = body.Str("name");
            if (string.IsNullOrEmpty(name)) return ApiError.Keystone(400, "Invalid input for field 'name'.");
            try
            {
                var p = ids.CreateProject(name, body.Str("description") ?? "");
                if (body.Bool("enabled") is false) p.Enabled = false;
                return SimJson.Json(new { project = IdentityViews.Project(site, p) }, 201);
            }
            catch (IdentityConflictException e)
            {
                return ApiError.Keystone(409, e.Message);
            }
        });
        v3.MapDelete("/projects/{id}", (HttpContext http, string id) =>
            !http.Token().IsAdmin ? Forbidden()
            : ids.DeleteProject(id) ? Results.NoContent()
            : ApiError.Keystone(404, $"Could not find project: {id}."));

        v3.MapGet("/users", (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var name = http.Request.Query["name"].ToString();
            var list = ids.Users().Where(u => name.Length == 0 || u.Name == name);
            return SimJson.Json(new { users = list.Select(u => IdentityViews.User(site, u)), links = IdentityViews.ListLinks(http.Request) });
        });
        v3.MapGet("/users/{id}", (HttpContext http, string id) =>
        {
            var t = http.Token();
            var u = ids.FindUser(id);
            if (u is null || u.Id != id) return ApiError.Keystone(404, $"Could not find user: {id}.");
            return t.IsAdmin || t.User.Id == id ? SimJson.Json(new { user = IdentityViews.User(site, u) }) : Forbidden();
        });
        v3.MapPost("/users", async (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var body = (await JsonBody.ReadAsync(http.Request)).Prop("user");
            var name = body.Str("name");
            if (string.IsNullOrEmpty(name)) return ApiError.Keystone(400, "Invalid input for field 'name'.");
            try
            {
                var u = ids.CreateUser(name, body.Str("password") ?? "", body.Str("default_project_id"), body.Str("email"));
                return SimJson.Json(new { user = IdentityViews.User(site, u) }, 201);
            }
            catch (IdentityConflictException e)
            {
                return ApiError.Keystone(409, e.Message);
            }
        });
        v3.MapDelete("/users/{id}", (HttpContext http, string id) =>
            !http.Token().IsAdmin ? Forbidden()
            : ids.DeleteUser(id) ? Results.NoContent()
            : ApiError.Keystone(404, $"Could not find user: {id}."));
        v3.MapGet("/users/{id}/projects", (HttpContext http, string id) =>
        {
            var t = http.Token();
            if (!t.IsAdmin && t.User.Id != id) return Forbidden();
            var list = ids.Projects().Where(p => ids.EffectiveRoles(id, p.Id).Count > 0);
            return SimJson.Json(new { projects = list.Select(p => IdentityViews.Project(site, p)), links = IdentityViews.ListLinks(http.Request) });
        });

        v3.MapGet("/roles", (HttpContext http) =>
        {
            var name = http.Request.Query["name"].ToString();
            var list = ids.Roles().Where(r => name.Length == 0 || r.Name == name);
            return SimJson.Json(new { roles = list.Select(r => IdentityViews.Role(site, r)), links = IdentityViews.ListLinks(http.Request) });
        });
        v3.MapGet("/roles/{id}", (string id) => ids.FindRole(id) is { } r && r.Id == id
            ? SimJson.Json(new { role = IdentityViews.Role(site, r) })
            : ApiError.Keystone(404, $"Could not find role: {id}."));

        v3.MapPut("/projects/{p}/users/{u}/roles/{r}", (HttpContext http, string p, string u, string r) =>
            !http.Token().IsAdmin ? Forbidden()
            : ids.GrantById(u, p, r) ? Results.NoContent()
            : ApiError.Keystone(404, "Could not find project, user or role."));
        v3.MapMethods("/projects/{p}/users/{u}/roles/{r}", ["HEAD"], (string p, string u, string r) =>
            ids.Assignments().Contains(new RoleAssignment(u, p, r)) ? Results.NoContent() : Results.NotFound());
        v3.MapDelete("/projects/{p}/users/{u}/roles/{r}", (HttpContext http, string p, string u, string r) =>
            !http.Token().IsAdmin ? Forbidden()
            : ids.RevokeById(u, p, r) ? Results.NoContent()
            : ApiError.Keystone(404, "Could not find role assignment."));
        v3.MapGet("/projects/{p}/users/{u}/roles", (HttpContext http, string p, string u) =>
        {
            var t = http.Token();
            if (!t.IsAdmin && t.User.Id != u) return Forbidden();
            var roleIds = ids.Assignments().Where(a => a.UserId == u && a.ProjectId == p).Select(a => a.RoleId).ToHashSet();
            return SimJson.Json(new
            {
                roles = ids.Roles().Where(r => roleIds.Contains(r.Id)).Select(r => IdentityViews.Role(site, r)),
                links = IdentityViews.ListLinks(http.Request),
            });
        });

        v3.MapGet("/role_assignments", (HttpContext http) =>
        {
            var t = http.Token();
            var q = http.Request.Query;
            string? F(string k) => q[k].ToString() is { Length: > 0 } v ? v : null;
            var user = F("user.id");
            var project = F("scope.project.id");
            var role = F("role.id");
            if (!t.IsAdmin && user != t.User.Id) return Forbidden();
            var names = q.ContainsKey("include_names");
            // ?effective adds the roles Keystone's default inference rules imply (admin → member → reader),
            // each with a prior_role link in Keystone's own shape.
            var rows = ids.Assignments().Select(a => (Assignment: a, RoleId: a.RoleId, Prior: (string?)null)).ToList();
            if (q.ContainsKey("effective"))
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    var implied = ids.FindRole(rows[i].RoleId)?.Name switch
                    {
                        IdentityStore.AdminRole => ids.FindRole(IdentityStore.MemberRole),
                        IdentityStore.MemberRole => ids.FindRole(IdentityStore.ReaderRole),
                        _ => null,
                    };
                    if (implied is not null && !rows.Any(r => r.Assignment.UserId == rows[i].Assignment.UserId && r.Assignment.ProjectId == rows[i].Assignment.ProjectId && r.RoleId == implied.Id))
                        rows.Add((rows[i].Assignment, implied.Id, rows[i].RoleId));
                }
            }
            object Domain(string id) => new { id, name = id == IdentityStore.DefaultDomainId ? IdentityStore.DefaultDomainName : id };
            var list = rows
                .Where(r => (user is null || r.Assignment.UserId == user) && (project is null || r.Assignment.ProjectId == project) && (role is null || r.RoleId == role))
                .OrderBy(r => r.Assignment.ProjectId).ThenBy(r => r.Assignment.UserId).ThenBy(r => r.Prior is not null).ThenBy(r => r.RoleId)
                .Select(r => (r.Assignment, r.RoleId, r.Prior, Link: $"{site.AuthUrl}/projects/{r.Assignment.ProjectId}/users/{r.Assignment.UserId}/roles/{r.Assignment.RoleId}"))
                .Select(r => new
                {
                    role = names ? (object)new { id = r.RoleId, name = ids.FindRole(r.RoleId)?.Name } : new { id = r.RoleId },
                    user = names ? (object)new { id = r.Assignment.UserId, name = ids.FindUser(r.Assignment.UserId)?.Name, domain = Domain(ids.FindUser(r.Assignment.UserId)?.DomainId ?? IdentityStore.DefaultDomainId) } : new { id = r.Assignment.UserId },
                    scope = new { project = names ? (object)new { id = r.Assignment.ProjectId, name = ids.FindProject(r.Assignment.ProjectId)?.Name, domain = Domain(ids.FindProject(r.Assignment.ProjectId)?.DomainId ?? IdentityStore.DefaultDomainId) } : new { id = r.Assignment.ProjectId } },
                    links = r.Prior is null
                        ? (object)new { assignment = r.Link }
                        : new { assignment = r.Link, prior_role = $"{site.AuthUrl}/prior_role/{r.RoleId}/implies/{r.Prior}" },
                });
            return SimJson.Json(new { role_assignments = list, links = IdentityViews.ListLinks(http.Request) });
        });

        v3.MapPost("/users/{u}/application_credentials", async (HttpContext http, string u) =>
        {
            var t = http.Token();
            if (t.User.Id != u) return Forbidden();
            if (t.ApplicationCredential is { Unrestricted: false })
                return Forbidden();
            if (t.Project is null) return ApiError.Keystone(400, "An application credential needs a project-scoped token.");
            var body = (await JsonBody.ReadAsync(http.Request)).Prop("application_credential");
            var name = body.Str("name");
            if (string.IsNullOrEmpty(name)) return ApiError.Keystone(400, "Invalid input for field 'name'.");
            DateTimeOffset? expires = body.Str("expires_at") is { } e && DateTimeOffset.TryParse(e, out var d) ? d : null;
            List<Role>? roles = null;
            if (body.Prop("roles") is { ValueKind: System.Text.Json.JsonValueKind.Array } rs)
                roles = [.. rs.EnumerateArray().Select(r => new Role(((System.Text.Json.JsonElement?)r).Str("id") ?? "", ((System.Text.Json.JsonElement?)r).Str("name") ?? ""))];
            try
            {
                var cred = ids.CreateApplicationCredential(t.User, t.Project, name, body.Str("secret"), body.Str("description"),
                    expires, roles, body.Bool("unrestricted") ?? false);
                return SimJson.Json(new { application_credential = IdentityViews.ApplicationCredential(site, cred, withSecret: true) }, 201);
            }
            catch (IdentityConflictException ex)
            {
                return ApiError.Keystone(409, ex.Message);
            }
        });
        v3.MapGet("/users/{u}/application_credentials", (HttpContext http, string u) =>
        {
            var t = http.Token();
            if (!t.IsAdmin && t.User.Id != u) return Forbidden();
            var name = http.Request.Query["name"].ToString();
            var list = ids.ApplicationCredentials(u).Where(a => name.Length == 0 || a.Name == name);
            return SimJson.Json(new
            {
                application_credentials = list.Select(a => IdentityViews.ApplicationCredential(site, a, withSecret: false)),
                links = IdentityViews.ListLinks(http.Request),
            });
        });
        v3.MapGet("/users/{u}/application_credentials/{id}", (HttpContext http, string u, string id) =>
        {
            var t = http.Token();
            if (!t.IsAdmin && t.User.Id != u) return Forbidden();
            var cred = ids.ApplicationCredentials(u).FirstOrDefault(a => a.Id == id);
            return cred is null
                ? ApiError.Keystone(404, $"Could not find Application Credential: {id}.")
                : SimJson.Json(new { application_credential = IdentityViews.ApplicationCredential(site, cred, withSecret: false) });
        });
        v3.MapDelete("/users/{u}/application_credentials/{id}", (HttpContext http, string u, string id) =>
        {
            var t = http.Token();
            if (!t.IsAdmin && t.User.Id != u) return Forbidden();
            return ids.ApplicationCredentials(u).Any(a => a.Id == id) && ids.DeleteApplicationCredential(id)
                ? Results.NoContent()
                : ApiError.Keystone(404, $"Could not find Application Credential: {id}.");
        });
    }

    private static object Domain(SimSite site) => new
    {
        id = IdentityStore.DefaultDomainId,
        name = IdentityStore.DefaultDomainName,
        description = "The default domain",
        enabled = true,
        tags = Array.Empty<string>(),
        options = new { },
        links = new { self = $"{site.AuthUrl}/domains/{IdentityStore.DefaultDomainId}" },
    };
}
