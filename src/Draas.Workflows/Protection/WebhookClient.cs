using System.Net.Http.Json;

namespace Draas.Workflows.Protection;

/// <summary>Posts event notifications to tenants' webhooks: one pooled client, short timeouts, no redirects.</summary>
public sealed class WebhookClient : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    { Timeout = TimeSpan.FromSeconds(10) };

    public Task<HttpResponseMessage> PostAsync(string url, object payload, CancellationToken ct) => _http.PostAsJsonAsync(url, payload, ct);

    public void Dispose() => _http.Dispose();
}
