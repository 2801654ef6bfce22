using System.Text.Json;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Identity;

/// <summary>Keystone's version discovery and <c>/v3/auth/*</c>: issue (password, application credential,
/// token), validate, check and revoke tokens.</summary>
public static class AuthApi
{
    public static void Map(RouteGroupBuilder identity, SimSite site)
    {
        identity.MapGet("/", (HttpRequest r) => SimJson.Json(new { versions = new { values = new[] { Version(site) } } }, 300));
        identity.MapGet("/v3", () => SimJson.Json(new { version = Version(site) }));

        identity.MapPost("/v3/auth/tokens", async (HttpRequest request, HttpResponse response) =>
        {
            var body = await JsonBody.ReadAsync(request);
            var auth = body.Prop("auth");
            var identityPart = auth.Prop("identity");
            if (identityPart.Prop("methods") is not { ValueKind: JsonValueKind.Array } methods)
                return ApiError.Keystone(400, "Invalid input for field 'identity': 'methods' is a required property");
            var method = methods.EnumerateArray().Select(m => m.GetString()).FirstOrDefault();
            var scopeProject = auth.Prop("scope").Prop("project");
            var projectRef = scopeProject.Str("id") ?? scopeProject.Str("name");
            var outcome = method switch
            {
                "password" => Password(site, identityPart.Prop("password").Prop("user"), projectRef),
                "application_credential" => AppCred(site, identityPart.Prop("application_credential")),
                "token" => site.Identity.AuthenticateToken(identityPart.Prop("token").Str("id") ?? "", projectRef),
                _ => AuthOutcome.Unauthorized($"Unsupported authentication method: {method}"),
            };
            if (outcome.Token is not { } token) return ApiError.Keystone(401, outcome.Error!);
            response.Headers["X-Subject-Token"] = token.Id;
            var nocatalog = request.Query.ContainsKey("nocatalog");
            return SimJson.Json(IdentityViews.TokenBody(site, token, !nocatalog), 201);
        });

        var tokens = identity.MapGroup("/v3/auth").RequireToken(site, ApiError.Keystone);
        tokens.MapGet("/tokens", (HttpContext http) => Subject(site, http) switch
        {
            (true, { } t) => Validated(http, site, t),
            (false, _) => ApiError.Keystone(403, "You are not authorized to perform the requested action: identity:validate_token."),
            _ => ApiError.Keystone(404, "Could not find token."),
        });
        tokens.MapMethods("/tokens", ["HEAD"], (HttpContext http) => Subject(site, http) switch
        {
            (true, { }) => Results.Ok(),
            (false, _) => Results.StatusCode(403),
            _ => Results.NotFound(),
        });
        tokens.MapDelete("/tokens", (HttpContext http) =>
            site.Identity.Revoke(http.Request.Headers["X-Subject-Token"].ToString())
                ? Results.NoContent()
                : ApiError.Keystone(404, "Could not find token."));
        tokens.MapGet("/catalog", (HttpContext http) => SimJson.Json(new
        {
            catalog = Catalog.For(site, http.Token().Project?.Id),
            links = IdentityViews.ListLinks(http.Request),
        }));
        tokens.MapGet("/projects", (HttpContext http) =>
        {
            var me = http.Token().User.Id;
            var mine = site.Identity.Projects().Where(p => site.Identity.EffectiveRoles(me, p.Id).Count > 0);
            return SimJson.Json(new { projects = mine.Select(p => IdentityViews.Project(site, p)), links = IdentityViews.ListLinks(http.Request) });
        });
    }

    private static IResult Validated(HttpContext http, SimSite site, Token t)
    {
        http.Response.Headers["X-Subject-Token"] = t.Id;
        return SimJson.Json(IdentityViews.TokenBody(site, t, !http.Request.Query.ContainsKey("nocatalog")));
    }

    /// <summary>Keystone's identity:validate_token rule: a token may validate itself; validating
    /// another's needs admin or the service role (how a service checks its callers).</summary>
    private static (bool Allowed, Token? Subject) Subject(SimSite site, HttpContext http)
    {
        var caller = http.Token();
        var subjectId = http.Request.Headers["X-Subject-Token"].ToString();
        var allowed = subjectId == caller.Id || caller.IsAdmin || caller.HasRole("service");
        return (allowed, allowed ? site.Identity.Validate(subjectId) : null);
    }

    private static AuthOutcome Password(SimSite site, JsonElement? user, string? projectRef)
    {
        var password = user.Str("password");
        if (password is null) return AuthOutcome.Unauthorized("The request you have made requires authentication.");
        return site.Identity.AuthenticatePassword(user.Str("id"), user.Str("name"), password, projectRef);
    }

    private static AuthOutcome AppCred(SimSite site, JsonElement? cred)
    {
        var secret = cred.Str("secret");
        if (secret is null) return AuthOutcome.Unauthorized("The request you have made requires authentication.");
        var user = cred.Prop("user");
        return site.Identity.AuthenticateApplicationCredential(cred.Str("id"), cred.Str("name"), user.Str("id"), user.Str("name"), secret);
    }

    private static object Version(SimSite site) => new Dictionary<string, object>
    {
        ["id"] = "v3.14",
        ["status"] = "stable",
        ["updated"] = "2020-04-07T00:00:00Z",
        ["links"] = new[] { new { rel = "self", href = site.AuthUrl + "/" } },
        ["media-types"] = new[] { new { @base = "application/json", type = "application/vnd.openstack.identity-v3+json" } },
    };
}
