using Draas.OpenStack;
using Draas.OpenStack.Identity;
using Draas.Tests.OpenStack.Support;
using Microsoft.Extensions.Logging;

namespace Draas.Tests.OpenStack;

public class KeystoneSessionTests
{
    FakeCloud _cloud = null!;

    [SetUp] public void Start() => _cloud = new FakeCloud();
    [TearDown] public void Stop() => _cloud.Dispose();

    [Test]
    public async Task Password_auth_sends_the_user_and_project_scope_keystone_expects()
    {
        using var session = _cloud.Session();

        var token = await session.GetTokenAsync(CancellationToken.None);

        Assert.That(token, Is.EqualTo(FakeCloud.ServiceToken));
        var auth = _cloud.Single("POST", "/identity/v3/auth/tokens");
        Assert.That(auth.Header("X-Auth-Token"), Is.Null, "no token before there is one");
        auth.HasJsonBody("""
            {"auth": {
              "identity": {"methods": ["password"],
                           "password": {"user": {"name": "draas", "domain": {"name": "Default"}, "password": "PASSWORD"}}},
              "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}
            """.Replace("PASSWORD", FakeCloud.Password));
    }

    [TestCase("/identity")]
    [TestCase("/identity/")]
    [TestCase("/identity/v3/")]
    public async Task An_auth_url_written_as_in_clouds_yaml_without_v3_still_reaches_keystone_v3(string path)
    {
        var options = _cloud.PasswordOptions();
        options.AuthUrl = _cloud.Url + path;
        using var session = _cloud.Session(options);

        Assert.That(await session.GetTokenAsync(CancellationToken.None), Is.EqualTo(FakeCloud.ServiceToken));
    }

    [Test]
    public async Task Application_credential_auth_sends_id_and_secret_and_no_scope()
    {
        var options = new KeystoneSessionOptions
        {
            AuthUrl = _cloud.AuthUrl,
            ApplicationCredentialId = "423f19a4ac1e4f48bbb4180756e6eb6c",
            ApplicationCredentialSecret = "rEaqvJka48mpv",
        };
        using var session = _cloud.Session(options);

        await session.GetTokenAsync(CancellationToken.None);

        _cloud.Single("POST", "/identity/v3/auth/tokens").HasJsonBody("""
            {"auth": {"identity": {"methods": ["application_credential"],
              "application_credential": {"id": "423f19a4ac1e4f48bbb4180756e6eb6c", "secret": "rEaqvJka48mpv"}}}}
            """);
    }

    [Test]
    public async Task Application_credential_by_name_names_its_user()
    {
        var options = new KeystoneSessionOptions
        {
            AuthUrl = _cloud.AuthUrl,
            ApplicationCredentialName = "draas-site-b",
            ApplicationCredentialSecret = "rEaqvJka48mpv",
            Username = "draas",
            UserDomainName = "Default",
        };
        using var session = _cloud.Session(options);

        await session.GetTokenAsync(CancellationToken.None);

        _cloud.Single("POST", "/identity/v3/auth/tokens").HasJsonBody("""
            {"auth": {"identity": {"methods": ["application_credential"],
              "application_credential": {"name": "draas-site-b", "secret": "rEaqvJka48mpv", "user": {"name": "draas", "domain": {"name": "Default"}}}}}}
            """);
    }

    [Test]
    public void An_application_credential_with_a_project_scope_is_refused_at_start()
    {
        var options = new KeystoneSessionOptions
        {
            AuthUrl = _cloud.AuthUrl,
            ApplicationCredentialId = "ac1",
            ApplicationCredentialSecret = "x",
            ProjectName = "admin",
        };

        var error = Assert.Throws<ArgumentException>(() => _ = new KeystoneSession(options));

        Assert.That(error!.Message, Does.Contain("ProjectName"));
    }

    [Test]
    public async Task Domain_scoped_session_asks_for_a_domain_token()
    {
        var options = _cloud.PasswordOptions();
        options.ProjectName = null;
        options.ProjectDomainName = null;
        options.DomainName = "Default";
        using var session = _cloud.Session(options);

        await session.GetTokenAsync(CancellationToken.None);

        var body = _cloud.Single("POST", "/identity/v3/auth/tokens").Body!;
        Assert.That(System.Text.Json.Nodes.JsonNode.Parse(body)!["auth"]!["scope"]!.ToJsonString(), Is.EqualTo("""{"domain":{"name":"Default"}}"""));
    }

