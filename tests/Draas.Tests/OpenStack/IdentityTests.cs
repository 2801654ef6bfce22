using Draas.OpenStack.Identity;
using Draas.Tests.OpenStack.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Draas.Tests.OpenStack;

public class IdentityTests : FakeCloudTests
{
    const string K = "/identity/v3";

    const string ProjectJson = """
        {"id": "rp1", "name": "acme-recovery", "domain_id": "default", "description": "DR for acme", "enabled": true,
         "parent_id": "default", "is_domain": false, "tags": ["draas"], "options": {},
         "links": {"self": "http://x/v3/projects/rp1"}}
        """;

    [Test]
    public async Task The_recovery_project_is_created_in_the_domain_and_read_back()
    {
        Cloud.Stub("POST", $"{K}/projects", 201, $$"""{"project": {{ProjectJson}}}""");
        Cloud.Stub("GET", $"{K}/projects/rp1", 200, $$"""{"project": {{ProjectJson}}}""");

        var created = await Session.Identity.CreateProjectAsync(new CreateProjectOptions
        {
            Name = "acme-recovery",
            DomainId = "default",
            Description = "DR for acme",
            Enabled = true,
            Tags = ["draas"],
        }, CancellationToken.None);
        var read = await Session.Identity.GetProjectAsync("rp1", CancellationToken.None);

        Assert.That(created.Id, Is.EqualTo("rp1"));
        Assert.That(read.Tags, Is.EqualTo(new[] { "draas" }));
        var request = Cloud.Single("POST", $"{K}/projects");
        Assert.That(request.Header("X-Auth-Token"), Is.EqualTo(FakeCloud.ServiceToken));
        request.HasJsonBody("""
            {"project": {"name": "acme-recovery", "domain_id": "default", "description": "DR for acme", "enabled": true, "tags": ["draas"]}}
            """);
    }

    [Test]
    public async Task Projects_are_found_by_name_following_keystones_next_link()
    {
        Cloud.Server.Given(Request.Create().WithPath($"{K}/projects").UsingGet().WithParam("page", "2"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"projects": [{{ProjectJson.Replace("rp1", "rp2")}}], "links": {"next": null, "self": "x", "previous": null} }"""));
        Cloud.Server.Given(Request.Create().WithPath($"{K}/projects").UsingGet()).AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"projects": [{{ProjectJson}}], "links": {"next": "{{Cloud.Url}}{{K}}/projects?name=acme-recovery&page=2", "self": "x", "previous": null} }"""));

        var projects = await Session.Identity.ListProjectsAsync(new ProjectListOptions { Name = "acme-recovery", DomainId = "default" }, CancellationToken.None).ToListAsync();

        Assert.That(projects.Select(p => p.Id), Is.EqualTo(new[] { "rp1", "rp2" }));
        var first = Cloud.Requests("GET", $"{K}/projects")[0];
        Assert.That(first.Query("name"), Is.EqualTo("acme-recovery"));
        Assert.That(first.Query("domain_id"), Is.EqualTo("default"));
    }

    [Test]
    public async Task The_service_user_is_granted_its_role_in_the_recovery_project()
    {
        Cloud.Stub("GET", $"{K}/users", 200, """
            {"users": [{"id": "u-draas", "name": "draas", "domain_id": "default", "enabled": true, "default_project_id": null,
                        "password_expires_at": null, "options": {}, "links": {"self": "x"}}], "links": {"next": null}}
            """);
        Cloud.Stub("GET", $"{K}/users/u-draas", 200, """{"user": {"id": "u-draas", "name": "draas", "domain_id": "default", "enabled": true}}""");
        Cloud.Stub("GET", $"{K}/roles", 200, """{"roles": [{"id": "r-member", "name": "member", "domain_id": null, "links": {"self": "x"}}], "links": {"next": null}}""");
        Cloud.Stub("PUT", $"{K}/projects/rp1/users/u-draas/roles/r-member", 204);
        Cloud.Stub("GET", $"{K}/role_assignments", 200, """
            {"role_assignments": [{"role": {"id": "r-member", "name": "member"}, "user": {"id": "u-draas", "name": "draas", "domain": {"id": "default", "name": "Default"}},
                                   "scope": {"project": {"id": "rp1", "name": "acme-recovery", "domain": {"id": "default", "name": "Default"}}},
                                   "links": {"assignment": "x"}}], "links": {"next": null}}
            """);
        Cloud.Stub("DELETE", $"{K}/projects/rp1/users/u-draas/roles/r-member", 204);

        var user = (await Session.Identity.ListUsersAsync("draas", "default", CancellationToken.None).ToListAsync()).Single();
        var shown = await Session.Identity.GetUserAsync("u-draas", CancellationToken.None);
        var role = (await Session.Identity.ListRolesAsync("member", CancellationToken.None).ToListAsync()).Single();
        await Session.Identity.GrantProjectRoleAsync("rp1", user.Id, role.Id, CancellationToken.None);
        var assignments = await Session.Identity.ListProjectRoleAssignmentsAsync("rp1", user.Id, CancellationToken.None).ToListAsync();
        await Session.Identity.RevokeProjectRoleAsync("rp1", user.Id, role.Id, CancellationToken.None);

        Assert.That(shown.Name, Is.EqualTo("draas"));
        Assert.That(assignments.Single().Role.Name, Is.EqualTo("member"));
        Assert.That(assignments[0].Scope.Project!.Id, Is.EqualTo("rp1"));
        var users = Cloud.Single("GET", $"{K}/users");
        Assert.That(users.Query("name"), Is.EqualTo("draas"));
        Assert.That(users.Query("domain_id"), Is.EqualTo("default"));
        Assert.That(Cloud.Single("GET", $"{K}/roles").Query("name"), Is.EqualTo("member"));
        Cloud.Single("PUT", $"{K}/projects/rp1/users/u-draas/roles/r-member").HasServiceHeaders();
        var listing = Cloud.Single("GET", $"{K}/role_assignments");
        Assert.That(listing.Query("scope.project.id"), Is.EqualTo("rp1"));
        Assert.That(listing.Query("user.id"), Is.EqualTo("u-draas"));
        Assert.That(listing.Query("include_names"), Is.EqualTo("true"));
        Cloud.Single("DELETE", $"{K}/projects/rp1/users/u-draas/roles/r-member").HasServiceHeaders();
    }

    [Test]
    public async Task Deleting_a_drill_project_sends_delete()
    {
        Cloud.Stub("DELETE", $"{K}/projects/rp1", 204);

        await Session.Identity.DeleteProjectAsync("rp1", CancellationToken.None);

        Cloud.Single("DELETE", $"{K}/projects/rp1").HasServiceHeaders();
    }
}
