using System.Net;
using Draas.OpenStack.Core;
using Microsoft.Extensions.Logging;
using RestSharp;

namespace Draas.OpenStack.Identity;

/// <summary>
/// Validates callers' tokens with GET /v3/auth/tokens (X-Subject-Token), authenticated by the
/// service's own session, which re-authenticates when Keystone answers 401 to the service token.
/// </summary>
public sealed class KeystoneTokenValidator : ITokenValidator, IDisposable
{
    readonly KeystoneSession _session;
    readonly bool _ownsSession;

    /// <summary>Validates with an existing session of the service account (not disposed here).</summary>
    public KeystoneTokenValidator(KeystoneSession serviceSession) => _session = serviceSession;

    /// <summary>Authenticates the service account from configuration and owns that session.</summary>
    public KeystoneTokenValidator(KeystoneSessionOptions serviceAccount, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        _session = new KeystoneSession(serviceAccount, time, loggers);
        _ownsSession = true;
    }

    public async Task<ValidatedToken?> ValidateAsync(string subjectToken, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(subjectToken)) return null;
        var request = new OpenStackRequest(Method.Get, IdentityUrls.Tokens)
        {
            Headers = [new("X-Subject-Token", subjectToken)],
        };
        try
        {
            var token = await _session.Identity.Client.SendAsync<Token>(request, "token", ct).ConfigureAwait(false);
            return ValidatedToken.From(token);
        }
        catch (OpenStackException e) when (e.Method == "GET" && e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized)
        {
            // 404: unknown, revoked or expired. 401 on the GET after the session already re-authenticated
            // once: Keystone refuses the subject token, not ours. (A 401 to our own POST /auth/tokens is
            // a broken service account, an outage, and propagates.)
            return null;
        }
    }

    public void Dispose()
    {
        if (_ownsSession) _session.Dispose();
    }
}
