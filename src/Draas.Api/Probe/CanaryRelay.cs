using System.Net;
using System.Text;
using System.Text.Json;

namespace Draas.Api.Probe;

/// <summary>
/// The probe agent's relay to a workload's data canary, which only the site's own network can reach:
/// <c>POST /canary?address=IP&amp;port=N&amp;path=/canary</c> with <c>{"token": "..."}</c> posts the token to the
/// guest as a text body (2xx: written); <c>GET /canary?address=…</c> reads the guest's tokens back (a JSON array
/// of strings) as <c>{"tokens": [...]}</c>. A guest that does not answer as the contract says is a 502 with why.
/// </summary>
public static class CanaryRelay
{
    public static void Map(WebApplication app, Func<HttpContext, bool> trusted, ProbeAgentOptions options)
    {
        app.MapPost("/canary", async (HttpContext http, string? address, int? port, string? path, CancellationToken ct) =>
        {
            if (!trusted(http)) return ProbeAgent.Unauthorized();
            if (Target(address, port, path) is not { } target) return BadTarget();
            string? token;
            try
            {
                using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
                token = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            }
            catch (JsonException)
            {
                token = null;
            }
            if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
                return Results.Json(new { error = "the body must be {\"token\": \"...\"} with 1-200 characters" }, statusCode: 400);
            return await Relay(target, options, async (client, url, limit) =>
            {
                using var answer = await client.PostAsync(url, new StringContent(token, Encoding.UTF8, "text/plain"), limit);
                return answer.IsSuccessStatusCode
                    ? Results.Json(new { written = true, address, port })
                    : Failed($"the canary at {url} answered HTTP {(int)answer.StatusCode}: {await Snippet(answer, limit)}");
            }, ct);
        });
        app.MapGet("/canary", async (HttpContext http, string? address, int? port, string? path, CancellationToken ct) =>
        {
            if (!trusted(http)) return ProbeAgent.Unauthorized();
            if (Target(address, port, path) is not { } target) return BadTarget();
            return await Relay(target, options, async (client, url, limit) =>
            {
                using var answer = await client.GetAsync(url, limit);
                if (!answer.IsSuccessStatusCode) return Failed($"the canary at {url} answered HTTP {(int)answer.StatusCode}: {await Snippet(answer, limit)}");
                try
                {
                    var tokens = JsonSerializer.Deserialize<List<string>>(await answer.Content.ReadAsStringAsync(limit));
                    return tokens is null ? Failed($"the canary at {url} answered null, not a JSON array of tokens") : Results.Json(new { tokens, address, port });
                }
                catch (JsonException e)
                {
                    return Failed($"the canary at {url} did not answer a JSON array of tokens: {e.Message}");
                }
            }, ct);
        });
    }

    private sealed record CanaryTarget(IPAddress Address, int Port, string Path);

    private static CanaryTarget? Target(string? address, int? port, string? path) =>
        IPAddress.TryParse(address, out var ip) && port is >= 1 and <= 65535 && path is { Length: > 0 and <= 200 } && path.StartsWith('/') && !path.Any(char.IsControl)
            ? new CanaryTarget(ip, port.Value, path)
            : null;

    private static IResult BadTarget() =>
        Results.Json(new { error = "address (an IP), port (1-65535) and path (/...) are required" }, statusCode: 400);

    private static IResult Failed(string error) => Results.Json(new { error }, statusCode: 502);

    private static async Task<string> Snippet(HttpResponseMessage answer, CancellationToken ct)
    {
        var text = await answer.Content.ReadAsStringAsync(ct);
        return text.Length > 200 ? text[..200] : text.Trim();
    }

    private static async Task<IResult> Relay(CanaryTarget target, ProbeAgentOptions options, Func<HttpClient, string, CancellationToken, Task<IResult>> call, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(options.Timeout);
        var url = ProbeAgent.Url(target.Address, target.Port, target.Path);
        try
        {
            using var client = ProbeAgent.GuestClient(target.Address, target.Port, options.SourceAddress);
            return await call(client, url, limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failed($"no answer from {url} within {options.Timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return Failed($"{url}: {e.Message}");
        }
    }
}
