namespace Draas.Tests.Simulators;

/// <summary>GET /v3/role_assignments as real Keystone (Zed) answers it: ?effective adds implied roles with a
/// prior_role link; ?include_names names the user's and the project's domain too.</summary>
public sealed class RoleAssignmentsTests : SimulatorTestBase
{
    [Test]
    public async Task Effective_assignments_include_the_roles_the_granted_one_implies()
    {
        var url = $"{SiteA.AuthUrl}/role_assignments?scope.project.id={Demo.ProjectId}&user.id={Demo.UserId}";

        var direct = (await Admin.GetAsync(url))!["role_assignments"]!.AsArray();
        var effective = (await Admin.GetAsync(url + "&effective&include_names"))!["role_assignments"]!.AsArray();

        Assert.That(direct.Select(a => Str(a!["role"], "id")), Has.Exactly(1).Items);
        Assert.That(effective.Select(a => Str(a!["role"], "name")), Is.EqualTo(new[] { "member", "reader" }));
        Assert.That(Str(effective[1]!["links"], "prior_role"), Does.Contain("/implies/"));
        Assert.That(Str(effective[0]!["scope"]!["project"]!["domain"], "id"), Is.EqualTo("default"));
        Assert.That(Str(effective[0]!["user"]!["domain"], "name"), Is.EqualTo("Default"));
    }
}
