using System.Net;
using System.Text.Json.Nodes;
using Draas.OpenStack;
using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;

namespace Draas.Cli.Auth;

/// <summary>
/// Turns credentials into a token and the DRaaS endpoint: password or application credential
/// through the shared <see cref="KeystoneSession"/> (endpoint from the catalog, service type
/// <c>disaster-recovery</c>, unless one is given), or a ready token (OS_TOKEN).
/// </summary>
public static class KeystoneLogin
{
    public const string ServiceType = "disaster-recovery";

    public static async Task<ServiceAccess> LoginAsync(CloudCredentials creds, CancellationToken ct)
    {
        var endpoint = ParseEndpoint(creds.Endpoint);
        if (creds.UsesToken)
        {
            if (endpoint is not null) return new ServiceAccess(endpoint, new FixedToken(creds.Token!));
            if (creds.AuthUrl is null)
                throw CliException.Usage("OS_TOKEN needs --endpoint (or DRAAS_ENDPOINT), or OS_AUTH_URL to find the service in the catalog.");
            return new ServiceAccess(await CatalogForTokenAsync(creds, ct), new FixedToken(creds.Token!));
        }
        if (creds.AuthUrl is null)
            throw CliException.Usage("No credentials: set OS_CLOUD (with a clouds.yaml) or OS_AUTH_URL, OS_USERNAME, OS_PASSWORD and OS_PROJECT_NAME, or OS_TOKEN with --endpoint.");
        var options = SessionOptions(creds);
        var problems = options.Validate();
        if (problems.Count > 0) throw CliException.Usage($"The credentials from {creds.Source} are incomplete: {Explain(problems[0])}.");
        var session = new KeystoneSession(options, retry: new RetryPolicyOptions { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(200) });
        try
        {
            await session.GetTokenAsync(ct);
            endpoint ??= await session.GetEndpointAsync(ServiceType, ct);
            return new ServiceAccess(endpoint, session, session);
        }
        catch (CatalogEndpointNotFoundException e)
        {
            session.Dispose();
            throw new CliException($"Keystone's catalog has no {creds.Interface} '{ServiceType}' endpoint{(creds.RegionName is null ? "" : " in region " + creds.RegionName)}; pass --endpoint or set DRAAS_ENDPOINT.", ExitCodes.Usage, e);
        }
        catch (OpenStackException e)
        {
            session.Dispose();
            throw KeystoneFailure(creds, e.StatusCode, e.ServiceMessage, e.RequestId, e);
        }
    }

