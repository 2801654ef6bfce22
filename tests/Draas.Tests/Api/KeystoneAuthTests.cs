using Draas.Tests.Support;

namespace Draas.Tests.Api;

[TestFixture]
public sealed class KeystoneAuthTests
{
    private RunningService _service = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _service = await RunningService.StartAsync();
        _service.Keystone.AddToken("gAAAAAmember-b", "user-b", "bob", "bbbbbbbb-project-b", ["member", "reader"]);
        _service.Keystone.AddToken("gAAAAAexpired", "user-c", "carol", "cccccccc-project-c", ["admin"], DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    [Test]
    public async Task A_call_without_a_token_gets_401_with_the_Keystone_uri_and_an_OpenStack_fault()
    {
        var (status, body, response) = await _service.SendAsync(HttpMethod.Get, "/v1/sites", token: null);

        Assert.That(status, Is.EqualTo(401));
        Assert.That(body!["unauthorized"]!["code"]!.GetValue<int>(), Is.EqualTo(401));
        Assert.That(body["unauthorized"]!["message"]!.GetValue<string>(), Does.Contain("requires authentication"));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo($"Keystone uri=\"{_service.Keystone.AuthUrl}\""));
        Assert.That(response.Headers.GetValues("X-Openstack-Request-Id").Single(), Does.Match("^req-[0-9a-f-]{36}$"));
    }

    [Test]
    public async Task A_valid_admin_token_is_let_through()
    {
        var (status, body, _) = await _service.SendAsync(HttpMethod.Get, "/v1/sites", KeystoneStandIn.AdminToken);

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!["sites"], Is.Not.Null);
    }

    [Test]
    public async Task A_valid_member_of_another_project_is_authenticated_but_forbidden_from_admin_resources()
    {
        var (status, body, _) = await _service.SendAsync(HttpMethod.Get, "/v1/sites", "gAAAAAmember-b");

        Assert.That(status, Is.EqualTo(403));
        Assert.That(body!["forbidden"]!["message"]!.GetValue<string>(), Does.Contain("draas:site:list"));
    }

    [Test]
    public async Task An_expired_token_is_rejected_even_though_Keystone_returned_its_body()
    {
        var (status, body, _) = await _service.SendAsync(HttpMethod.Get, "/v1/sites", "gAAAAAexpired");

        Assert.That(status, Is.EqualTo(401));
        Assert.That(body!["unauthorized"], Is.Not.Null);
    }

    [Test]
    public async Task An_unknown_token_is_rejected_when_Keystone_answers_404()
    {
        var (status, body, _) = await _service.SendAsync(HttpMethod.Get, "/v1/sites", "gAAAAAnobody-knows-me");

        Assert.That(status, Is.EqualTo(401));
        Assert.That(body!["unauthorized"], Is.Not.Null);
    }

    [Test]
    public async Task A_validated_token_is_cached_so_Keystone_is_asked_once()
    {
        _service.Keystone.AddToken("gAAAAAcache-me", "user-d", "dave", "dddddddd-project-d", ["admin"]);

        for (var i = 0; i < 3; i++) Assert.That((await _service.SendAsync(HttpMethod.Get, "/v1/sites", "gAAAAAcache-me")).Status, Is.EqualTo(200));

        Assert.That(_service.Keystone.ValidationCount("gAAAAAcache-me"), Is.EqualTo(1));
    }

    [Test]
    public async Task Version_discovery_and_health_need_no_token()
    {
        var (versionStatus, versions, _) = await _service.SendAsync(HttpMethod.Get, "/", token: null);
        var (healthStatus, health, _) = await _service.SendAsync(HttpMethod.Get, "/healthz", token: null);

        Assert.That(versionStatus, Is.EqualTo(200));
        Assert.That(versions!["versions"]![0]!["id"]!.GetValue<string>(), Is.EqualTo("v1.0"));
        Assert.That(versions["versions"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("CURRENT"));
        Assert.That(versions["versions"]![0]!["links"]![0]!["href"]!.GetValue<string>(), Does.EndWith("/v1/"));
        Assert.That(healthStatus, Is.EqualTo(200));
        Assert.That(health!["checks"]!["database"]!.GetValue<string>(), Is.EqualTo("ok"));
        Assert.That(health["checks"]!["job_storage"]!.GetValue<string>(), Is.EqualTo("ok"));
    }
}

