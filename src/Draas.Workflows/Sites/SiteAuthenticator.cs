using System.Net;
using System.Text.Json.Nodes;
using Draas.Domain.Sites;
using RestSharp;

namespace Draas.Workflows.Sites;

/// <summary>Authenticates to a site's Keystone v3 with its stored credential (password or application credential).</summary>
public sealed class SiteAuthenticator
{
    public async Task AuthenticateAsync(Site site, string secret, CancellationToken ct)
    {
        var baseUrl = site.AuthUrl.TrimEnd('/');
        if (!baseUrl.EndsWith("/v3", StringComparison.Ordinal)) baseUrl += "/v3";
        using var client = new RestClient(new RestClientOptions(baseUrl + "/")
        {
            Timeout = TimeSpan.FromSeconds(15),
            RemoteCertificateValidationCallback = site.VerifyTls ? null : (_, _, _, _) => true,
        });
        var request = new RestRequest("auth/tokens", Method.Post).AddStringBody(Body(site, secret).ToJsonString(), ContentType.Json);
        var response = await client.ExecuteAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.Created) return;
        throw new SiteAuthenticationException(response.ResponseStatus == ResponseStatus.Completed
            ? $"Keystone at {site.AuthUrl} answered {(int)response.StatusCode}"
            : $"Keystone at {site.AuthUrl} could not be reached: {response.ErrorMessage}");
    }

    private static JsonObject Body(Site site, string secret)
    {
        JsonObject identity = site.AuthType == SiteAuthType.ApplicationCredential
            ? new JsonObject
            {
                ["methods"] = new JsonArray("application_credential"),
                ["application_credential"] = new JsonObject { ["id"] = site.ApplicationCredentialId, ["secret"] = secret },
            }
            : new JsonObject
            {
                ["methods"] = new JsonArray("password"),
                ["password"] = new JsonObject
                {
                    ["user"] = new JsonObject
                    {
                        ["name"] = site.Username,
                        ["domain"] = new JsonObject { ["name"] = site.UserDomainName },
                        ["password"] = secret,
                    },
                },
            };
        var auth = new JsonObject { ["identity"] = identity };
        if (site.AuthType == SiteAuthType.Password)
        {
            auth["scope"] = new JsonObject
            {
                ["project"] = new JsonObject { ["name"] = site.ProjectName, ["domain"] = new JsonObject { ["name"] = site.ProjectDomainName } },
            };
        }
        return new JsonObject { ["auth"] = auth };
    }
}

public sealed class SiteAuthenticationException(string message) : Exception(message);
