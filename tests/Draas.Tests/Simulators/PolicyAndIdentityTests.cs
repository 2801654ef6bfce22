using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Draas.Tests.Simulators;

/// <summary>Keystone tokens and the services' policy: a member sees only its project, a reader only
/// reads, and each site trusts only its own Keystone.</summary>
public sealed class PolicyAndIdentityTests : SimulatorTestBase
{
    [Test]
    public async Task AMember_CannotSeeChangeOrDeleteAnotherProjectsVolume()
    {
        var adminVolume = await AvailableVolumeAsync(Admin, "admins");

        await Demo.CallAsync(HttpMethod.Get, $"{Demo.Volume}/volumes/{adminVolume}", HttpStatusCode.NotFound);
        await Demo.CallAsync(HttpMethod.Delete, $"{Demo.Volume}/volumes/{adminVolume}", HttpStatusCode.NotFound);
        var list = await Demo.GetAsync($"{Demo.Volume}/volumes/detail?all_tenants=1");
        Assert.That(list!["volumes"]!.AsArray(), Is.Empty, "all_tenants means nothing to a member");
        Assert.That(Str(await VolumeAsync(Admin, adminVolume), "status"), Is.EqualTo("available"));
    }

    [Test]
    public async Task AMember_CannotUseAnotherProjectsIdInTheCinderUrl()
    {
        var adminProjectUrl = Demo.Volume.Replace(Demo.ProjectId, Admin.ProjectId);

        await Demo.CallAsync(HttpMethod.Get, $"{adminProjectUrl}/volumes/detail", HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task AnAdmin_SeesEveryProjectsServersOnlyWithAllTenants()
    {
        var volume = await AvailableVolumeAsync(Demo, "root");
        var id = Str((await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, BootFromVolume("demo-vm", volume)))!["server"], "id");

        var own = await Admin.GetAsync($"{Admin.Compute}/servers/detail");
        var all = await Admin.GetAsync($"{Admin.Compute}/servers/detail?all_tenants=1");
        var demoList = await Demo.GetAsync($"{Demo.Compute}/servers/detail?all_tenants=1");

        Assert.That(own!["servers"]!.AsArray(), Is.Empty);
        Assert.That(all!["servers"]!.AsArray().Select(s => Str(s, "id")), Is.EqualTo(new[] { id }));
        Assert.That(demoList!["servers"]!.AsArray().Select(s => Str(s, "id")), Is.EqualTo(new[] { id }));
        await Admin.GetAsync($"{Admin.Compute}/servers/{id}");
    }

    [Test]
    public async Task AReader_CanListButNotCreate()
    {
        var reader = SiteA.Identity.CreateUser("auditor", "auditor-pw");
        SiteA.Identity.Grant(reader.Id, SiteA.ProjectId("demo"), "reader");
        var session = await OpenStackSession.LoginAsync(SiteA.Demo with { Username = "auditor", Password = "auditor-pw" });

        await session.GetAsync($"{session.Volume}/volumes");
        await session.CallAsync(HttpMethod.Post, $"{session.Volume}/volumes", HttpStatusCode.Forbidden,
            new JsonObject { ["volume"] = new JsonObject { ["size"] = 1 } });
    }

    [Test]
    public async Task ATokenOfOneSite_IsRejectedByTheOtherSite()
    {
        var siteB = Sim.Site("site-b");
        var urlOnB = Admin.Compute.Replace("/site-a/", "/site-b/");

        using var response = await Admin.SendAsync(HttpMethod.Get, $"{urlOnB}/servers");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(siteB.Identity.Validate(Admin.Token), Is.Null);
    }

    [Test]
    public async Task TokenValidation_ByTheAdmin_ReturnsTheMembersProjectAndRoles_AndARevokedTokenIs404()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, SiteA.AuthUrl + "/auth/tokens");
        request.Headers.Add("X-Auth-Token", Admin.Token);
        request.Headers.Add("X-Subject-Token", Demo.Token);
        using var http = new HttpClient();
        using var ok = await http.SendAsync(request);
        var body = OpenStackSession.Parse(await ok.Content.ReadAsStringAsync());

        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ok.Headers.GetValues("X-Subject-Token").Single(), Is.EqualTo(Demo.Token));
        Assert.That(Str(body["token"]!["project"], "name"), Is.EqualTo("demo"));
        Assert.That(body["token"]!["roles"]!.AsArray().Select(r => Str(r, "name")), Is.EquivalentTo(new[] { "member", "reader" }));
        Assert.That(body["token"]!["catalog"]!.AsArray().Select(s => Str(s, "type")),
            Is.SupersetOf(new[] { "identity", "compute", "volumev3", "image", "network" }));

        HttpRequestMessage WithSubject(HttpMethod method)
        {
            var r = new HttpRequestMessage(method, SiteA.AuthUrl + "/auth/tokens");
            r.Headers.Add("X-Auth-Token", Admin.Token);
            r.Headers.Add("X-Subject-Token", Demo.Token);
            return r;
        }
        using var revoked = await http.SendAsync(WithSubject(HttpMethod.Delete));
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var gone = await http.SendAsync(WithSubject(HttpMethod.Get));
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task TheCatalog_HasPublicInternalAndAdminEndpointsInTheSitesRegion()
    {
        var compute = Admin.Body["token"]!["catalog"]!.AsArray().Single(s => Str(s, "type") == "compute")!;

        Assert.That(compute["endpoints"]!.AsArray().Select(e => Str(e, "interface")), Is.EquivalentTo(new[] { "public", "internal", "admin" }));
        Assert.That(compute["endpoints"]!.AsArray().Select(e => Str(e, "region_id")).Distinct(), Is.EqualTo(new[] { "site-a" }));
        Assert.That(Admin.Volume, Does.EndWith("/v3/" + Admin.ProjectId));
    }

    [Test]
    public async Task AnExpiredToken_IsRejected()
    {
        Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        await Demo.CallAsync(HttpMethod.Get, $"{Demo.Compute}/servers", HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task AnApplicationCredential_AuthenticatesScopedToTheProjectItWasMadeIn()
    {
        var created = await Demo.CallAsync(HttpMethod.Post, $"{SiteA.AuthUrl}/users/{Demo.UserId}/application_credentials", HttpStatusCode.Created,
            new JsonObject { ["application_credential"] = new JsonObject { ["name"] = "draas-service" } });
        var cred = created!["application_credential"]!;

        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(SiteA.AuthUrl + "/auth/tokens", new
        {
            auth = new { identity = new Dictionary<string, object> { ["methods"] = new[] { "application_credential" }, ["application_credential"] = new { id = Str(cred, "id"), secret = Str(cred, "secret") } } },
        });
        var token = OpenStackSession.Parse(await response.Content.ReadAsStringAsync())["token"]!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(Str(token["project"], "id"), Is.EqualTo(Demo.ProjectId));
        Assert.That(token["methods"]!.AsArray().Single()!.GetValue<string>(), Is.EqualTo("application_credential"));
        Assert.That(Str(token["application_credential"], "name"), Is.EqualTo("draas-service"));

        using var wrong = await http.PostAsJsonAsync(SiteA.AuthUrl + "/auth/tokens", new
        {
            auth = new { identity = new Dictionary<string, object> { ["methods"] = new[] { "application_credential" }, ["application_credential"] = new { id = Str(cred, "id"), secret = "wrong" } } },
        });
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AnAdmin_CreatesARecoveryProjectAndGrantsTheMemberRole()
    {
        var project = await Admin.CallAsync(HttpMethod.Post, SiteA.AuthUrl + "/projects", HttpStatusCode.Created,
            new JsonObject { ["project"] = new JsonObject { ["name"] = "demo-recovery", ["domain_id"] = "default" } });
        var projectId = Str(project!["project"], "id");
        var member = (await Admin.GetAsync(SiteA.AuthUrl + "/roles?name=member"))!["roles"]![0]!;
        var demoUser = Demo.UserId;

        await Admin.CallAsync(HttpMethod.Put, $"{SiteA.AuthUrl}/projects/{projectId}/users/{demoUser}/roles/{Str(member, "id")}", HttpStatusCode.NoContent);

        var assignments = await Admin.GetAsync($"{SiteA.AuthUrl}/role_assignments?scope.project.id={projectId}&include_names=1");
        Assert.That(Str(assignments!["role_assignments"]![0]!["role"], "name"), Is.EqualTo("member"));
        var scoped = await OpenStackSession.LoginAsync(SiteA.Demo, project: "demo-recovery");
        Assert.That(scoped.ProjectId, Is.EqualTo(projectId));
        await Demo.CallAsync(HttpMethod.Post, SiteA.AuthUrl + "/projects", HttpStatusCode.Forbidden,
            new JsonObject { ["project"] = new JsonObject { ["name"] = "sneaky" } });
    }

    [Test]
    public async Task AMember_MayValidateItsOwnTokenButNotAnothers()
    {
        using var http = new HttpClient();
        async Task<HttpStatusCode> Validate(string subject)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, SiteA.AuthUrl + "/auth/tokens");
            request.Headers.Add("X-Auth-Token", Demo.Token);
            request.Headers.Add("X-Subject-Token", subject);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.That(await Validate(Demo.Token), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Validate(Admin.Token), Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
