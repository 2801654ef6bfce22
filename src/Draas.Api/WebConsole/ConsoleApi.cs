using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Draas.Api.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Draas.Api.WebConsole;

/// <summary>One answer of the API as the console got it.</summary>
public sealed record ApiAnswer(int Status, JsonNode? Body, string? Text)
{
    public bool Ok => Status is >= 200 and < 300;

    /// <summary>The fault's message (<c>{"forbidden": {"message": ...}}</c>), as the API wrote it.</summary>
    public string Message => Body is JsonObject { Count: 1 } o && o.Single().Value?["message"] is { } m ? m.ToString() : $"The API answered {Status}.";
}

/// <summary>
/// The console calls the service's own REST API, on loopback, with the logged-in person's token: every
/// read and every action goes through the same Keystone validation and the same policy rules as any
/// other client. The console decides nothing about who may do what; it only shows what the API answers.
/// </summary>
public sealed class ConsoleApi(HttpClient http, IServer server, ApiOptions options)
{
    private Uri? _base;

    public Task<ApiAnswer> GetAsync(string token, string path, CancellationToken ct, string? accept = null) => SendAsync(token, HttpMethod.Get, path, null, ct, accept);

    public Task<ApiAnswer> PostAsync(string token, string path, JsonNode body, CancellationToken ct) => SendAsync(token, HttpMethod.Post, path, body, ct);

    private async Task<ApiAnswer> SendAsync(string token, HttpMethod method, string path, JsonNode? body, CancellationToken ct, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(Base(), path));
        request.Headers.Add("X-Auth-Token", token);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0)
        {
            try { json = JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
        }
        return new ApiAnswer((int)response.StatusCode, json, text);
    }

    /// <summary>The API listener's own address (the bound one: tests bind port 0), never the metrics listener.</summary>
    private Uri Base()
    {
        if (_base is not null) return _base;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var metricsPort = options.HasMetricsListener ? $":{options.MetricsBindPort}" : null;
        var address = addresses.FirstOrDefault(a => metricsPort is null || !a.EndsWith(metricsPort, StringComparison.Ordinal))
            ?? $"http://{options.BindHost}:{options.BindPort}";
        // A wildcard listener is reached on loopback.
        address = address.Replace("://0.0.0.0:", "://127.0.0.1:").Replace("://[::]:", "://127.0.0.1:").Replace("://+:", "://127.0.0.1:").Replace("://*:", "://127.0.0.1:");
        return _base = new Uri(address.TrimEnd('/') + "/");
    }
}
