using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.Identity;

/// <summary>Keystone v3 projects, users, roles and role assignments: what DR needs to set up a recovery project.</summary>
public sealed class IdentityClient(ServiceClient client)
{
    internal ServiceClient Client => client;

    public IAsyncEnumerable<Project> ListProjectsAsync(ProjectListOptions? options, CancellationToken ct)
    {
        var o = options ?? new ProjectListOptions();
        var query = new QueryBuilder().Add("name", o.Name).Add("domain_id", o.DomainId).Add("enabled", o.Enabled).Add("tags", o.Tags).Build();
        return Pager.ListAsync<Project>(client, IdentityUrls.Projects, "projects", query, ct);
    }

    public Task<Project> GetProjectAsync(string id, CancellationToken ct) =>
        client.GetAsync<Project>(IdentityUrls.Project(id), "project", ct);

    public Task<Project> CreateProjectAsync(CreateProjectOptions options, CancellationToken ct) =>
        client.SendAsync<Project>(new OpenStackRequest(Method.Post, IdentityUrls.Projects) { Body = new { project = options } }, "project", ct);

    public Task DeleteProjectAsync(string id, CancellationToken ct) => client.DeleteAsync(IdentityUrls.Project(id), ct);

    public IAsyncEnumerable<User> ListUsersAsync(string? name, string? domainId, CancellationToken ct) =>
        Pager.ListAsync<User>(client, IdentityUrls.Users, "users", new QueryBuilder().Add("name", name).Add("domain_id", domainId).Build(), ct);

    public Task<User> GetUserAsync(string id, CancellationToken ct) => client.GetAsync<User>(IdentityUrls.User(id), "user", ct);

    public IAsyncEnumerable<Role> ListRolesAsync(string? name, CancellationToken ct) =>
        Pager.ListAsync<Role>(client, IdentityUrls.Roles, "roles", new QueryBuilder().Add("name", name).Build(), ct);

    /// <summary>PUT /v3/projects/{p}/users/{u}/roles/{r}: idempotent, so granting twice is harmless.</summary>
    public Task GrantProjectRoleAsync(string projectId, string userId, string roleId, CancellationToken ct) =>
        client.SendAsync(new OpenStackRequest(Method.Put, IdentityUrls.ProjectUserRole(projectId, userId, roleId)), ct);

    public Task RevokeProjectRoleAsync(string projectId, string userId, string roleId, CancellationToken ct) =>
        client.DeleteAsync(IdentityUrls.ProjectUserRole(projectId, userId, roleId), ct);

    /// <summary>GET /v3/role_assignments with names, filtered to a project and optionally a user.</summary>
    public IAsyncEnumerable<RoleAssignment> ListProjectRoleAssignmentsAsync(string projectId, string? userId, CancellationToken ct)
    {
        var query = new QueryBuilder().Add("scope.project.id", projectId).Add("user.id", userId).Add("include_names", true).Build();
        return Pager.ListAsync<RoleAssignment>(client, IdentityUrls.RoleAssignments, "role_assignments", query, ct);
    }
}
