using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Draas.Api.Configuration;

namespace Draas.Api.WebConsole;

/// <summary>What the login form asks for: a password scoped to a project, or an application credential.</summary>
public sealed record LoginRequest(string? Username, string? Password, string? Project, string? Domain, string? ApplicationCredentialId, string? ApplicationCredentialSecret)
{
    public bool UsesApplicationCredential => !string.IsNullOrWhiteSpace(ApplicationCredentialId);

    public string? Problem() => UsesApplicationCredential
        ? string.IsNullOrEmpty(ApplicationCredentialSecret) ? "The application credential's secret is required." : null
        : string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password) || string.IsNullOrWhiteSpace(Project)
            ? "User name, password and project are required."
            : null;
}

/// <summary>
/// The console's side of Keystone, the same Keystone the API validates tokens against
/// (<c>[keystone_authtoken] auth_url</c>): get a token for the person logging in, revoke it at logout.
/// </summary>
public sealed class KeystoneLogin(KeystoneAuthTokenOptions options, HttpClient http)
{
    private string Tokens => options.AuthUrl.TrimEnd('/') + "/auth/tokens";

    /// <returns>The session, or the reason to show on the login page.</returns>
    public async Task<(ConsoleSession? Session, string? Error)> LoginAsync(LoginRequest login, CancellationToken ct)
    {
        if (login.Problem() is { } problem) return (null, problem);
        var domain = string.IsNullOrWhiteSpace(login.Domain) ? "Default" : login.Domain.Trim();
        JsonObject identity = login.UsesApplicationCredential
            ? new JsonObject
            {
                ["methods"] = new JsonArray("application_credential"),
                ["application_credential"] = new JsonObject { ["id"] = login.ApplicationCredentialId!.Trim(), ["secret"] = login.ApplicationCredentialSecret },
            }
            : new JsonObject
            {
                ["methods"] = new JsonArray("password"),
                ["password"] = new JsonObject
                {
                    ["user"] = new JsonObject { ["name"] = login.Username!.Trim(), ["domain"] = new JsonObject { ["name"] = domain }, ["password"] = login.Password },
                },
            };
        var auth = new JsonObject { ["identity"] = identity };
        // An application credential carries its own scope; a password is scoped to the project asked for.
        if (!login.UsesApplicationCredential)
            auth["scope"] = new JsonObject { ["project"] = new JsonObject { ["name"] = login.Project!.Trim(), ["domain"] = new JsonObject { ["name"] = domain } } };
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(Tokens, new JsonObject { ["auth"] = auth }, ct);
        }
        catch (HttpRequestException)
        {
            return (null, "The identity service (Keystone) is unavailable; try again later.");
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
                return (null, "Keystone refused these credentials (check the user name, password, project and domain).");
            if (!response.IsSuccessStatusCode || !response.Headers.TryGetValues("X-Subject-Token", out var values))
                return (null, $"Keystone answered {(int)response.StatusCode}; try again later.");
            var token = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))?["token"];
            var expires = token?["expires_at"]?.GetValue<DateTimeOffset>() ?? DateTimeOffset.UtcNow.AddHours(1);
            var roles = token?["roles"]?.AsArray().Select(r => r?["name"]?.GetValue<string>()).OfType<string>().ToArray() ?? [];
            return (new ConsoleSession(values.First(), expires,
                token?["user"]?["id"]?.GetValue<string>() ?? "",
                token?["user"]?["name"]?.GetValue<string>(),
                token?["project"]?["id"]?.GetValue<string>(),
                token?["project"]?["name"]?.GetValue<string>(),
                token?["project"]?["domain"]?["id"]?.GetValue<string>(),
                roles), null);
        }
    }

    /// <summary>Revokes the token (a user may revoke their own); a Keystone that cannot be reached leaves it to expire.</summary>
    public async Task<bool> RevokeAsync(string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, Tokens);
        request.Headers.Add("X-Auth-Token", token);
        request.Headers.Add("X-Subject-Token", token);
        try
        {
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
