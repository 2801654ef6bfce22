using System.Text.Json.Nodes;
using Draas.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Draas.Tests.Cli;

/// <summary>
/// Teaches the service's Keystone stand-in about an operator who logs in with draasctl: a password
/// or application-credential login answered with a token whose catalog lists the DRaaS service
/// (type disaster-recovery), and which the service then validates.
/// </summary>
public static class OperatorKeystone
{
    public const string Token = "gAAAAAoperator-token";
    public const string AppCredToken = "gAAAAAoperator-appcred-token";
    public const string User = "ops";
    public const string Password = "correct-horse-battery";
    public const string AppCredId = "ac-0123456789";
    public const string AppCredSecret = "ac-secret-987";

    /// <summary>Long enough for a service on a lab clock that tests move on by hours.</summary>
    static DateTimeOffset Expiry => DateTimeOffset.UtcNow.AddDays(30);

    public static void AcceptOperator(this KeystoneStandIn keystone, Uri serviceUrl, bool withCatalogEntry = true)
    {
        var body = CatalogToken(serviceUrl, withCatalogEntry);
        keystone.Server.Given(Request.Create().WithPath("/v3/auth/tokens").UsingPost()
                .WithBody(b => b is not null && b.Contains($"\"name\":\"{User}\"") && b.Contains($"\"password\":\"{Password}\"")))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("X-Subject-Token", Token)
                .WithHeader("Content-Type", "application/json").WithBody(body));
        keystone.Server.Given(Request.Create().WithPath("/v3/auth/tokens").UsingPost()
                .WithBody(b => b is not null && b.Contains($"\"id\":\"{AppCredId}\"") && b.Contains($"\"secret\":\"{AppCredSecret}\"")))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("X-Subject-Token", AppCredToken)
                .WithHeader("Content-Type", "application/json").WithBody(body));
        // Anything else posted for a token is a wrong credential: 401 with Keystone's request id, as Keystone does.
        keystone.Server.Given(Request.Create().WithPath("/v3/auth/tokens").UsingPost())
            .AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithHeader("X-Openstack-Request-Id", "req-keystone-refused")
                .WithBody("""{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}"""));
        // A bare token (OS_TOKEN) learns the catalog by validating itself, as keystoneauth's token plugin does.
        keystone.Server.Given(Request.Create().WithPath("/v3/auth/tokens").UsingGet().WithHeader("X-Auth-Token", Token).WithHeader("X-Subject-Token", Token))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("X-Subject-Token", Token)
                .WithHeader("Content-Type", "application/json").WithBody(body));
        keystone.AddToken(Token, "user-ops", User, KeystoneStandIn.AdminProject, ["admin", "member", "reader"], Expiry);
        keystone.AddToken(AppCredToken, "user-ops", User, KeystoneStandIn.AdminProject, ["admin", "member", "reader"], Expiry);
    }

    /// <summary>The stand-in's real token body with the service added to its catalog.</summary>
    static string CatalogToken(Uri serviceUrl, bool withCatalogEntry)
    {
        var token = JsonNode.Parse(KeystoneStandIn.TokenBody("user-ops", User, KeystoneStandIn.AdminProject, "admin", ["admin", "member", "reader"], Expiry))!;
        if (withCatalogEntry)
        {
            token["token"]!["catalog"]!.AsArray().Add(new JsonObject
            {
                ["type"] = "disaster-recovery",
                ["name"] = "draas",
                ["id"] = "dr1",
                ["endpoints"] = new JsonArray(new JsonObject
                {
                    ["id"] = "dr-public",
                    ["interface"] = "public",
                    ["region"] = "RegionOne",
                    ["region_id"] = "RegionOne",
                    ["url"] = serviceUrl.ToString().TrimEnd('/'),
                }),
            });
        }
        return token.ToJsonString();
    }

    /// <summary>An operator's shell with OS_* variables for a password login.</summary>
    public static Draasctl PasswordShell(KeystoneStandIn keystone) => new Draasctl()
        .With("OS_AUTH_URL", keystone.AuthUrl)
        .With("OS_USERNAME", User)
        .With("OS_PASSWORD", Password)
        .With("OS_PROJECT_NAME", "admin")
        .With("OS_USER_DOMAIN_NAME", "Default")
        .With("OS_PROJECT_DOMAIN_NAME", "Default")
        .With("OS_REGION_NAME", "RegionOne");
}
