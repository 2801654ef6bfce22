using System.Text.Json;
using Draas.Storage;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Draas.Tests.Pure.Contract;

/// <summary>
/// One FlashArray played by WireMock: answers version discovery, login and <c>GET /arrays</c>, and
/// whatever a test stubs. <see cref="Calls"/> lists what the plugin sent, one line per request in the
/// form <c>METHOD /path?raw-query body</c>, so a test pins the exact requests.
/// </summary>
internal sealed class FakeArray : IDisposable
{
    public const string Version = "2.26";
    public const string Token = "secret-api-token";
    public const string Session = "session-1";
    private static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public FakeArray(string name)
    {
        Name = name;
        Server = WireMockServer.Start();
        Server.Given(Request.Create().WithPath("/api/api_version").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { version = new[] { "1.19", "2.0", "2.4", Version, "2.99" } }));
        Server.Given(Request.Create().WithPath($"/api/{Version}/login").UsingPost().WithHeader("api-token", Token))
            .RespondWith(Response.Create().WithHeader("x-auth-token", Session).WithBodyAsJson(new { items = new[] { new { username = "pureuser" } } }));
        Get("arrays", new { name, id = "id-" + name, version = "6.5.8", capacity = 1L << 40, space = new { total_physical = 1L << 30 } });
    }

    public string Name { get; }
    public WireMockServer Server { get; }
    public ArrayRef Ref => new(Name, new Uri(Server.Url!), Token);

    /// <summary>Answers a GET with these items (optionally only for these query values).</summary>
    public void Get(string resource, params object[] items) => On("GET", resource, null, 200, new { items, continuation_token = (string?)null, more_items_remaining = false });

    public void GetWhere(string resource, (string Key, string Value) param, params object[] items) =>
        On("GET", resource, param, 200, new { items, continuation_token = (string?)null, more_items_remaining = false });

    /// <summary>The array's way of saying "no such object": HTTP 400 with the error envelope.</summary>
    public void Missing(string method, string resource, string context, string kind = "Volume") =>
        On(method, resource, null, 400, new { errors = new[] { new { context, message = $"{kind} does not exist." } } });

    public void MissingWhere(string method, string resource, (string Key, string Value) param, string kind = "Volume") =>
        On(method, resource, param, 400, new { errors = new[] { new { context = param.Value, message = $"{kind} does not exist." } } });

    public void Write(string method, string resource, params object[] items) => On(method, resource, null, 200, new { items });

    public void On(string method, string resource, (string Key, string Value)? param, int status, object? body)
    {
        var request = Request.Create().WithPath($"/api/{Version}/{resource}").UsingMethod(method);
        if (param is { } p) request = request.WithParam(p.Key, p.Value);
        var response = Response.Create().WithStatusCode(status);
        if (body is not null) response = response.WithBody(JsonSerializer.Serialize(body, Snake)).WithHeader("Content-Type", "application/json");
        Server.Given(request).AtPriority(param is null ? 10 : 1).RespondWith(response);
    }

    /// <summary>Requests after login, as <c>METHOD /resource?query body</c> with the version prefix dropped.</summary>
    public List<string> Calls() => Server.LogEntries
        .Select(e => e.RequestMessage)
        .Where(r => !r.Path.EndsWith("/login", StringComparison.Ordinal) && r.Path != "/api/api_version")
        .Select(r =>
        {
            var query = string.IsNullOrEmpty(r.RawQuery) ? "" : "?" + r.RawQuery.TrimStart('?');
            var body = string.IsNullOrEmpty(r.Body) ? "" : " " + r.Body;
            return $"{r.Method} {r.Path.Replace($"/api/{Version}", "", StringComparison.Ordinal)}{query}{body}";
        })
        .ToList();

    public IEnumerable<WireMock.IRequestMessage> Requests => Server.LogEntries.Select(e => e.RequestMessage);

    public void Dispose() => Server.Stop();
}
