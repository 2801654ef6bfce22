using Draas.Simulators.OpenStack.Identity;

namespace Draas.Simulators.OpenStack.Core;

/// <summary>Every service except version discovery and token issue needs a valid <c>X-Auth-Token</c> of
/// the site's own Keystone (the way keystonemiddleware guards each real service).</summary>
public static class AuthFilter
{
    private static readonly object Key = new();

    public static RouteGroupBuilder RequireToken(this RouteGroupBuilder group, SimSite site, Func<int, string, IResult> error)
    {
        group.AddEndpointFilter(async (ctx, next) =>
        {
            var token = site.Identity.Validate(ctx.HttpContext.Request.Headers["X-Auth-Token"].ToString());
            if (token is null)
            {
                ctx.HttpContext.Response.Headers["WWW-Authenticate"] = $"Keystone uri=\"{site.AuthUrl}\"";
                return error(401, "The request you have made requires authentication.");
            }
            ctx.HttpContext.Items[Key] = token;
            return await next(ctx);
        });
        return group;
    }

    /// <summary>The caller's validated token (only inside a group guarded by <see cref="RequireToken"/>).</summary>
    public static Token Token(this HttpContext http) =>
        http.Items[Key] as Token ?? throw new InvalidOperationException("route is not guarded by RequireToken");
}