    [Test]
    public async Task Catalog_lookup_picks_the_public_endpoint_of_the_sites_region()
    {
        using var session = _cloud.Session();

        var compute = await session.GetEndpointAsync("compute", CancellationToken.None);
        var volume = await session.GetEndpointAsync("volumev3", CancellationToken.None);

        Assert.That(compute.ToString(), Is.EqualTo(_cloud.Url + "/compute/v2.1"));
        Assert.That(volume.ToString(), Is.EqualTo(_cloud.Url + $"/volume/v3/{Fixtures.ProjectId}"));
    }

    [Test]
    public async Task Catalog_lookup_honours_interface_and_region()
    {
        var internalOptions = _cloud.PasswordOptions();
        internalOptions.Interface = "internal";
        var regionTwo = _cloud.PasswordOptions();
        regionTwo.Region = "RegionTwo";
        using var internalSession = _cloud.Session(internalOptions);
        using var regionTwoSession = _cloud.Session(regionTwo);

        Assert.That((await internalSession.GetEndpointAsync("compute", CancellationToken.None)).ToString(), Is.EqualTo(_cloud.Url + "/internal/compute/v2.1"));
        Assert.That((await regionTwoSession.GetEndpointAsync("compute", CancellationToken.None)).ToString(), Is.EqualTo(_cloud.Url + "/r2/compute/v2.1"));
    }

    [Test]
    public void A_service_missing_from_the_catalog_names_what_the_catalog_has()
    {
        var options = _cloud.PasswordOptions();
        options.Region = "RegionNine";
        using var session = _cloud.Session(options);

        var error = Assert.ThrowsAsync<CatalogEndpointNotFoundException>(() => session.GetEndpointAsync("volumev3", CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("volumev3").And.Contain("RegionNine").And.Contain("volumev3/public/RegionOne"));
    }

    [Test]
    public async Task The_sessions_own_token_tells_its_user_project_roles_and_expiry()
    {
        using var session = _cloud.Session();

        var token = await session.GetTokenInfoAsync(CancellationToken.None);

        Assert.That(token.User.Name, Is.EqualTo("draas"));
        Assert.That(token.Project!.Id, Is.EqualTo(Fixtures.ProjectId));
        Assert.That(token.Roles.Select(r => r.Name), Does.Contain("admin"));
        Assert.That(token.ExpiresAt, Is.EqualTo(_cloud.Time.GetUtcNow().AddHours(1)));
    }

    [Test]
    public async Task A_service_without_a_typed_client_is_reached_through_the_catalog()
    {
        using var session = _cloud.Session();
        _cloud.Stub("GET", "/network", 200, """{"versions": []}""");
        var network = session.NewServiceClient(Draas.OpenStack.Core.ServiceApi.Networking);

        Assert.That((await network.EndpointAsync(CancellationToken.None)).ToString(), Is.EqualTo(_cloud.Url + "/network"));
        await network.GetAsync<System.Text.Json.JsonElement>("", null, CancellationToken.None);

        _cloud.Single("GET", "/network").HasServiceHeaders();
    }

    [Test]
    public async Task The_token_is_reused_until_it_nears_expiry_then_renewed()
    {
        using var session = _cloud.Session();

        await session.GetTokenAsync(CancellationToken.None);
        _cloud.Time.Advance(TimeSpan.FromMinutes(50));
        await session.GetTokenAsync(CancellationToken.None);
        Assert.That(_cloud.Requests("POST", "/identity/v3/auth/tokens"), Has.Length.EqualTo(1), "50 minutes into a 60-minute token: reuse");

        _cloud.Time.Advance(TimeSpan.FromMinutes(6));
        await session.GetTokenAsync(CancellationToken.None);
        Assert.That(_cloud.Requests("POST", "/identity/v3/auth/tokens"), Has.Length.EqualTo(2), "4 minutes left, inside the 5-minute margin: renew");
    }

    [Test]
    public async Task A_cloud_issuing_short_tokens_still_gets_each_token_reused_for_half_its_life()
    {
        _cloud.Server.Reset();
        _cloud.StubAuth(FakeCloud.ServiceToken, lifetime: TimeSpan.FromMinutes(4));
        using var session = _cloud.Session();

        await session.GetTokenAsync(CancellationToken.None);
        _cloud.Time.Advance(TimeSpan.FromMinutes(1.5));
        await session.GetTokenAsync(CancellationToken.None);
        Assert.That(_cloud.Requests("POST", "/identity/v3/auth/tokens"), Has.Length.EqualTo(1), "a 4-minute token is inside the 5-minute margin from the start");

        _cloud.Time.Advance(TimeSpan.FromMinutes(1));
        await session.GetTokenAsync(CancellationToken.None);
        Assert.That(_cloud.Requests("POST", "/identity/v3/auth/tokens"), Has.Length.EqualTo(2));
    }

    [Test]
    public async Task A_service_answering_401_makes_the_session_authenticate_again_and_repeat_the_call()
    {
        using var session = _cloud.Session();
        _cloud.StubSequence("GET", $"{_cloud.VolumePath}/volumes/v1",
            (401, """{"error": {"code": 401, "message": "The request you have made requires authentication."}}""", []),
            (200, """{"volume": {"id": "v1", "status": "available", "size": 1, "created_at": "2026-11-22T10:00:00.000000"}}""", []));

        var volume = await session.BlockStorage.Volumes.GetAsync("v1", CancellationToken.None);

        Assert.That(volume.Status, Is.EqualTo("available"));
        Assert.That(_cloud.Requests("POST", "/identity/v3/auth/tokens"), Has.Length.EqualTo(2));
        Assert.That(_cloud.Requests("GET", $"{_cloud.VolumePath}/volumes/v1"), Has.Length.EqualTo(2));
    }

    [Test]
    public void Wrong_service_credentials_fail_with_keystones_message()
    {
        _cloud.Server.Reset();
        _cloud.Stub("POST", "/identity/v3/auth/tokens", 401,
            """{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}""");
        using var session = _cloud.Session();

        var error = Assert.ThrowsAsync<OpenStackException>(() => session.GetTokenAsync(CancellationToken.None));

        Assert.That(error!.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));
        Assert.That(error.ServiceMessage, Is.EqualTo("The request you have made requires authentication."));
        Assert.That(error.RequestId, Does.StartWith("req-"));
    }

