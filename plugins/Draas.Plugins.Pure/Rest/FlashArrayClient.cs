using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Draas.Plugins.Pure.Rest.Models;
using Draas.Storage;
using Microsoft.Extensions.Logging;
using RestSharp;

namespace Draas.Plugins.Pure.Rest;

/// <summary>
/// One FlashArray's REST 2.x API: picks the highest 2.x version both sides speak, logs in with the API
/// token, renews the session on 401, stamps every call with an <c>X-Request-ID</c>, pages with
/// <c>continuation_token</c>, and maps failures to <see cref="ArrayException"/>. Thread-safe; keep one per array.
/// Resource calls live in the partial files named for their resource.
/// </summary>
public sealed partial class FlashArrayClient : IDisposable
{
    /// <summary>Cinder's Pure driver needs 2.4; the newest we have read the spec of is 2.52.</summary>
    public static readonly Version MinimumApiVersion = new(2, 4);
    public static readonly Version MaximumApiVersion = new(2, 52);

    /// <summary>Names per request when a call lists many volumes in its query string: a plan of a few hundred
    /// volumes would otherwise overrun the URL length a web server accepts (414 URI Too Long).</summary>
    internal const int NamesPerRequest = 100;

    private readonly FlashArrayClientOptions _options;
    private readonly RestClient _rest;
    private readonly RetryPolicy _retry;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _loginLock = new(1, 1);
    private string? _apiVersion;
    private string? _session;

    public FlashArrayClient(FlashArrayClientOptions options, TimeProvider? time = null, ILogger? log = null)
    {
        _options = options;
        _log = log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _retry = new RetryPolicy(options, time ?? TimeProvider.System, _log);
        var baseUrl = options.BaseUrl.AbsoluteUri.EndsWith('/') ? options.BaseUrl : new Uri(options.BaseUrl.AbsoluteUri + "/");
        _rest = new RestClient(new RestClientOptions(baseUrl)
        {
            Timeout = options.RequestTimeout,
            ThrowOnAnyError = false,
            RemoteCertificateValidationCallback = CertificateCheck(options),
        });
    }

    public string ArrayName => _options.ArrayName;

