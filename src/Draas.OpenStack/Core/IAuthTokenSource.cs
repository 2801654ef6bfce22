namespace Draas.OpenStack.Core;

/// <summary>Where a service client gets the token it sends as X-Auth-Token (the Keystone session).</summary>
public interface IAuthTokenSource
{
    /// <summary>A token valid for a while yet: the cached one, or a new one when it is near expiry or was rejected.</summary>
    Task<string> GetTokenAsync(CancellationToken ct);

    /// <summary>Forgets <paramref name="token"/> after a service answered 401 to it, so the next call authenticates again.</summary>
    void Invalidate(string token);
}
