using Draas.OpenStack;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.OpenStack.Image;
using Draas.Simulators.OpenStack;
using Draas.Simulators.OpenStack.Identity;
using Draas.Tests.Support;

namespace Draas.Tests.Protection;

/// <summary>
/// Where a tenant comes back: an admin enrols a tenant and lets the service create its recovery project at
/// the recovery site (or names an existing one, which must exist there); the service can work in the
/// project it made, and the images the tenant's servers boot from are copied there and usable by it.
/// </summary>
[TestFixture]
public sealed class RecoveryProjectTests
{
    private TenantFixture _t = null!;
    private string _protection = null!;
    private string _recoveryProject = null!;

    private static CancellationToken Ct => CancellationToken.None;

    [OneTimeSetUp]
    public async Task Start() => _t = await TenantFixture.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private object Enrolment(string project, object? recoveryProject = null, string? recoveryProjectId = null) => new
    {
        protection = new
        {
            name = $"p-{project}",
            primary_site_id = _t.SiteA,
            primary_project_id = project,
            recovery_site_id = _t.SiteB,
            recovery_project = recoveryProject,
            recovery_project_id = recoveryProjectId,
        },
    };

    private KeystoneSession SiteBSession(SiteCredentials user, string project) => new(new KeystoneSessionOptions
    {
        AuthUrl = _t.Lab.SiteB.AuthUrl,
        Region = _t.Lab.SiteB.OpenStack.Region,
        Username = user.Username,
        Password = user.Password,
        UserDomainName = "Default",
        ProjectName = project,
        ProjectDomainName = "Default",
    }, _t.Lab.Clock);

    [Test, Order(1)]
    public async Task The_service_creates_the_recovery_project_at_the_recovery_site_and_can_get_a_token_scoped_to_it()
    {
        var protection = (await _t.CreateAsync("/v1/protections", TenantFixture.Admin, Enrolment(_t.ProjectA, new { create = true, name = "demo-dr" })))["protection"]!;
        _protection = protection["id"]!.GetValue<string>();
        _recoveryProject = protection["recovery_project_id"]!.GetValue<string>();

        Assert.That(_t.Lab.SiteB.OpenStack.Identity.FindProject("demo-dr")?.Id, Is.EqualTo(_recoveryProject));
        // The service's own site user (site-b's admin) may now work in it, as a recovery run will.
        using var service = SiteBSession(_t.Lab.SiteB.Admin, "demo-dr");
        var token = await service.GetTokenInfoAsync(Ct);
        Assert.That(token.Project!.Id, Is.EqualTo(_recoveryProject));
        Assert.That(token.Roles.Select(r => r.Name), Is.SupersetOf(new[] { "member", "admin" }));
        var (_, events, _) = await _t.Service.SendAsync(HttpMethod.Get, "/v1/events?action=protection.create", TenantFixture.Admin);
        Assert.That(events!["events"]![0]!["detail"]!["recovery_project_created"]!.GetValue<bool>(), Is.True);
    }

    [Test, Order(2)]
    public async Task A_member_enrolling_their_own_project_may_have_the_service_create_its_recovery_project()
    {
        var protection = (await _t.CreateAsync("/v1/protections", TenantFixture.MemberB, Enrolment(_t.ProjectB, new { create = true })))["protection"]!;

        // Without a name, the project is named after the protection.
        Assert.That(_t.Lab.SiteB.OpenStack.Identity.FindProject($"p-{_t.ProjectB}-recovery")?.Id, Is.EqualTo(protection["recovery_project_id"]!.GetValue<string>()));
    }

    [Test, Order(2)]
    public async Task A_project_name_already_taken_at_the_recovery_site_is_a_conflict()
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/protections", TenantFixture.Admin, Enrolment("cccc3333project", new { create = true, name = "demo-dr" }));

