using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Draas.Tests.Runs;
using Draas.Tests.Support;

namespace Draas.Tests.Reliability;

/// <summary>Starts and watches runs through the API of whichever service process is up right now.</summary>
public sealed class RunApi(Func<HttpClient> http)
{
    public async Task<string> StartAsync(string planId, string kind, object? options = null)
    {
        using var start = new HttpRequestMessage(HttpMethod.Post, "/v1/runs")
        {
            Content = JsonContent.Create(new { run = new { plan_id = planId, kind, options = options ?? new { } } }),
        };
        start.Headers.Add("X-Auth-Token", TenantInTheLab.Admin);
        using var created = await http().SendAsync(start);
        var text = await created.Content.ReadAsStringAsync();
        Assert.That((int)created.StatusCode, Is.EqualTo(202), text);
        return JsonNode.Parse(text)!["run"]!["id"]!.GetValue<string>();
    }

    public async Task<JsonNode> GetAsync(string runId)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, $"/v1/runs/{runId}");
        get.Headers.Add("X-Auth-Token", TenantInTheLab.Admin);
        using var response = await http().SendAsync(get);
        var text = await response.Content.ReadAsStringAsync();
        // A service whose database is away answers 503: no run to show right now.
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET /v1/runs/{runId}: {(int)response.StatusCode} {text}", null, response.StatusCode);
        return JsonNode.Parse(text)!["run"]!;
    }

    /// <summary>The run, or null while the service does not answer (it may be down on purpose).</summary>
    public async Task<JsonNode?> TryGetAsync(string runId)
    {
        try
        {
            return await GetAsync(runId);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static bool IsFinal(JsonNode run) => run["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" or "rolled_back";

    /// <summary>Waits for the run to reach one of <paramref name="states"/>, through restarts of the service.</summary>
    public async Task<JsonNode> WaitForStateAsync(string runId, TimeSpan timeout, params string[] states) =>
        await Eventually.WaitForAsync(async () => await TryGetAsync(runId) is { } run && states.Contains(run["state"]!.GetValue<string>()) ? run : null,
            $"run {runId} to be {string.Join(" or ", states)}", timeout);

    /// <summary>POSTs <c>{"action": {}}</c> to the run; returns the status and the body.</summary>
    public async Task<(int Status, string Body)> ActAsync(string runId, string action)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, $"/v1/runs/{runId}/action")
        {
            Content = JsonContent.Create(new Dictionary<string, object> { [action] = new { } }),
        };
        post.Headers.Add("X-Auth-Token", TenantInTheLab.Admin);
        using var answer = await http().SendAsync(post);
        return ((int)answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    public async Task<JsonNode> WaitForEndAsync(string runId, TimeSpan timeout)
    {
        try
        {
            return await Eventually.WaitForAsync(async () => await TryGetAsync(runId) is { } run && IsFinal(run) ? run : null,
                $"run {runId} to end", timeout);
        }
        catch (AssertionException)
        {
            var run = await TryGetAsync(runId);
            throw new AssertionException($"run {runId} did not end within {timeout.TotalSeconds:0} s:\n{(run is null ? "(no answer)" : TenantInTheLab.Describe(run))}");
        }
    }
}
