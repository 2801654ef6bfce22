using System.Text;

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

    /// <summary>Posts <paramref name="body"/> (JSON) as it is: the bytes sent are the bytes signed.</summary>
    public Task<HttpResponseMessage> PostAsync(string url, string body, Action<HttpRequestMessage> headers, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        headers(request);
        return _http.SendAsync(request, ct);
    }

    public void Dispose() => _http.Dispose();
}
