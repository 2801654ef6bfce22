using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RestSharp;

namespace Draas.OpenStack.Core;

/// <summary>
/// The HTTP side of one OpenStack service endpoint: one RestClient, the X-Auth-Token and
/// microversion headers, re-authentication after a 401, the retry policy and the typed error.
/// Every service client (Compute, BlockStorage, …) sends through this.
/// </summary>
public sealed class ServiceClient : IDisposable
{
    readonly IAuthTokenSource? _auth;
    readonly Func<CancellationToken, Task<Uri>> _resolveEndpoint;
    readonly RetryPolicy _retry;
    readonly ILogger _logger;
    readonly TimeSpan _timeout;
    readonly SemaphoreSlim _clientLock = new(1, 1);
    readonly SemaphoreSlim _negotiationLock = new(1, 1);
    RestClient? _client;
    Uri? _endpoint;
    volatile bool _agreed;

    public ServiceClient(ServiceApi api, IAuthTokenSource? auth, Func<CancellationToken, Task<Uri>> resolveEndpoint,
        RetryPolicy retry, ILogger? logger = null, TimeSpan? timeout = null)
    {
        Api = api;
        _auth = auth;
        _resolveEndpoint = resolveEndpoint;
        _retry = retry;
        _logger = logger ?? NullLogger.Instance;
        _timeout = timeout ?? TimeSpan.FromSeconds(60);
        Microversion = api.DefaultMicroversion;
    }

    public ServiceApi Api { get; }

    /// <summary>The microversion sent with every call unless a call asks for another; null sends none.</summary>
    public string? Microversion { get; set; }

    /// <summary>Agree the microversion with the service before the first call (<see cref="MicroversionNegotiation"/>).</summary>
    public bool NegotiatesMicroversion { get; init; }

    public TimeProvider Time => _retry.Time;

    /// <summary>The endpoint from the catalog, resolved on first use.</summary>
    public async Task<Uri> EndpointAsync(CancellationToken ct)
    {
        await EnsureClientAsync(ct).ConfigureAwait(false);
        return _endpoint!;
    }

    /// <summary>Sends a call through the retry policy; returns the successful answer or throws <see cref="OpenStackException"/>.</summary>
    internal async Task<RestResponse> SendAsync(OpenStackRequest request, CancellationToken ct)
    {
        await AgreeMicroversionAsync(ct).ConfigureAwait(false);
        return await SendUnagreedAsync(request, ct).ConfigureAwait(false);
    }