    [Test]
    public void Options_missing_a_key_fail_at_start_naming_the_key()
    {
        var options = _cloud.PasswordOptions();
        options.Password = null;
        options.AuthUrl = "keystone:5000";

        var error = Assert.Throws<ArgumentException>(() => _ = new KeystoneSession(options));

        Assert.That(error!.Message, Does.Contain("AuthUrl").And.Contain("Password"));
    }

    [Test]
    public async Task Neither_the_password_nor_a_token_reaches_the_log()
    {
        var logs = new CapturingLoggerFactory();
        using var session = _cloud.Session(loggers: logs);
        _cloud.Stub("GET", $"{_cloud.VolumePath}/volumes/v1", 503, """{"message": "busy"}""");

        Assert.ThrowsAsync<OpenStackException>(() => session.BlockStorage.Volumes.GetAsync("v1", CancellationToken.None));

        Assert.That(logs.Lines, Is.Not.Empty);
        Assert.That(logs.Lines, Has.None.Contains(FakeCloud.Password).And.None.Contains(FakeCloud.ServiceToken));
    }
}

/// <summary>Collects every formatted log line, at every level.</summary>
sealed class CapturingLoggerFactory : ILoggerFactory
{
    readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();
    public IReadOnlyCollection<string> Lines => _lines;
    public ILogger CreateLogger(string categoryName) => new Logger(_lines);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception) + " " + exception);
    }
}

public class KeystoneSessionConcurrencyTests
{
    [Test]
    public async Task Many_steps_asking_for_a_token_at_once_cause_one_authentication()
    {
        using var cloud = new FakeCloud();
        using var session = cloud.Session();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => session.GetTokenAsync(CancellationToken.None))));

        Assert.That(tokens.Distinct(), Is.EqualTo(new[] { FakeCloud.ServiceToken }));
        Assert.That(cloud.Requests("POST", "/identity/v3/auth/tokens"), Has.Length.EqualTo(1));
    }
}
