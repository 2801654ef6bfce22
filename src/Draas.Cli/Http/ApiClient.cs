using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Draas.Cli.Auth;
using Draas.OpenStack.Core;

namespace Draas.Cli.Http;

/// <summary>
/// The DRaaS REST API over HttpClient: sends X-Auth-Token (renewed once on 401), unwraps nothing,
/// turns every non-2xx answer into a <see cref="CliException"/> with the service's message and request id.
/// </summary>
public sealed class ApiClient(ServiceAccess access) : IDisposable
{
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public Uri Endpoint => access.Endpoint;

    public async Task<JsonObject> GetAsync(string path, CancellationToken ct) => await SendJsonAsync(HttpMethod.Get, path, null, ct) ?? [];

    public Task<JsonObject?> PostAsync(string path, JsonNode body, CancellationToken ct) => SendJsonAsync(HttpMethod.Post, path, body, ct);

    public Task<JsonObject?> PutAsync(string path, JsonNode body, CancellationToken ct) => SendJsonAsync(HttpMethod.Put, path, body, ct);

    public Task DeleteAsync(string path, CancellationToken ct) => SendJsonAsync(HttpMethod.Delete, path, null, ct);

    /// <summary>A non-JSON representation, e.g. Markdown with <c>Accept: text/markdown</c>.</summary>
    public async Task<string> GetTextAsync(string path, string accept, CancellationToken ct)
    {
        var (_, text) = await SendAsync(HttpMethod.Get, path, null, accept, ct);
        return text;
    }

    /// <summary>
    /// Every item of a collection through the one pager (<see cref="Pager"/>: <c>{name}_links</c> "next"
    /// until the last page), or one page when the caller set <c>limit</c>.
    /// </summary>
    public async Task<JsonArray> ListAsync(string path, string collection, IDictionary<string, string?> query, CancellationToken ct)
    {
        var first = WithQuery(path, query);
        if (query.TryGetValue("limit", out var limit) && limit is not null)
            return (await GetAsync(first, ct))[collection] is JsonArray page ? (JsonArray)page.DeepClone() : [];
        var all = new JsonArray();
        var pages = Pager.WalkAsync<JsonNode?>(collection,
            async (link, c) => Encoding.UTF8.GetBytes((await SendAsync(HttpMethod.Get, link ?? first, null, "application/json", c)).Text),
            (href, _) => Task.FromResult(RelativeToV1(href)),
            _ => CliException.Failure($"GET /v1/{first} answered with a page that is not JSON."),
            ct);
        await foreach (var item in pages) all.Add(item);
        return all;
    }

    public static string WithQuery(string path, IDictionary<string, string?> query)
    {
        var pairs = query.Where(kv => kv.Value is not null).Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value!)}").ToList();
        return pairs.Count == 0 ? path : path + (path.Contains('?') ? "&" : "?") + string.Join("&", pairs);
    }

    /// <summary>A next link is absolute and carries the service's own host; keep our endpoint (it may be behind a proxy).</summary>
    static string RelativeToV1(string href)
    {
        var uri = new Uri(href, UriKind.RelativeOrAbsolute);
        var pathAndQuery = uri.IsAbsoluteUri ? uri.PathAndQuery : href;
        var at = pathAndQuery.IndexOf("/v1/", StringComparison.Ordinal);
        return at >= 0 ? pathAndQuery[(at + 4)..] : pathAndQuery.TrimStart('/');
    }

    async Task<JsonObject?> SendJsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        var (status, text) = await SendAsync(method, path, body, "application/json", ct);
        if (status == HttpStatusCode.NoContent || string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new System.Text.Json.JsonException("not an object");
        }
        catch (System.Text.Json.JsonException)
        {
            throw CliException.Failure($"{method} {path} answered {(int)status} with a body that is not a JSON object.");
        }
    }

    async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpMethod method, string path, JsonNode? body, string accept, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var token = await access.Tokens.GetTokenAsync(ct);
            using var request = new HttpRequestMessage(method, new Uri(access.Endpoint, path.TrimStart('/')));
            request.Headers.Add("X-Auth-Token", token);
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("draasctl", typeof(ApiClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
            if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, ct);
            }
            catch (HttpRequestException e)
            {
                throw CliException.Failure($"The DRaaS service at {access.Endpoint} did not answer ({e.Message.TrimEnd('.')}).", e);
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw CliException.Failure($"The DRaaS service at {access.Endpoint} did not answer {method} {path} within {_http.Timeout.TotalSeconds:0} seconds.", e);
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1 && access.Tokens is not FixedToken)
                {
                    access.Tokens.Invalidate(token);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    var requestId = response.Headers.TryGetValues("X-Openstack-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
                    throw ApiError.From(method, "/v1/" + path.TrimStart('/'), response.StatusCode, text, requestId);
                }
                return (response.StatusCode, text);
            }
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        access.Dispose();
    }
}
