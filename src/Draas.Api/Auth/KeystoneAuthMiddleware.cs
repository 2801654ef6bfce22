using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Draas.Api.Configuration;
using Draas.Api.Errors;
using Draas.Api.Policy;
using Draas.OpenStack;
using Draas.OpenStack.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace Draas.Api.Auth;

/// <summary>
/// Like keystonemiddleware's auth_token: every route but version discovery and health needs a valid
/// X-Auth-Token. Validated tokens are cached until they expire, at most token_cache_time seconds.
/// </summary>
public sealed class KeystoneAuthMiddleware(
    RequestDelegate next,
    ITokenValidator validator,
    IMemoryCache cache,
    KeystoneAuthTokenOptions options,
    TimeProvider clock,
    ILogger<KeystoneAuthMiddleware> logger)
{
    // Version discovery and health are open; /metrics only on its own listener (Http.MetricsListener).
    private static readonly HashSet<string> Open = ["/", "/healthz"];

    public async Task InvokeAsync(HttpContext context)
    {
        // The web console brings its token in its own cookie and calls this API with it (WebConsole/ConsoleApi).
        if (Open.Contains(context.Request.Path.Value ?? "/") || Http.MetricsListener.IsOpenScrape(context) || WebConsole.ConsoleSetup.Serves(context))
        {
            await next(context);
            return;
        }
        var token = context.Request.Headers["X-Auth-Token"].ToString();
        // Keystone tokens are printable ASCII: anything else is the caller's mistake (401), never a
        // question for Keystone, whose client cannot send it and would look like an outage (503).
        if (string.IsNullOrWhiteSpace(token) || !token.All(c => c is >= '!' and <= '~'))
        {
            await RejectAsync(context);
            return;
        }
        Caller? caller;
        try
        {
            caller = await ResolveAsync(token, context.RequestAborted);
        }
        catch (OpenStackException e)
        {
            logger.LogWarning("Token validation failed: Keystone answered {Status}: {Reason}", e.StatusCode, e.Message);
            await Faults.WriteAsync(context, 503, "The identity service (Keystone) is unavailable, so the token cannot be validated; try again later.");
            return;
        }
        if (caller is null)
        {
            await RejectAsync(context);
            return;
        }
        context.Features.Set(caller);
        // An authenticated principal lets framework pieces (the Hangfire dashboard) tell 403 from 401.
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, caller.UserId)], "Keystone"));
        await next(context);
    }

    private async Task<Caller?> ResolveAsync(string token, CancellationToken ct)
    {
        var key = CacheKey(token);
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(key, out Caller? cached) && cached!.ExpiresAt > now) return cached;
        var validated = await validator.ValidateAsync(token, ct);
        if (validated is null || validated.ExpiresAt <= now) return null;
        var caller = new Caller(
            new Credentials(validated.UserId, validated.UserName, validated.ProjectId, validated.ProjectDomainId, validated.Roles),
            validated.ExpiresAt);
        var until = Min(validated.ExpiresAt, now.AddSeconds(options.TokenCacheTime));
        if (until > now) cache.Set(key, caller, new MemoryCacheEntryOptions { AbsoluteExpiration = until, Size = 1 });
        return caller;
    }

    /// <summary>Where a validated token is cached: a hash, since raw tokens are credentials and are kept nowhere.</summary>
    public static string CacheKey(string token) => "token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private Task RejectAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = $"Keystone uri=\"{options.AuthenticateUri}\"";
        return Faults.WriteAsync(context, 401, "The request you have made requires authentication.");
    }
}
