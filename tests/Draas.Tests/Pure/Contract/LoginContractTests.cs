using Draas.Plugins.Pure.Rest;
using Draas.Storage;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Draas.Tests.Pure.Contract;

/// <summary>The REST client's session, request ids, paging, retries and error mapping, pinned with WireMock.</summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class LoginContractTests
{
    private static FlashArrayClient Client(FakeArray array, int attempts = 4) => new(new FlashArrayClientOptions
    {
        ArrayName = array.Name,
        BaseUrl = new Uri(array.Server.Url!),
        ApiToken = FakeArray.Token,
        MaxAttempts = attempts,
        FirstBackoff = TimeSpan.FromMilliseconds(1),
    });

    [Test]
    public async Task Login_negotiates_the_highest_known_version_and_sends_the_token_only_to_login()
    {
        using var array = new FakeArray("array-a");
        using var client = Client(array);

        await client.GetArrayAsync();
        await client.GetArrayAsync();

        var requests = array.Requests.ToList();
        Assert.That(requests.Select(r => $"{r.Method} {r.Path}"), Is.EqualTo(new[]
        {
            "GET /api/api_version", "POST /api/2.26/login", "GET /api/2.26/arrays", "GET /api/2.26/arrays",
        }), "2.99 is newer than the client knows, so 2.26 wins; one login serves both calls");
        Assert.That(requests[1].Headers!["api-token"].Single(), Is.EqualTo(FakeArray.Token));
        foreach (var call in requests.Skip(2))
        {
            Assert.That(call.Headers!["x-auth-token"].Single(), Is.EqualTo(FakeArray.Session));
            Assert.That(call.Headers.ContainsKey("api-token"), Is.False, "the API token never leaves login");
            Assert.That(Guid.TryParse(call.Headers["X-Request-ID"].Single(), out _), Is.True);
        }
        Assert.That(requests[2].Headers!["X-Request-ID"], Is.Not.EqualTo(requests[3].Headers!["X-Request-ID"]));
    }

    [Test]
    public async Task An_expired_session_answered_401_logs_in_again_once()
    {
        using var array = new FakeArray("array-a");
        array.Server.Given(Request.Create().WithPath("/api/2.26/arrays").UsingGet()).InScenario("expiry").WillSetStateTo("expired")
            .AtPriority(1).RespondWith(Response.Create().WithStatusCode(401).WithBodyAsJson(new { errors = new[] { new { message = "Session expired." } } }));
        using var client = Client(array);

        var info = await client.GetArrayAsync();

        Assert.That(info.Name, Is.EqualTo("array-a"));
        Assert.That(array.Requests.Count(r => r.Path.EndsWith("/login", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    public void A_wrong_token_is_an_unauthorized_error_without_the_token_in_it()
    {
        using var array = new FakeArray("array-a");
        using var client = new FlashArrayClient(new FlashArrayClientOptions
        {
            ArrayName = "array-a",
            BaseUrl = new Uri(array.Server.Url!),
            ApiToken = "wrong-token",
            MaxAttempts = 1,
        });
        array.Server.Given(Request.Create().WithPath("/api/2.26/login").UsingPost()).AtPriority(20)
            .RespondWith(Response.Create().WithStatusCode(401).WithBodyAsJson(new { errors = new[] { new { message = "Invalid credentials." } } }));

        var error = Assert.ThrowsAsync<ArrayException>(() => client.GetArrayAsync());

        Assert.That(error!.Kind, Is.EqualTo(ArrayErrorKind.Unauthorized));
        Assert.That(error.ToString(), Does.Not.Contain("wrong-token"));
    }

    [Test]
    public async Task Lists_follow_the_continuation_token_to_the_last_page()
    {
        using var array = new FakeArray("array-a");
        array.On("GET", "volumes", null, 200, new { items = new[] { Vol("v1"), Vol("v2") }, continuation_token = "page-2", more_items_remaining = true });
        array.On("GET", "volumes", ("continuation_token", "page-2"), 200, new { items = new[] { Vol("v3") }, continuation_token = (string?)null, more_items_remaining = false });
        using var client = Client(array);

        var names = new List<string>();
        await foreach (var v in client.ListVolumesAsync(new Query { { "destroyed", false } })) names.Add(v.Name);

        Assert.That(names, Is.EqualTo(new[] { "v1", "v2", "v3" }));
        Assert.That(array.Calls(), Is.EqualTo(new[]
        {
            "GET /volumes?destroyed=false",
            "GET /volumes?destroyed=false&continuation_token=page-2",
        }));
    }

    [Test]
    public async Task A_503_is_retried_with_the_same_request_id_and_a_500_is_not()
    {
        using var array = new FakeArray("array-a");
        array.Server.Given(Request.Create().WithPath("/api/2.26/arrays").UsingGet()).InScenario("flaky").WillSetStateTo("ok")
            .AtPriority(1).RespondWith(Response.Create().WithStatusCode(503));
        array.Server.Given(Request.Create().WithPath("/api/2.26/volumes").UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(500).WithBodyAsJson(new { errors = new[] { new { message = "Internal error." } } }));
        using var client = Client(array);

        await client.GetArrayAsync();
        var error = Assert.ThrowsAsync<ArrayException>(() => client.GetVolumesAsync(["v1"]));

        var arrays = array.Requests.Where(r => r.Path.EndsWith("/arrays", StringComparison.Ordinal)).ToList();
        Assert.That(arrays, Has.Count.EqualTo(2));
        Assert.That(arrays[1].Headers!["X-Request-ID"], Is.EqualTo(arrays[0].Headers!["X-Request-ID"]));
        Assert.That(array.Requests.Count(r => r.Path.EndsWith("/volumes", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(error!.Status, Is.EqualTo(System.Net.HttpStatusCode.InternalServerError));
    }

    [Test]
    public async Task A_429_waits_as_asked_and_tries_again()
    {
        using var array = new FakeArray("array-a");
        array.Server.Given(Request.Create().WithPath("/api/2.26/arrays").UsingGet()).InScenario("busy").WillSetStateTo("free")
            .AtPriority(1).RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0").WithBodyAsJson(new { message = "Rate limit exceeded." }));
        using var client = Client(array);

        var info = await client.GetArrayAsync();

        Assert.That(info.Name, Is.EqualTo("array-a"));
        Assert.That(array.Requests.Count(r => r.Path.EndsWith("/arrays", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    public void An_array_that_never_answers_is_unreachable_after_the_bounded_attempts()
    {
        using var array = new FakeArray("array-a");
        var url = new Uri(array.Server.Url!);
        array.Server.Stop();
        using var client = new FlashArrayClient(new FlashArrayClientOptions
        {
            ArrayName = "array-a",
            BaseUrl = url,
            ApiToken = FakeArray.Token,
            MaxAttempts = 3,
            FirstBackoff = TimeSpan.FromMilliseconds(1),
        });

        var error = Assert.ThrowsAsync<ArrayException>(() => client.GetArrayAsync());

        Assert.That(error!.Kind, Is.EqualTo(ArrayErrorKind.Unreachable));
        Assert.That(error.Array, Is.EqualTo("array-a"));
    }

    private static object Vol(string name) => new { id = "id-" + name, name, provisioned = 1L << 30, destroyed = false };
}
