using Draas.OpenStack;
using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;

namespace Draas.Tests.OpenStack.AgainstSimulator;

/// <summary>The Keystone client and microversion negotiation against the simulator over HTTP: the
/// calls the scenario tests do not make.</summary>
public class IdentityAgainstSimulatorTests : SimulatorFixture
{
    [Test]
    public async Task A_tenant_project_is_found_by_name_and_a_role_granted_in_it_is_revoked_again()
    {
        using var admin = Session(SiteA.Admin);
        var project = await admin.Identity.CreateProjectAsync(new CreateProjectOptions { Name = Unique("tenant"), DomainId = "default" }, Ct);
        var demo = (await ToListAsync(admin.Identity.ListUsersAsync("demo", null, Ct))).Single();
        var member = (await ToListAsync(admin.Identity.ListRolesAsync("member", Ct))).Single();

        var found = await ToListAsync(admin.Identity.ListProjectsAsync(new ProjectListOptions { Name = project.Name }, Ct));
        Assert.That(found.Select(p => p.Id), Is.EqualTo(new[] { project.Id }));
        Assert.That((await ToListAsync(admin.Identity.ListProjectsAsync(null, Ct))).Select(p => p.Name), Is.SupersetOf(new[] { "admin", "demo", project.Name }));
        var user = await admin.Identity.GetUserAsync(demo.Id, Ct);
        Assert.That((user.Id, user.Name), Is.EqualTo((demo.Id, "demo")));

        await admin.Identity.GrantProjectRoleAsync(project.Id, demo.Id, member.Id, Ct);
        var granted = await ToListAsync(admin.Identity.ListProjectRoleAssignmentsAsync(project.Id, demo.Id, Ct));
        Assert.That(granted.Select(a => a.Role.Id), Is.EqualTo(new[] { member.Id }));

        await admin.Identity.RevokeProjectRoleAsync(project.Id, demo.Id, member.Id, Ct);
        Assert.That(await ToListAsync(admin.Identity.ListProjectRoleAssignmentsAsync(project.Id, demo.Id, Ct)), Is.Empty);
        Assert.That(Assert.ThrowsAsync<OpenStackException>(() => admin.Identity.RevokeProjectRoleAsync(project.Id, demo.Id, member.Id, Ct))!.IsNotFound, Is.True,
            "revoking a grant that is not there is a 404");
        Assert.That(Assert.ThrowsAsync<OpenStackException>(() => admin.Identity.GetUserAsync(Guid.NewGuid().ToString("N"), Ct))!.IsNotFound, Is.True);
    }

    [Test]
    public async Task Nova_and_Cinder_settle_on_our_preferred_microversion_when_the_site_offers_more()
    {
        using var admin = Session(SiteA.Admin);

        var compute = await MicroversionNegotiation.NegotiateAsync(admin.Compute.Client, Ct);
        var volume = await MicroversionNegotiation.NegotiateAsync(admin.BlockStorage.Client, Ct);

        Assert.That((compute, volume), Is.EqualTo(("2.79", "3.60")), "the simulator offers up to 2.93 and 3.70");
        Assert.That(await admin.Compute.Admin.ListAvailabilityZonesAsync(Ct), Is.Not.Empty, "the session still talks to Nova afterwards");
        Assert.That(await admin.BlockStorage.Admin.ListPoolsAsync(Ct), Is.Not.Empty);
        Assert.That(await admin.GetTokenAsync(Ct), Is.Not.Empty);
    }
}
