using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Draas.Benchmarks.Harness;

/// <summary>The service's REST API as a cloud admin (a token from the lab's site-a Keystone).</summary>
public sealed class DraasApi(Uri service, string token) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = service, Timeout = TimeSpan.FromSeconds(120) };

    public static async Task<string> TokenAsync(string authUrl)
    {
        using var http = new HttpClient();
        var body = new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name = "admin", domain = new { name = "Default" }, password = "sim-admin-secret" } } },
                scope = new { project = new { name = "admin", domain = new { name = "Default" } } },
            },
        };
        using var response = await http.PostAsJsonAsync(authUrl.TrimEnd('/') + "/auth/tokens", body).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("X-Subject-Token").First();
    }

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Add("X-Auth-Token", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path).ConfigureAwait(false);
        if (status != 200) throw new InvalidOperationException($"GET {path}: {status} {body?.ToJsonString()}");
        return body!;
    }

    /// <summary>POSTs and returns the body; <paramref name="expect"/> is the status that means success.</summary>
    public async Task<JsonNode> PostAsync(string path, object body, int expect = 201)
    {
        var (status, json) = await SendAsync(HttpMethod.Post, path, body).ConfigureAwait(false);
        if (status != expect) throw new InvalidOperationException($"POST {path}: {status} {json?.ToJsonString()}");
        return json!;
    }

    /// <summary>Creates a resource and returns its id (<c>{"thing": {"id": ...}}</c>).</summary>
    public async Task<string> CreateAsync(string path, object body) =>
        (await PostAsync(path, body).ConfigureAwait(false)).AsObject().Single().Value!["id"]!.GetValue<string>();

    /// <summary>Starts a run (202) and returns its id.</summary>
    public async Task<string> StartRunAsync(string plan, string kind, object options) =>
        (await PostAsync("/v1/runs", new { run = new { plan_id = plan, kind, options } }, 202).ConfigureAwait(false))["run"]!["id"]!.GetValue<string>();

    /// <summary>The dry run's steps: the planner's own graph with inputs and dependencies.</summary>
    public async Task<JsonArray> DryRunAsync(string plan, string kind, object options) =>
        (await PostAsync("/v1/runs", new { run = new { plan_id = plan, kind, options, dry_run = true } }, 200).ConfigureAwait(false))["run"]!["steps"]!.AsArray();

    /// <summary>Polls the run every <paramref name="poll"/> until it is final; returns the run view.</summary>
    public async Task<JsonNode> WaitRunAsync(string id, TimeSpan timeout, TimeSpan poll)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = (await GetAsync($"/v1/runs/{id}").ConfigureAwait(false))["run"]!;
            if (run["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled") return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"run {id} did not end within {timeout}: {run["progress"]?.ToJsonString()}");
            await Task.Delay(poll).ConfigureAwait(false);
        }
    }

    /// <summary>Captures and protects a plan, and waits until the service calls it protected.</summary>
    public async Task ProtectAsync(string plan, TimeSpan timeout)
    {
        await PostAsync($"/v1/plans/{plan}/action", new { capture = new { } }, 202).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = (await GetAsync($"/v1/plans/{plan}").ConfigureAwait(false))["plan"]!["status"]!.GetValue<string>();
            if (status is "protected" or "at_risk" or "violated") return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"plan {plan} not protected within {timeout} (status {status})");
            await Task.Delay(500).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();
}