    /// <summary>A call sent without agreeing a microversion first: the negotiation's own request.</summary>
    internal async Task<RestResponse> SendUnagreedAsync(OpenStackRequest request, CancellationToken ct)
    {
        var client = await EnsureClientAsync(ct).ConfigureAwait(false);
        return await _retry.ExecuteAsync(async _ =>
        {
            var (response, _) = await SendOnceAsync(client, request, ct,
                async (c, r, t) => (await c.ExecuteAsync(r, t).ConfigureAwait(false), (Stream?)null)).ConfigureAwait(false);
            return response;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Sends a call and reads the JSON answer, unwrapped from <paramref name="key"/> when given ({"volume": {…}}).</summary>
    internal async Task<T> SendAsync<T>(OpenStackRequest request, string? key, CancellationToken ct)
    {
        var response = await SendAsync(request, ct).ConfigureAwait(false);
        return Read<T>(Api.CatalogType, response, key);
    }

    internal Task<T> GetAsync<T>(string path, string? key, CancellationToken ct, IReadOnlyList<KeyValuePair<string, string>>? query = null) =>
        SendAsync<T>(new OpenStackRequest(Method.Get, path) { Query = query ?? [] }, key, ct);

    internal Task DeleteAsync(string path, CancellationToken ct, bool conflictIsTransient = false) =>
        SendAsync(new OpenStackRequest(Method.Delete, path) { ConflictIsTransient = conflictIsTransient }, ct);

    /// <summary>
    /// Sends a call whose answer body is a stream (an image download). The stream is handed over
    /// undisposed on success; error answers are read, closed and thrown like any other.
    /// </summary>
    internal async Task<(RestResponse Head, Stream Body)> SendForStreamAsync(OpenStackRequest request, CancellationToken ct)
    {
        await AgreeMicroversionAsync(ct).ConfigureAwait(false);
        var client = await EnsureClientAsync(ct).ConfigureAwait(false);
        return await _retry.ExecuteAsync(async _ =>
        {
            var (head, body) = await SendOnceAsync(client, request, ct, StreamedDownload.SendAsync).ConfigureAwait(false);
            return (head, body ?? Stream.Null);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Sends a streamed body (an image upload). Never retried: a consumed stream cannot be sent again.</summary>
    internal async Task<RestResponse> SendStreamAsync(OpenStackRequest request, Stream body, CancellationToken ct)
    {
        await AgreeMicroversionAsync(ct).ConfigureAwait(false);
        var client = await EnsureClientAsync(ct).ConfigureAwait(false);
        try
        {
            // No repeat after a 401 either: the stream can only be read once.
            var (response, _) = await SendOnceAsync(client, request, ct, async (c, r, t) =>
            {
                r.AlwaysSingleFileAsContent = true;
                r.AddFile("file", () => new NonDisposingStream(body), "data", request.ContentType);
                return (await c.ExecuteAsync(r, t).ConfigureAwait(false), (Stream?)null);
            }, repeatAfterReauth: false).ConfigureAwait(false);
            return response;
        }
        catch (TransientFailure failure)
        {
            throw failure.Error;
        }
    }

    /// <summary>
    /// Reads a successful answer; one that is not the JSON we expect (an empty body, a proxy's HTML
    /// page, a missing wrapper) is an <see cref="OpenStackException"/> naming the call, not a bare JsonException.
    /// </summary>
    internal static T Read<T>(string service, RestResponse response, string? key)
    {
        try
        {
            var bytes = response.RawBytes ?? [];
            if (bytes.Length == 0) throw new JsonException("the answer is empty");
            if (key is null) return JsonSerializer.Deserialize<T>(bytes, OpenStackJson.Options) ?? throw new JsonException("the answer is null");
            using var doc = JsonDocument.Parse(bytes);
            if (!doc.RootElement.TryGetProperty(key, out var inner)) throw new JsonException($"the answer has no '{key}'");
            return inner.Deserialize<T>(OpenStackJson.Options) ?? throw new JsonException($"'{key}' is null");
        }
        catch (JsonException e)
        {
            throw Malformed(service, response, typeof(T).Name, e);
        }
    }

    internal static OpenStackException Malformed(string service, RestResponse response, string expected, JsonException e) =>
        new(service, response.Request.Method.ToString().ToUpperInvariant(), response.ResponseUri?.ToString() ?? response.Request.Resource,
            response.StatusCode, $"not the expected {expected}: {e.Message}", RequestId(response), e);

    delegate Task<(RestResponse Response, Stream? Body)> Transport(RestClient client, RestRequest request, CancellationToken ct);

    /// <summary>One attempt: token, headers, send, one re-auth after a 401, then classify the outcome.</summary>
    async Task<(RestResponse, Stream?)> SendOnceAsync(RestClient client, OpenStackRequest request, CancellationToken ct, Transport transport,
        bool repeatAfterReauth = true)
    {
        for (var reauthenticated = false; ; reauthenticated = true)
        {
            var token = _auth is null ? null : await _auth.GetTokenAsync(ct).ConfigureAwait(false);
            var rest = Build(request, token);
            var started = Stopwatch.GetTimestamp();
            var (response, body) = await transport(client, rest, ct).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            var method = request.Method.ToString().ToUpperInvariant();
            var requestId = RequestId(response);
            _logger.LogDebug("{Service} {Method} {Url} -> {Status} in {ElapsedMs} ms, request id {RequestId}",
                Api.CatalogType, method, response.ResponseUri ?? client.BuildUri(rest), (int)response.StatusCode,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, requestId);

            if (response.StatusCode == 0)
            {
                var cause = response.ErrorException ?? new HttpRequestException(response.ErrorMessage);
                var error = new OpenStackException(Api.CatalogType, method, Url(client, rest), null, cause.Message, null, cause);
                var reason = RetryPolicy.TransientReason(cause, method);
                throw reason is null ? error : new TransientFailure(error, reason, null);
            }

            if (response.IsSuccessStatusCode) return (response, body);

            var text = await ErrorTextAsync(response, body, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && token is not null && !reauthenticated)
            {
                _logger.LogInformation("{Service} answered 401; authenticating again", Api.CatalogType);
                _auth!.Invalidate(token);
                if (repeatAfterReauth) continue;
            }

            var failure = new OpenStackException(Api.CatalogType, method, Url(client, rest), response.StatusCode,
                ServiceMessage.Parse(text), requestId);
            var retryAfter = RetryPolicy.ParseRetryAfter(Header(response, "Retry-After"), _retry.Time.GetUtcNow());
            var transient = RetryPolicy.TransientReason(response.StatusCode, method, request.ConflictIsTransient, retryAfter,
                failure.ServiceMessage);
            throw transient is null ? failure : new TransientFailure(failure, transient, retryAfter);
        }
    }

    RestRequest Build(OpenStackRequest request, string? token)
    {
        var rest = new RestRequest(request.Path, request.Method) { Timeout = _timeout };
        if (!request.Headers.Any(h => h.Key.Equals("Accept", StringComparison.OrdinalIgnoreCase)))
            rest.AddHeader("Accept", "application/json");
        if (token is not null) rest.AddHeader("X-Auth-Token", token);
        var microversion = request.Microversion ?? Microversion;
        if (microversion is not null && Api.MicroversionService is not null)
        {
            rest.AddHeader("OpenStack-API-Version", $"{Api.MicroversionService} {microversion}");
            if (Api.NovaLegacyHeader) rest.AddHeader("X-OpenStack-Nova-API-Version", microversion);
        }
        foreach (var (name, value) in request.Headers) rest.AddHeader(name, value);
        foreach (var (name, value) in request.Query) rest.AddQueryParameter(name, value);
        if (request.Body is string raw)
            rest.AddStringBody(raw, request.ContentType);
        else if (request.Body is not null)
            rest.AddStringBody(JsonSerializer.Serialize(request.Body, OpenStackJson.Options), request.ContentType);
        return rest;
    }

    static async Task<string?> ErrorTextAsync(RestResponse response, Stream? body, CancellationToken ct)
    {
        if (body is null) return response.Content;
        await using (body.ConfigureAwait(false))
        {
            using var reader = new StreamReader(body);
            return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        }
    }

    static string? RequestId(RestResponse response) =>
        Header(response, "x-openstack-request-id") ?? Header(response, "x-compute-request-id");

    internal static string? Header(RestResponse response, string name) =>
        response.Headers?.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value?.ToString()
        ?? response.ContentHeaders?.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value?.ToString();

    static string Url(RestClient client, RestRequest request)
    {
        try { return client.BuildUri(request).ToString(); }
        catch (UriFormatException) { return request.Resource; }
    }

    /// <summary>Once per client; a failed agreement (a site below our minimum, a site that did not answer)
    /// is not remembered, so the next call asks again and a fixed site needs no restart.</summary>
    async Task AgreeMicroversionAsync(CancellationToken ct)
    {
        if (!NegotiatesMicroversion || _agreed) return;
        await _negotiationLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_agreed) return;
            await MicroversionNegotiation.NegotiateAsync(this, ct).ConfigureAwait(false);
            _agreed = true;
        }
        finally
        {
            _negotiationLock.Release();
        }
    }

    async Task<RestClient> EnsureClientAsync(CancellationToken ct)
    {
        if (_client is not null) return _client;
        await _clientLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_client is not null) return _client;
            _endpoint = await _resolveEndpoint(ct).ConfigureAwait(false);
            _client = new RestClient(new RestClientOptions(_endpoint)
            {
                ThrowOnAnyError = false,
                UserAgent = "draas-openstack/1.0",
                // Services answer 300 with a version list; following redirects would hide that.
                FollowRedirects = false,
                // Any HTTP answer is an answer; only a missing one is a transport error (default: non-2xx is an error too).
                CalculateResponseStatus = _ => ResponseStatus.Completed,
            });
            return _client;
        }
        finally
        {
            _clientLock.Release();
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _clientLock.Dispose();
        _negotiationLock.Dispose();
    }
}