    static KeystoneSessionOptions SessionOptions(CloudCredentials c)
    {
        var appCred = c.UsesApplicationCredential;
        return new KeystoneSessionOptions
        {
            AuthUrl = c.AuthUrl!,
            Region = c.RegionName,
            Interface = c.Interface,
            Username = c.Username,
            UserId = c.UserId,
            // As the openstack CLI: a user named without a domain is in the default domain.
            UserDomainName = c.UserDomainName ?? (c.UserDomainId is null && c.Username is not null && c.UserId is null ? "Default" : null),
            UserDomainId = c.UserDomainId,
            Password = appCred ? null : c.Password,
            ApplicationCredentialId = c.ApplicationCredentialId,
            ApplicationCredentialName = c.ApplicationCredentialName,
            ApplicationCredentialSecret = appCred ? c.ApplicationCredentialSecret ?? "" : null,
            ProjectId = appCred ? null : c.ProjectId,
            ProjectName = appCred ? null : c.ProjectName,
            ProjectDomainName = appCred ? null : c.ProjectDomainName ?? (c.ProjectName is not null && c.ProjectDomainId is null && c.ProjectId is null ? "Default" : null),
            ProjectDomainId = appCred ? null : c.ProjectDomainId,
            RequestTimeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>KeystoneSessionOptions names its properties; an operator knows the variables.</summary>
    static string Explain(string problem)
    {
        foreach (var (property, variable) in Variables) problem = problem.Replace(property, variable, StringComparison.Ordinal);
        return problem;
    }

    /// <summary>Longest first, so UserDomainName is not read as UserDomain + Name.</summary>
    static readonly (string Property, string Variable)[] Variables =
    [
        (nameof(KeystoneSessionOptions.ApplicationCredentialSecret), "OS_APPLICATION_CREDENTIAL_SECRET"),
        (nameof(KeystoneSessionOptions.ApplicationCredentialName), "OS_APPLICATION_CREDENTIAL_NAME"),
        (nameof(KeystoneSessionOptions.ApplicationCredentialId), "OS_APPLICATION_CREDENTIAL_ID"),
        (nameof(KeystoneSessionOptions.ProjectDomainName), "OS_PROJECT_DOMAIN_NAME"),
        (nameof(KeystoneSessionOptions.ProjectDomainId), "OS_PROJECT_DOMAIN_ID"),
        (nameof(KeystoneSessionOptions.UserDomainName), "OS_USER_DOMAIN_NAME"),
        (nameof(KeystoneSessionOptions.UserDomainId), "OS_USER_DOMAIN_ID"),
        (nameof(KeystoneSessionOptions.ProjectName), "OS_PROJECT_NAME"),
        (nameof(KeystoneSessionOptions.ProjectId), "OS_PROJECT_ID"),
        (nameof(KeystoneSessionOptions.DomainName), "OS_DOMAIN_NAME"),
        (nameof(KeystoneSessionOptions.DomainId), "OS_DOMAIN_ID"),
        (nameof(KeystoneSessionOptions.Username), "OS_USERNAME"),
        (nameof(KeystoneSessionOptions.UserId), "OS_USER_ID"),
        (nameof(KeystoneSessionOptions.Password), "OS_PASSWORD"),
        (nameof(KeystoneSessionOptions.AuthUrl), "OS_AUTH_URL"),
        (nameof(KeystoneSessionOptions.Interface), "OS_INTERFACE"),
    ];

    static CliException KeystoneFailure(CloudCredentials creds, HttpStatusCode? status, string? message, string? requestId, Exception inner)
    {
        var id = requestId is null ? "" : $", request id {requestId}";
        return status switch
        {
            HttpStatusCode.Unauthorized => CliException.Usage($"Keystone at {creds.AuthUrl} refused the credentials from {creds.Source} (401{id})."),
            null => CliException.Failure($"Keystone at {creds.AuthUrl} did not answer ({inner.InnerException?.Message ?? inner.Message}).", inner),
            _ => CliException.Failure($"Keystone at {creds.AuthUrl} answered {(int)status}{(message is null ? "" : ": " + message.TrimEnd('.'))}{id}.", inner),
        };
    }

    static Uri? ParseEndpoint(string? endpoint)
    {
        if (endpoint is null) return null;
        return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw CliException.Usage($"The endpoint '{endpoint}' is not an http(s) URL.");
    }

    /// <summary>A bare token has no catalog of its own: Keystone shows it when asked to validate the token with itself.</summary>
    static async Task<Uri> CatalogForTokenAsync(CloudCredentials creds, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(creds.AuthUrl!.TrimEnd('/') + (creds.AuthUrl!.TrimEnd('/').EndsWith("/v3", StringComparison.Ordinal) ? "" : "/v3") + "/auth/tokens"));
        request.Headers.Add("X-Auth-Token", creds.Token);
        request.Headers.Add("X-Subject-Token", creds.Token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw KeystoneFailure(creds, null, null, null, e);
        }
        using (response)
        {
            var requestId = response.Headers.TryGetValues("X-Openstack-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
            if (!response.IsSuccessStatusCode) throw KeystoneFailure(creds, response.StatusCode, null, requestId, new HttpRequestException(response.ReasonPhrase));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
            var url = (body?["token"]?["catalog"] as JsonArray ?? [])
                .Where(e => e?["type"]?.GetValue<string>() == ServiceType)
                .SelectMany(e => e!["endpoints"] as JsonArray ?? [])
                .FirstOrDefault(e => e?["interface"]?.GetValue<string>() == creds.Interface
                    && (creds.RegionName is null || e["region_id"]?.GetValue<string>() == creds.RegionName || e["region"]?.GetValue<string>() == creds.RegionName))
                ?["url"]?.GetValue<string>();
            return url is null
                ? throw CliException.Usage($"Keystone's catalog has no {creds.Interface} '{ServiceType}' endpoint; pass --endpoint or set DRAAS_ENDPOINT.")
                : new Uri(url);
        }
    }
}
