using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Draas.Tests.Support;

/// <summary>
/// A Keystone v3 stand-in (WireMock.Net) answering with the real token body: the service's own
/// password login, and validation of callers' tokens by X-Subject-Token.
/// </summary>
public sealed class KeystoneStandIn : IDisposable
{
    public const string ServiceToken = "gAAAAAservice-token";
    public const string ServicePassword = "service-secret-pw";
    public const string AdminToken = "gAAAAAadmin-token";
    public const string AdminProject = "0c4e939acacf4376bdcd1129f1a054ad";

    public WireMockServer Server { get; } = WireMockServer.Start();

    public string Url => Server.Urls[0];

    public string AuthUrl => Url + "/v3";

    public KeystoneStandIn()
    {
        Server.Given(Request.Create().WithPath("/v3/auth/tokens").UsingPost()
                .WithBody(b => b is not null && b.Contains(ServicePassword)))
            .RespondWith(Response.Create().WithStatusCode(201)
                .WithHeader("X-Subject-Token", ServiceToken)
                .WithHeader("Content-Type", "application/json")
                .WithBody(TokenBody("svc-user", "draas", "svc-project", "service", ["service", "admin"], DateTimeOffset.UtcNow.AddDays(30))));
        AddToken(AdminToken, "admin-user", "admin", AdminProject, ["admin", "member", "reader"]);
    }

    /// <summary>Makes Keystone know a user token scoped to a project with the given roles.</summary>
    // Tokens outlive accelerated lab clocks (a service on a 20x clock sees an hour pass in three minutes).
    /// <param name="answerAfter">How long Keystone takes to validate it (a slow request, for tests of the API's admission).</param>
    public void AddToken(string token, string userId, string userName, string projectId, string[] roles, DateTimeOffset? expiresAt = null, TimeSpan? answerAfter = null)
    {
        var answer = Response.Create().WithStatusCode(200);
        if (answerAfter is { } delay) answer = answer.WithDelay(delay);
        Server.Given(Request.Create().WithPath("/v3/auth/tokens").UsingGet()
                .WithHeader("X-Auth-Token", ServiceToken)
                .WithHeader("X-Subject-Token", token))
            .RespondWith(answer
                .WithHeader("X-Subject-Token", token)
                .WithHeader("Content-Type", "application/json")
                .WithBody(TokenBody(userId, userName, projectId, "project-" + projectId[..6], roles, expiresAt ?? DateTimeOffset.UtcNow.AddDays(30))));
    }

    /// <summary>Accepts a site's password login (for site checks).</summary>
    public void AcceptPassword(string username, string password) =>
        Server.Given(Request.Create().WithPath("/v3/auth/tokens").UsingPost()
                .WithBody(b => b is not null && b.Contains($"\"name\":\"{username}\"") && b.Contains($"\"password\":\"{password}\"")))
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("X-Subject-Token", "gAAAAAsite-" + username)
                .WithHeader("Content-Type", "application/json")
                .WithBody(TokenBody("u-" + username, username, "p-" + username, "admin", ["admin"], DateTimeOffset.UtcNow.AddDays(30))));

    /// <summary>Lets a person log in with a password (the web console's login form) and get <paramref name="token"/>,
    /// which Keystone then validates with the given project and roles; revoking a token (DELETE) is accepted.</summary>
    public void AcceptLogin(string username, string password, string token, string userId, string projectId, string[] roles)
    {
        AddToken(token, userId, username, projectId, roles);
        Server.Given(Request.Create().WithPath("/v3/auth/tokens").UsingPost()
                .WithBody(b => b is not null && b.Contains($"\"name\":\"{username}\"") && b.Contains($"\"password\":\"{password}\"")))
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("X-Subject-Token", token)
                .WithHeader("Content-Type", "application/json")
                .WithBody(TokenBody(userId, username, projectId, "project-" + projectId[..6], roles, DateTimeOffset.UtcNow.AddDays(30))));
        Server.Given(Request.Create().WithPath("/v3/auth/tokens").UsingDelete().WithHeader("X-Subject-Token", token))
            .RespondWith(Response.Create().WithStatusCode(204));
    }

    /// <summary>How often a token was revoked (DELETE /v3/auth/tokens with it as the subject).</summary>
    public int RevocationCount(string token) =>
        Server.LogEntries.Count(e => e.RequestMessage.Method == "DELETE" && e.RequestMessage.Headers?.TryGetValue("X-Subject-Token", out var v) == true && v.Contains(token));

    public int ValidationCount(string token) =>
        Server.LogEntries.Count(e => e.RequestMessage.Method == "GET" && e.RequestMessage.Headers?.TryGetValue("X-Subject-Token", out var v) == true && v.Contains(token));

    public static string TokenBody(string userId, string userName, string projectId, string projectName, string[] roles, DateTimeOffset expiresAt) =>
        new JsonObject
        {
            ["token"] = new JsonObject
            {
                ["methods"] = new JsonArray("password"),
                ["user"] = new JsonObject
                {
                    ["id"] = userId,
                    ["name"] = userName,
                    ["domain"] = new JsonObject { ["id"] = "default", ["name"] = "Default" },
                    ["password_expires_at"] = null,
                },
                ["audit_ids"] = new JsonArray("3T2dc1CGQxyJsHdDu1xkcw"),
                ["expires_at"] = expiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
                ["issued_at"] = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
                ["project"] = new JsonObject
                {
                    ["id"] = projectId,
                    ["name"] = projectName,
                    ["domain"] = new JsonObject { ["id"] = "default", ["name"] = "Default" },
                },
                ["is_domain"] = false,
                ["roles"] = new JsonArray(roles.Select((r, i) => (JsonNode)new JsonObject { ["id"] = $"role-{i}-{r}", ["name"] = r }).ToArray()),
                ["catalog"] = new JsonArray(new JsonObject
                {
                    ["type"] = "identity",
                    ["name"] = "keystone",
                    ["id"] = "b1b2c3",
                    ["endpoints"] = new JsonArray(new JsonObject
                    {
                        ["id"] = "e1",
                        ["interface"] = "public",
                        ["region"] = "RegionOne",
                        ["region_id"] = "RegionOne",
                        ["url"] = "http://keystone.example:5000/v3",
                    }),
                }),
            },
        }.ToJsonString();

    public void Dispose() => Server.Stop();
}
