using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Talks to a workload's data canary (docs/data-canary.md): through the site's probe agent when it has one
/// (only the site's network reaches the guests), else directly. A POSTed token is written with the
/// workload's data; a GET reads the tokens back as a JSON array of strings.
/// </summary>
public sealed class CanaryCalls(IHttpClientFactory http, ProbeClient probe)
{
    /// <summary>Tokens the service writes: <c>draas-canary 2026-12-04T20:41:03.123Z run 1a2b3c4d</c>; their time is
    /// when the service wrote them, so a token read back dates the newest write that survived.</summary>
    public static string Token(DateTimeOffset at, Guid run) =>
        string.Create(CultureInfo.InvariantCulture, $"draas-canary {at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} run {run.ToString("N")[..8]}");

    /// <summary>When the service wrote a token, or null for a token it did not write.</summary>
    public static DateTimeOffset? WrittenAt(string token) =>
        token.Split(' ') is ["draas-canary", var at, "run", _]
        && DateTimeOffset.TryParseExact(at, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>Null when written, else what went wrong.</summary>
    public async Task<string?> WriteAsync(string? agent, string address, int port, string path, string token, CancellationToken ct) =>
        await CallAsync(agent is null
            ? new HttpRequestMessage(HttpMethod.Post, Direct(address, port, path)) { Content = new StringContent(token, Encoding.UTF8, "text/plain") }
            : new HttpRequestMessage(HttpMethod.Post, Relay(agent, address, port, path)) { Content = JsonContent.Create(new { token }) },
            agent is not null, _ => Task.FromResult<string?>(null), ct);

    /// <summary>The tokens the canary holds (oldest first), or what went wrong.</summary>
    public async Task<(IReadOnlyList<string>? Tokens, string? Error)> ReadAsync(string? agent, string address, int port, string path, CancellationToken ct)
    {
        IReadOnlyList<string>? tokens = null;
        var error = await CallAsync(new HttpRequestMessage(HttpMethod.Get, agent is null ? Direct(address, port, path) : Relay(agent, address, port, path)), agent is not null, async answer =>
        {
            var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync(ct));
            var list = agent is null ? body as JsonArray : body?["tokens"] as JsonArray;
            if (list is null) return "the canary did not answer a JSON array of tokens";
            tokens = [.. list.Select(t => t?.ToString()).OfType<string>()];
            return null;
        }, ct);
        return (tokens, error);
    }

    private static string Direct(string address, int port, string path) => $"http://{address}:{port}{path}";

    private static string Relay(string agent, string address, int port, string path) =>
        $"{agent.TrimEnd('/')}/canary?address={Uri.EscapeDataString(address)}&port={port}&path={Uri.EscapeDataString(path)}";

    private async Task<string?> CallAsync(HttpRequestMessage request, bool viaAgent, Func<HttpResponseMessage, Task<string?>> read, CancellationToken ct)
    {
        using var _ = request;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            if (viaAgent && probe.Secret is not null) request.Headers.Add(ProbeClient.SecretHeader, probe.Secret);
            using var answer = await http.CreateClient("health").SendAsync(request, timeout.Token);
            if (!answer.IsSuccessStatusCode)
            {
                var text = await answer.Content.ReadAsStringAsync(timeout.Token);
                return $"HTTP {(int)answer.StatusCode}: {(text.Length > 300 ? text[..300] : text.Trim())}";
            }
            return await read(answer);
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return e.Message;
        }
    }
}
