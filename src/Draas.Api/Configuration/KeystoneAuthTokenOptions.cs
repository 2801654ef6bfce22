using Microsoft.Extensions.Configuration;

namespace Draas.Api.Configuration;

/// <summary>[keystone_authtoken]: how the API validates callers' tokens, as keystonemiddleware does.</summary>
public sealed class KeystoneAuthTokenOptions
{
    public const string Section = "keystone_authtoken";

    /// <summary>Keystone v3 endpoint the service authenticates against (…/v3 or its root).</summary>
    [ConfigurationKeyName("auth_url")]
    public string AuthUrl { get; set; } = "";

    /// <summary>The Keystone URL named in WWW-Authenticate on 401; defaults to auth_url.</summary>
    [ConfigurationKeyName("www_authenticate_uri")]
    public string? WwwAuthenticateUri { get; set; }

    [ConfigurationKeyName("username")]
    public string Username { get; set; } = "draas";

    [ConfigurationKeyName("password")]
    public string Password { get; set; } = "";

    [ConfigurationKeyName("user_domain_name")]
    public string UserDomainName { get; set; } = "Default";

    [ConfigurationKeyName("project_name")]
    public string ProjectName { get; set; } = "service";

    [ConfigurationKeyName("project_domain_name")]
    public string ProjectDomainName { get; set; } = "Default";

    /// <summary>Seconds a validated token is trusted without asking Keystone again (capped by its expiry).</summary>
    [ConfigurationKeyName("token_cache_time")]
    public int TokenCacheTime { get; set; } = 300;

    /// <summary>Seconds to wait for Keystone before answering 503.</summary>
    [ConfigurationKeyName("http_connect_timeout")]
    public int HttpConnectTimeout { get; set; } = 10;

    /// <summary>Skip TLS verification of Keystone (never in production).</summary>
    [ConfigurationKeyName("insecure")]
    public bool Insecure { get; set; }

    public string AuthenticateUri => string.IsNullOrWhiteSpace(WwwAuthenticateUri) ? AuthUrl : WwwAuthenticateUri!;

    public IEnumerable<string> Validate()
    {
        if (!Uri.TryCreate(AuthUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            yield return "[keystone_authtoken] auth_url must be an http(s) URL";
        if (TokenCacheTime is < 0 or > 3600) yield return "[keystone_authtoken] token_cache_time must be 0..3600";
        if (HttpConnectTimeout is < 1 or > 300) yield return "[keystone_authtoken] http_connect_timeout must be 1..300";
    }
}