        Assert.That(status, Is.EqualTo(409), body?.ToJsonString());
        Assert.That(body!["conflict"]!["message"]!.GetValue<string>(), Does.Contain("site-b already has a project named demo-dr"));
    }

    [Test, Order(3)]
    public async Task An_existing_recovery_project_must_exist_at_the_recovery_site()
    {
        var (missing, missingBody, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/protections", TenantFixture.Admin, Enrolment("dddd4444project", recoveryProjectId: "0badc0ffee0badc0ffee"));
        var siteBDemo = _t.Lab.SiteB.OpenStack.ProjectId("demo");
        var (found, foundBody, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/protections", TenantFixture.Admin, Enrolment("dddd4444project", recoveryProjectId: siteBDemo));
        // A site-a project is not a site-b project, though it is a real one.
        var (wrongSite, wrongSiteBody, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/protections", TenantFixture.Admin, Enrolment("eeee5555project", recoveryProjectId: _t.ProjectB));

        Assert.That(missing, Is.EqualTo(400), missingBody?.ToJsonString());
        Assert.That(missingBody!["badRequest"]!["message"]!.GetValue<string>(), Does.Contain("recovery_project_id 0badc0ffee0badc0ffee is not a project at the recovery site site-b"));
        Assert.That(found, Is.EqualTo(201), foundBody?.ToJsonString());
        Assert.That(wrongSite, Is.EqualTo(400), wrongSiteBody?.ToJsonString());
    }

    [Test, Order(4)]
    public async Task A_recovery_project_is_either_created_or_named_not_both_and_made_once_per_protection()
    {
        var (again, againBody, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/protections/{_protection}", TenantFixture.Admin, new { protection = new { recovery_project = new { create = true, name = "demo-dr-2" } } });
        Assert.That(again, Is.EqualTo(400), againBody?.ToJsonString());
        Assert.That(_t.Lab.SiteB.OpenStack.Identity.FindProject("demo-dr-2"), Is.Null);

        var (both, bothBody, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/protections", TenantFixture.Admin,
            Enrolment("ffff6666project", new { create = true }, recoveryProjectId: _t.Lab.SiteB.OpenStack.ProjectId("demo")));
        var (notCreate, notCreateBody, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/protections", TenantFixture.Admin, Enrolment("ffff6666project", new { create = false }));

        Assert.That(both, Is.EqualTo(400));
        Assert.That(bothBody!["badRequest"]!["message"]!.GetValue<string>(), Does.Contain("not both"));
        Assert.That(notCreate, Is.EqualTo(400));
        Assert.That(notCreateBody!["badRequest"]!["message"]!.GetValue<string>(), Does.Contain("protection.recovery_project must be {\"create\": true}"));
    }

    [Test, Order(5)]
    public async Task The_image_a_protected_server_boots_from_is_copied_and_shared_with_the_recovery_project()
    {
        using var tenant = _t.SessionIn("demo");
        var image = await tenant.Image.CreateAsync(new CreateImageOptions { Name = "shop-image", DiskFormat = "qcow2", ContainerFormat = "bare" }, Ct);
        await tenant.Image.UploadAsync(image.Id, new MemoryStream(Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray()), Ct);
        await tenant.Image.WaitForStatusAsync(image.Id, "active", null, Ct);
        var server = (await tenant.Compute.Servers.CreateAsync(new CreateServerOptions { Name = "app", FlavorRef = "2", ImageRef = image.Id, Networks = ServerNetworks.None }, Ct)).Id;
        await tenant.Compute.Servers.WaitForStatusAsync(server, "ACTIVE", null, Ct);
        var plan = (await _t.CreateAsync("/v1/plans", TenantFixture.MemberA, new
        {
            plan = new { protection_id = _protection, name = "app", resources = new[] { new { kind = "server", id = server } } },
        }))["plan"]!["id"]!.GetValue<string>();

        var (status, _, _) = await _t.Service.SendAsync(HttpMethod.Post, $"/v1/plans/{plan}/action", TenantFixture.MemberA, new { capture = new { } });
        Assert.That(status, Is.EqualTo(202));

        // A tenant user of the recovery project, not an admin: it sees only what is its own or shared with it.
        var identity = _t.Lab.SiteB.OpenStack.Identity;
        identity.Grant(identity.FindUser("demo")!.Id, _recoveryProject, IdentityStore.MemberRole);
        using var recoveryMember = SiteBSession(_t.Lab.SiteB.Demo, "demo-dr");
        var listed = await Eventually.WaitForAsync(async () =>
        {
            await foreach (var i in recoveryMember.Image.ListAsync(null, Ct))
                if (i.Id == image.Id && i.Status == "active") return i;
            return null;
        }, "the copied image in the recovery project's image list");
        var original = await tenant.Image.GetAsync(image.Id, Ct);
        Assert.That(listed.Checksum, Is.EqualTo(original.Checksum).And.Not.Null);
        Assert.That(listed.Visibility, Is.EqualTo("shared"), "shared with the project, not made public");
        // A project the image was not shared with does not see it.
        using var otherProject = SiteBSession(_t.Lab.SiteB.Demo, "demo");
        var ex = Assert.ThrowsAsync<OpenStackException>(async () => await otherProject.Image.GetAsync(image.Id, Ct));
        Assert.That(ex!.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
    }

    [Test, Order(6)]
    public async Task When_the_recovery_site_does_not_answer_the_enrolment_is_refused_with_503()
    {
        _t.Lab.SiteB.OpenStack.Faults.Down = true;
        try
        {
            var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/protections", TenantFixture.Admin, Enrolment("abab7777project", new { create = true, name = "late-dr" }));

            Assert.That(status, Is.EqualTo(503), body?.ToJsonString());
            Assert.That(body!["serviceUnavailable"]!["message"]!.GetValue<string>(), Does.Contain("recovery site site-b did not answer"));
        }
        finally
        {
            _t.Lab.SiteB.OpenStack.Faults.Down = false;
        }
        var (_, list, _) = await _t.Service.SendAsync(HttpMethod.Get, "/v1/protections?project_id=abab7777project", TenantFixture.Admin);
        Assert.That(list!["protections"]!.AsArray(), Is.Empty);
    }
}