/// <summary>Keystone failing must not look like the caller's fault, nor like ours.</summary>
[TestFixture]
public sealed class KeystoneOutageTests
{
    [Test]
    public async Task Keystone_answering_503_gives_the_caller_503_with_a_clear_message()
    {
        await using var service = await RunningService.StartAsync();
        service.Keystone.Server.Reset();
        service.Keystone.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/v3/auth/tokens"))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(503).WithBody("Service Unavailable"));

        var (status, body, _) = await service.SendAsync(HttpMethod.Get, "/v1/sites", "gAAAAAsome-token");

        Assert.That(status, Is.EqualTo(503));
        Assert.That(body!["serviceUnavailable"]!["message"]!.GetValue<string>(), Does.Contain("Keystone").And.Contain("unavailable"));
    }

    [Test]
    public async Task Keystone_unreachable_gives_the_caller_503_not_500()
    {
        await using var service = await RunningService.StartAsync();
        service.Keystone.Server.Stop();

        var (status, body, _) = await service.SendAsync(HttpMethod.Get, "/v1/sites", KeystoneStandIn.AdminToken);

        Assert.That(status, Is.EqualTo(503));
        Assert.That(body!["serviceUnavailable"]!["code"]!.GetValue<int>(), Is.EqualTo(503));
    }

    [Test]
    public async Task A_stale_service_token_is_renewed_once_when_Keystone_answers_401()
    {
        await using var service = await RunningService.StartAsync();
        Assert.That((await service.SendAsync(HttpMethod.Get, "/v1/sites", KeystoneStandIn.AdminToken)).Status, Is.EqualTo(200));
        // Keystone now refuses the service's token for one validation (as after a key rotation).
        service.Keystone.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/v3/auth/tokens").UsingGet()
                .WithHeader("X-Subject-Token", "gAAAAAafter-rotation"))
            .InScenario("rotation").WillSetStateTo("renewed")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(401));
        service.Keystone.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/v3/auth/tokens").UsingGet()
                .WithHeader("X-Subject-Token", "gAAAAAafter-rotation"))
            .InScenario("rotation").WhenStateIs("renewed")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(KeystoneStandIn.TokenBody("u-e", "erin", "eeeeeeee-project", "e", ["admin"], DateTimeOffset.UtcNow.AddHours(1))));
        var logins = service.Keystone.Server.LogEntries.Count(e => e.RequestMessage.Method == "POST");

        var (status, _, _) = await service.SendAsync(HttpMethod.Get, "/v1/sites", "gAAAAAafter-rotation");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(service.Keystone.Server.LogEntries.Count(e => e.RequestMessage.Method == "POST"), Is.EqualTo(logins + 1));
    }
}

[TestFixture]
public sealed class JobDashboardTests
{
    [Test]
    public async Task The_Hangfire_dashboard_is_for_cloud_admins_only()
    {
        await using var service = await RunningService.StartAsync();
        service.Keystone.AddToken("gAAAAAmember-dash", "user-m", "mallory", "mmmmmmmm-project", ["member", "reader"]);

        var (anonymous, _, _) = await service.SendAsync(HttpMethod.Get, "/hangfire", token: null);
        var (member, _, _) = await service.SendAsync(HttpMethod.Get, "/hangfire", "gAAAAAmember-dash");
        var (admin, page, _) = await service.SendAsync(HttpMethod.Get, "/hangfire", KeystoneStandIn.AdminToken);

        Assert.That(anonymous, Is.EqualTo(401));
        Assert.That(member, Is.EqualTo(403));
        Assert.That(admin, Is.EqualTo(200));
        Assert.That(page!.ToString(), Does.Contain("Hangfire"));
    }
}
