using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Draas.Tests.Protection;

/// <summary>Looks at a (simulated) FlashArray over its REST 2.x API, independently of the plugin under test.</summary>
public sealed class ArrayInspector(Uri arrayUrl, string apiToken) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(arrayUrl.ToString().TrimEnd('/') + "/") };
    private string? _version;

    public async Task<JsonArray> GetAsync(string resource)
    {
        if (_version is null)
        {
            var versions = (await _http.GetFromJsonAsync<JsonObject>("api/api_version"))!["version"]!.AsArray();
            _version = versions.Select(v => v!.GetValue<string>()).Last(v => v.StartsWith("2.", StringComparison.Ordinal));
            using var login = new HttpRequestMessage(HttpMethod.Post, $"api/{_version}/login");
            login.Headers.Add("api-token", apiToken);
            var response = await _http.SendAsync(login);
            response.EnsureSuccessStatusCode();
            _http.DefaultRequestHeaders.Add("x-auth-token", response.Headers.GetValues("x-auth-token").Single());
        }
        return (await _http.GetFromJsonAsync<JsonObject>($"api/{_version}/{resource}"))!["items"]!.AsArray();
    }

    public void Dispose() => _http.Dispose();
}