    /// <summary>The negotiated version, e.g. <c>2.26</c> (after the first call).</summary>
    public async Task<string> GetApiVersionAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
        return _apiVersion!;
    }

    // ---- plumbing shared by the resource files ----

    internal async IAsyncEnumerable<T> ListAsync<T>(string resource, Query query,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = query;
        while (true)
        {
            var response = await SendAsync(Method.Get, resource, page, null, cancellationToken).ConfigureAwait(false);
            var envelope = Read<ListEnvelope<T>>(response);
            var items = envelope?.Items ?? [];
            foreach (var item in items) yield return item;

            var token = envelope?.ContinuationToken ?? ErrorMapping.Header(response, "x-next-token");
            if (string.IsNullOrEmpty(token) || items.Count == 0 || envelope?.MoreItemsRemaining == false) yield break;
            page = query.With("continuation_token", token);
        }
    }

    /// <summary>The named objects, or an empty list when the array says one of them does not exist.</summary>
    internal async Task<List<T>> FindAsync<T>(string resource, Query query, CancellationToken cancellationToken)
    {
        try
        {
            var found = new List<T>();
            await foreach (var item in ListAsync<T>(resource, query, cancellationToken).ConfigureAwait(false)) found.Add(item);
            return found;
        }
        catch (ArrayException e) when (e.Kind == ArrayErrorKind.NotFound)
        {
            return [];
        }
    }

    internal async Task<IReadOnlyList<T>> WriteAsync<T>(Method method, string resource, Query query, object? body,
        CancellationToken cancellationToken)
    {
        var response = await SendAsync(method, resource, query, body ?? new { }, cancellationToken).ConfigureAwait(false);
        return Read<ItemsEnvelope<T>>(response)?.Items ?? [];
    }

    internal Task DeleteAsync(string resource, Query query, CancellationToken cancellationToken) =>
        SendAsync(Method.Delete, resource, query, null, cancellationToken);

    private async Task<RestResponse> SendAsync(Method method, string resource, Query query, object? body,
        CancellationToken cancellationToken)
    {
        await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
        var requestId = Guid.NewGuid().ToString();
        var json = body is null ? null : JsonSerializer.Serialize(body, PureJson.Options);
        var renewed = false;
        while (true)
        {
            var session = _session!;
            var response = await _retry.ExecuteAsync(ct =>
            {
                var request = new RestRequest($"api/{_apiVersion}/{resource}", method);
                request.AddHeader("x-auth-token", session);
                request.AddHeader("X-Request-ID", requestId);
                foreach (var (key, value) in query) request.AddQueryParameter(key, value, encode: false);
                if (json is not null) request.AddStringBody(json, ContentType.Json);
                return _rest.ExecuteAsync(request, ct);
            }, $"{method} {resource}", cancellationToken).ConfigureAwait(false);

            _log.LogDebug("FlashArray {Array}: {Method} {Resource} -> {Status} ({RequestId})",
                _options.ArrayName, method, resource, (int)response.StatusCode, requestId);
            if (response.StatusCode == HttpStatusCode.Unauthorized && !renewed)
            {
                // Sessions expire; log in again once, then give the array's answer.
                renewed = true;
                await LoginAsync(session, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (!response.IsSuccessStatusCode) throw ErrorMapping.ToException(response, _options.ArrayName, requestId);
            return response;
        }
    }

    private async Task EnsureSessionAsync(CancellationToken cancellationToken)
    {
        if (_session is not null) return;
        await LoginAsync(null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Logs in unless another caller already replaced <paramref name="staleSession"/>.</summary>
    private async Task LoginAsync(string? staleSession, CancellationToken cancellationToken)
    {
        await _loginLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_session is not null && _session != staleSession) return;
            _apiVersion ??= await NegotiateVersionAsync(cancellationToken).ConfigureAwait(false);

            var requestId = Guid.NewGuid().ToString();
            var response = await _retry.ExecuteAsync(ct =>
            {
                var request = new RestRequest($"api/{_apiVersion}/login", Method.Post);
                request.AddHeader("api-token", _options.ApiToken);
                request.AddHeader("X-Request-ID", requestId);
                return _rest.ExecuteAsync(request, ct);
            }, "login", cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw ErrorMapping.ToException(response, _options.ArrayName, requestId);
            _session = ErrorMapping.Header(response, "x-auth-token")
                ?? throw new ArrayException(ArrayErrorKind.Unauthorized, "login answered without an x-auth-token header",
                    _options.ArrayName, response.StatusCode, requestId);
            _log.LogInformation("FlashArray {Array}: logged in (REST {Version})", _options.ArrayName, _apiVersion);
        }
        finally
        {
            _loginLock.Release();
        }
    }

    private async Task<string> NegotiateVersionAsync(CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString();
        var response = await _retry.ExecuteAsync(ct =>
        {
            var request = new RestRequest("api/api_version");
            request.AddHeader("X-Request-ID", requestId);
            return _rest.ExecuteAsync(request, ct);
        }, "api_version", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw ErrorMapping.ToException(response, _options.ArrayName, requestId);

        var offered = Read<ApiVersions>(response)?.Version ?? [];
        var best = offered
            .Select(v => Version.TryParse(v, out var parsed) ? parsed : null)
            .Where(v => v is not null && v.Major == 2 && v >= MinimumApiVersion && v <= MaximumApiVersion)
            .Max();
        return best?.ToString(2)
            ?? throw new ArrayException(ArrayErrorKind.InvalidRequest,
                $"the array offers no REST version between {MinimumApiVersion} and {MaximumApiVersion} (offered: {string.Join(", ", offered)})",
                _options.ArrayName, response.StatusCode, requestId);
    }

    private T? Read<T>(RestResponse response)
    {
        if (string.IsNullOrWhiteSpace(response.Content)) return default;
        try
        {
            return JsonSerializer.Deserialize<T>(response.Content, PureJson.Options);
        }
        catch (JsonException e)
        {
            throw new ArrayException(ArrayErrorKind.Unknown, $"unreadable response: {e.Message}", _options.ArrayName,
                response.StatusCode, ErrorMapping.Header(response, "X-Request-ID"), inner: e);
        }
    }

    private static RemoteCertificateValidationCallback? CertificateCheck(FlashArrayClientOptions options)
    {
        if (!options.VerifyTls) return (_, _, _, _) => true;
        if (options.CaBundlePath is null) return null;

        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(options.CaBundlePath);
        return (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None) return true;
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
            // Only the chain failed: try again trusting the configured CA bundle alone.
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
    }

    internal static long ToMilliseconds(TimeSpan span) => (long)span.TotalMilliseconds;

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _rest.Dispose();
        _loginLock.Dispose();
    }
}
