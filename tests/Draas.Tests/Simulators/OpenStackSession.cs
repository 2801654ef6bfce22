using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Draas.Simulators.OpenStack;

namespace Draas.Tests.Simulators;

/// <summary>A plain-HttpClient OpenStack session for simulator tests: password auth against a site's
/// Keystone, endpoints from the returned catalog, JSON in and out. Deliberately not the product's client,
/// so these tests pin the simulator's wire behaviour on their own.</summary>
public sealed class OpenStackSession
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private OpenStackSession(string token, JsonNode body)
    {
        Token = token;
        Body = body;
    }

    public string Token { get; }
    public JsonNode Body { get; }
    public string ProjectId => Body["token"]!["project"]!["id"]!.GetValue<string>();
    public string UserId => Body["token"]!["user"]!["id"]!.GetValue<string>();

    public string Endpoint(string type) => Body["token"]!["catalog"]!.AsArray()
        .First(s => s!["type"]!.GetValue<string>() == type)!["endpoints"]!.AsArray()
        .First(e => e!["interface"]!.GetValue<string>() == "public")!["url"]!.GetValue<string>();

    public string Compute => Endpoint("compute");
    public string Volume => Endpoint("volumev3");
    public string Image => Endpoint("image") + "/v2";

    public static async Task<OpenStackSession> LoginAsync(SiteCredentials c, string? project = null)
    {
        var body = new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject
                    {
                        ["user"] = new JsonObject { ["name"] = c.Username, ["domain"] = new JsonObject { ["name"] = "Default" }, ["password"] = c.Password },
                    },
                },
                ["scope"] = new JsonObject { ["project"] = new JsonObject { ["name"] = project ?? c.ProjectName, ["domain"] = new JsonObject { ["name"] = "Default" } } },
            },
        };
        using var response = await Http.PostAsync(c.AuthUrl + "/auth/tokens", Json(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return new OpenStackSession(response.Headers.GetValues("X-Subject-Token").Single(), JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, JsonNode? body = null, string? microversion = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content ?? (body is null ? null : Json(body)) };
        request.Headers.Add("X-Auth-Token", Token);
        if (microversion is not null) request.Headers.Add("OpenStack-API-Version", microversion);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await Http.SendAsync(request);
    }

    /// <summary>Sends and expects <paramref name="status"/>; returns the parsed body (null when empty).</summary>
    public async Task<JsonNode?> CallAsync(HttpMethod method, string url, HttpStatusCode status, JsonNode? body = null, string? microversion = null)
    {
        using var response = await SendAsync(method, url, body, microversion);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), $"{method} {url}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public Task<JsonNode?> GetAsync(string url, string? microversion = null) => CallAsync(HttpMethod.Get, url, HttpStatusCode.OK, null, microversion);

    public static JsonNode Parse(string json) => JsonNode.Parse(json) ?? throw new JsonException("empty");
}
