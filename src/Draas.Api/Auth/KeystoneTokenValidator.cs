using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Draas.Api.Configuration;
using RestSharp;

namespace Draas.Api.Auth;

/// <summary>
/// Validates tokens with <c>GET /v3/auth/tokens</c> (X-Subject-Token) using the service's own token,
/// which it obtains with the [keystone_authtoken] password and renews when Keystone answers 401.
/// </summary>
public sealed class KeystoneTokenValidator : ITokenValidator, IDisposable
{
    private readonly RestClient _client;
    private readonly KeystoneAuthTokenOptions _options;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _serviceTokenLock = new(1, 1);
    private (string Token, DateTimeOffset ExpiresAt)? _serviceToken;

    public KeystoneTokenValidator(KeystoneAuthTokenOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        var baseUrl = options.AuthUrl.TrimEnd('/');
        if (!baseUrl.EndsWith("/v3", StringComparison.Ordinal)) baseUrl += "/v3";
        _client = new RestClient(new RestClientOptions(baseUrl + "/")
        {
            Timeout = TimeSpan.FromSeconds(options.HttpConnectTimeout),
            RemoteCertificateValidationCallback = options.Insecure ? (_, _, _, _) => true : null,
            ThrowOnAnyError = false,
        });
    }

    public async Task<ValidatedToken?> ValidateAsync(string subjectToken, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var serviceToken = await ServiceTokenAsync(ct);
            var request = new RestRequest("auth/tokens")
                .AddHeader("X-Auth-Token", serviceToken)
                .AddHeader("X-Subject-Token", subjectToken);
            var response = await _client.ExecuteAsync(request, ct);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return Parse(response.Content);
                case HttpStatusCode.Unauthorized when attempt == 0:
                    _serviceToken = null; // our own token went stale: authenticate again, once
                    continue;
                case HttpStatusCode.NotFound or HttpStatusCode.Unauthorized:
                    return null;
                default:
                    throw Unavailable(response);
            }
        }
    }

    private async Task<string> ServiceTokenAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        if (_serviceToken is { } cached && cached.ExpiresAt - now > TimeSpan.FromMinutes(1)) return cached.Token;
        await _serviceTokenLock.WaitAsync(ct);
        try
        {
            if (_serviceToken is { } again && again.ExpiresAt - now > TimeSpan.FromMinutes(1)) return again.Token;
            var body = new JsonObject
            {
                ["auth"] = new JsonObject
                {
                    ["identity"] = new JsonObject
                    {
                        ["methods"] = new JsonArray("password"),
                        ["password"] = new JsonObject
                        {
                            ["user"] = new JsonObject
                            {
                                ["name"] = _options.Username,
                                ["domain"] = new JsonObject { ["name"] = _options.UserDomainName },
                                ["password"] = _options.Password,
                            },
                        },
                    },
                    ["scope"] = new JsonObject
                    {
                        ["project"] = new JsonObject
                        {
                            ["name"] = _options.ProjectName,
                            ["domain"] = new JsonObject { ["name"] = _options.ProjectDomainName },
                        },
                    },
                },
            };
            var request = new RestRequest("auth/tokens", Method.Post).AddStringBody(body.ToJsonString(), ContentType.Json);
            var response = await _client.ExecuteAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest)
                    throw new KeystoneUnavailableException($"the service's own Keystone credentials were refused ({(int)response.StatusCode}); check [keystone_authtoken]");
                throw Unavailable(response);
            }
            var token = response.Headers?.FirstOrDefault(h => string.Equals(h.Name, "X-Subject-Token", StringComparison.OrdinalIgnoreCase))?.Value
                ?? throw new KeystoneUnavailableException("Keystone issued no X-Subject-Token");
            var expires = Parse(response.Content)?.ExpiresAt ?? now.AddMinutes(5);
            _serviceToken = (token, expires);
            return token;
        }
        finally
        {
            _serviceTokenLock.Release();
        }
    }

    private static KeystoneUnavailableException Unavailable(RestResponse response) =>
        response.ResponseStatus == ResponseStatus.Completed
            ? new KeystoneUnavailableException($"Keystone answered {(int)response.StatusCode}")
            : new KeystoneUnavailableException($"Keystone could not be reached: {response.ErrorMessage}", response.ErrorException);

    private static ValidatedToken? Parse(string? content)
    {
        if (string.IsNullOrEmpty(content)) return null;
        try
        {
            var token = JsonNode.Parse(content)?["token"];
            if (token is null) return null;
            var roles = token["roles"]?.AsArray().Select(r => r?["name"]?.GetValue<string>()).OfType<string>().ToList() ?? [];
            return new ValidatedToken(
                token["user"]?["id"]?.GetValue<string>() ?? "",
                token["user"]?["name"]?.GetValue<string>(),
                token["project"]?["id"]?.GetValue<string>(),
                token["project"]?["name"]?.GetValue<string>(),
                token["project"]?["domain"]?["id"]?.GetValue<string>(),
                roles,
                DateTimeOffset.Parse(token["expires_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new KeystoneUnavailableException("Keystone's token body could not be read", e);
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _serviceTokenLock.Dispose();
    }
}
