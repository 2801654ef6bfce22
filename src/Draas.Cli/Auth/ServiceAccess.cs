using Draas.OpenStack.Core;

namespace Draas.Cli.Auth;

/// <summary>What every API call needs: the service's /v1 root and a token source (renewed when the service answers 401).</summary>
public sealed class ServiceAccess(Uri endpoint, IAuthTokenSource tokens, IDisposable? owner = null) : IDisposable
{
    /// <summary>The service's <c>/v1/</c> root, with a trailing slash.</summary>
    public Uri Endpoint { get; } = V1Root(endpoint);

    public IAuthTokenSource Tokens { get; } = tokens;

    /// <summary>A catalog endpoint may name the service's root or its /v1; requests go under /v1 either way.</summary>
    public static Uri V1Root(Uri endpoint)
    {
        var text = endpoint.ToString().TrimEnd('/');
        return new Uri((text.EndsWith("/v1", StringComparison.Ordinal) ? text : text + "/v1") + "/");
    }

    public void Dispose() => owner?.Dispose();
}

/// <summary>A token given as is (OS_TOKEN): nothing to renew.</summary>
public sealed class FixedToken(string token) : IAuthTokenSource
{
    public Task<string> GetTokenAsync(CancellationToken ct) => Task.FromResult(token);

    public void Invalidate(string token) { }
}
