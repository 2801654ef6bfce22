using Draas.OpenStack;
using Draas.OpenStack.Identity;
using Draas.Tests.OpenStack.Support;

namespace Draas.Tests.OpenStack;

public class TokenValidatorTests
{
    const string MemberToken = "gAAAAABmember-token";
    FakeCloud _cloud = null!;

    [SetUp] public void Start() => _cloud = new FakeCloud();
    [TearDown] public void Stop() => _cloud.Dispose();

    [Test]
    public async Task A_members_token_is_validated_with_the_service_token_and_yields_who_they_are()
    {
        _cloud.Stub("GET", "/identity/v3/auth/tokens", 200, Fixtures.Token(_cloud.Url, _cloud.Time.GetUtcNow().AddHours(2), "alice", isAdminProject: false));
        using var session = _cloud.Session();

        var token = await new KeystoneTokenValidator(session).ValidateAsync(MemberToken, CancellationToken.None);

        var request = _cloud.Single("GET", "/identity/v3/auth/tokens");
        Assert.That(request.Header("X-Auth-Token"), Is.EqualTo(FakeCloud.ServiceToken));
        Assert.That(request.Header("X-Subject-Token"), Is.EqualTo(MemberToken));
        Assert.That(token, Is.Not.Null);
        Assert.That(token!.UserName, Is.EqualTo("alice"));
        Assert.That(token.UserId, Is.EqualTo(Fixtures.UserId));
        Assert.That(token.ProjectId, Is.EqualTo(Fixtures.ProjectId));
        Assert.That(token.ProjectName, Is.EqualTo("admin"));
        Assert.That(token.ProjectDomainId, Is.EqualTo("default"));
        Assert.That(token.UserDomainId, Is.EqualTo("default"));
        Assert.That(token.Roles, Is.EquivalentTo(new[] { "admin", "member" }));
        Assert.That(token.IsAdminProject, Is.False);
        Assert.That(token.ExpiresAt, Is.EqualTo(_cloud.Time.GetUtcNow().AddHours(2)));
        Assert.That(token.Catalog.Select(c => c.Type), Does.Contain("volumev3"));
    }

    [Test]
    public async Task A_token_from_a_keystone_without_an_admin_project_counts_as_admin_project()
    {
        _cloud.Stub("GET", "/identity/v3/auth/tokens", 200, Fixtures.Token(_cloud.Url, _cloud.Time.GetUtcNow().AddHours(1), "bob", isAdminProject: null));
        using var session = _cloud.Session();

        var token = await new KeystoneTokenValidator(session).ValidateAsync(MemberToken, CancellationToken.None);

        Assert.That(token!.IsAdminProject, Is.True, "keystonemiddleware reads an absent is_admin_project as true");
    }

    [Test]
    public async Task A_validator_built_from_the_service_account_options_authenticates_itself()
    {
        _cloud.Stub("GET", "/identity/v3/auth/tokens", 200, Fixtures.Token(_cloud.Url, _cloud.Time.GetUtcNow().AddHours(1), "alice"));
        using var validator = new KeystoneTokenValidator(_cloud.PasswordOptions(), _cloud.Time);

        var token = await validator.ValidateAsync(MemberToken, CancellationToken.None);

        Assert.That(token?.UserName, Is.EqualTo("alice"));
        Assert.That(_cloud.Single("POST", "/identity/v3/auth/tokens").Body, Does.Contain("\"password\""));
        Assert.That(_cloud.Single("GET", "/identity/v3/auth/tokens").Header("X-Auth-Token"), Is.EqualTo(FakeCloud.ServiceToken));
    }

    [Test]
    public async Task An_empty_token_is_invalid_without_asking_keystone()
    {
        using var session = _cloud.Session();

        Assert.That(await new KeystoneTokenValidator(session).ValidateAsync(" ", CancellationToken.None), Is.Null);
        Assert.That(_cloud.Requests("GET", "/identity/v3/auth/tokens"), Is.Empty);
    }

    [Test]
    public async Task An_unknown_or_expired_token_is_null_not_an_error()
    {
        _cloud.Stub("GET", "/identity/v3/auth/tokens", 404,
            """{"error": {"code": 404, "message": "Could not find token: gAAAAABmember-token.", "title": "Not Found"}}""");
        using var session = _cloud.Session();

        Assert.That(await new KeystoneTokenValidator(session).ValidateAsync(MemberToken, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task An_expired_service_token_is_renewed_and_the_validation_repeated()
    {
        _cloud.StubSequence("GET", "/identity/v3/auth/tokens",
            (401, """{"error": {"code": 401, "message": "The request you have made requires authentication."}}""", []),
            (200, Fixtures.Token(_cloud.Url, _cloud.Time.GetUtcNow().AddHours(1), "alice"), []));
        using var session = _cloud.Session();

        var token = await new KeystoneTokenValidator(session).ValidateAsync(MemberToken, CancellationToken.None);

        Assert.That(token?.UserName, Is.EqualTo("alice"));
        Assert.That(_cloud.Requests("POST", "/identity/v3/auth/tokens"), Has.Length.EqualTo(2));
    }

    [Test]
    public void A_keystone_outage_is_an_error_not_an_invalid_token()
    {
        _cloud.Stub("GET", "/identity/v3/auth/tokens", 500, """{"error": {"code": 500, "message": "An unexpected error occurred"}}""");
        using var session = _cloud.Session();

        var error = Assert.ThrowsAsync<OpenStackException>(() => new KeystoneTokenValidator(session).ValidateAsync(MemberToken, CancellationToken.None));

        Assert.That(error!.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.InternalServerError));
    }

    [Test]
    public void Broken_service_credentials_are_an_error_not_an_invalid_token()
    {
        _cloud.Server.Reset();
        _cloud.Stub("POST", "/identity/v3/auth/tokens", 401, """{"error": {"code": 401, "message": "The request you have made requires authentication."}}""");
        using var session = _cloud.Session();

        Assert.ThrowsAsync<OpenStackException>(() => new KeystoneTokenValidator(session).ValidateAsync(MemberToken, CancellationToken.None));
    }
}
