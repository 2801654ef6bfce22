using System.Text.Json.Nodes;
using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;
using Microsoft.Extensions.Logging;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Draas.Tests.OpenStack.Support;

/// <summary>
/// A WireMock server playing one OpenStack site: Keystone answers password auth with a token whose
/// catalog points back here; each test stubs the service calls it makes and asserts the exact
/// requests that arrived.
/// </summary>
public sealed class FakeCloud : IDisposable
{
    public const string ServiceToken = "gAAAAABservice-token-1";
    public const string Password = "s3cret-Passw0rd!";

    public FakeCloud()
    {
        Server = WireMockServer.Start();
        StubAuth(ServiceToken);
    }

    public WireMockServer Server { get; }
    public string Url => Server.Url!;
    public string AuthUrl => Url + "/identity/v3";
    public FastForwardTime Time { get; } = new();
    public string VolumePath => $"/volume/v3/{Fixtures.ProjectId}";

    public void StubAuth(string token, TimeSpan? lifetime = null)
    {
        Server.Given(Request.Create().WithPath("/identity/v3/auth/tokens").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201)
                .WithHeader("X-Subject-Token", token)
                .WithHeader("Content-Type", "application/json")
                .WithBody(Fixtures.Token(Url, Time.GetUtcNow() + (lifetime ?? TimeSpan.FromHours(1)))));
    }

    public KeystoneSessionOptions PasswordOptions() => new()
    {
        AuthUrl = AuthUrl,
        Region = "RegionOne",
        Username = "draas",
        UserDomainName = "Default",
        Password = Password,
        ProjectName = "admin",
        ProjectDomainName = "Default",
    };

    public KeystoneSession Session(KeystoneSessionOptions? options = null, ILoggerFactory? loggers = null, int maxAttempts = 4) =>
        new(options ?? PasswordOptions(), Time, loggers, new RetryPolicyOptions { MaxAttempts = maxAttempts });

    /// <summary>Stubs a JSON answer.</summary>
    public void Stub(string method, string path, int status, string? body = null, params (string Name, string Value)[] headers)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("x-openstack-request-id", "req-" + Guid.NewGuid());
        foreach (var (name, value) in headers) response = response.WithHeader(name, value);
        if (body is not null) response = response.WithHeader("Content-Type", "application/json").WithBody(body);
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).RespondWith(response);
    }

    /// <summary>Stubs answers given in turn: the first request gets the first, and so on; the last repeats.</summary>
    public void StubSequence(string method, string path, params (int Status, string? Body, (string, string)[] Headers)[] answers)
    {
        var scenario = $"{method} {path} {Guid.NewGuid()}";
        for (var i = 0; i < answers.Length; i++)
        {
            var request = Server.Given(Request.Create().WithPath(path).UsingMethod(method)).InScenario(scenario);
            if (i > 0) request = request.WhenStateIs($"answer {i}");
            if (i < answers.Length - 1) request = request.WillSetStateTo($"answer {i + 1}");
            var response = Response.Create().WithStatusCode(answers[i].Status).WithHeader("x-openstack-request-id", $"req-{i}");
            foreach (var (name, value) in answers[i].Headers) response = response.WithHeader(name, value);
            if (answers[i].Body is { } body) response = response.WithHeader("Content-Type", "application/json").WithBody(body);
            request.RespondWith(response);
        }
    }

    public IRequestMessage[] Requests(string method, string path) =>
        Server.LogEntries.Select(e => e.RequestMessage)
            .Where(r => r.Method.Equals(method, StringComparison.OrdinalIgnoreCase) && r.Path == path)
            .ToArray();

    /// <summary>The one request to <paramref name="path"/>; fails when there were none or several.</summary>
    public IRequestMessage Single(string method, string path)
    {
        var found = Requests(method, path);
        Assert.That(found, Has.Length.EqualTo(1),
            $"expected one {method} {path}; got: {string.Join(", ", Server.LogEntries.Select(e => e.RequestMessage.Method + " " + e.RequestMessage.Path))}");
        return found[0];
    }

    public void Dispose() => Server.Stop();
}

static class RequestAssert
{
    public static string? Header(this IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    public static string? Query(this IRequestMessage request, string name) =>
        request.Query?.FirstOrDefault(q => q.Key == name).Value?.FirstOrDefault();

    /// <summary>The service token and, when given, the microversion headers of the service.</summary>
    public static void HasServiceHeaders(this IRequestMessage request, string? cinderMicroversion = null, string? novaMicroversion = null)
    {
        Assert.That(request.Header("X-Auth-Token"), Is.EqualTo(FakeCloud.ServiceToken), "X-Auth-Token");
        if (cinderMicroversion is not null)
            Assert.That(request.Header("OpenStack-API-Version"), Is.EqualTo("volume " + cinderMicroversion));
        if (novaMicroversion is not null)
        {
            Assert.That(request.Header("X-OpenStack-Nova-API-Version"), Is.EqualTo(novaMicroversion));
            Assert.That(request.Header("OpenStack-API-Version"), Is.EqualTo("compute " + novaMicroversion));
        }
    }

    /// <summary>The body is this JSON, compared as JSON (order of keys and whitespace do not matter).</summary>
    public static void HasJsonBody(this IRequestMessage request, string expected)
    {
        var actual = JsonNode.Parse(request.Body ?? "null");
        var wanted = JsonNode.Parse(expected);
        Assert.That(JsonNode.DeepEquals(actual, wanted), Is.True,
            $"body differs.\nexpected: {wanted?.ToJsonString()}\nactual:   {actual?.ToJsonString()}");
        Assert.That(request.Header("Content-Type"), Does.StartWith("application/json"));
    }
}
