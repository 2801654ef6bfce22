using Draas.OpenStack.BlockStorage;
using Draas.OpenStack.Compute;
using Draas.OpenStack.Core;
using Draas.OpenStack.Image;
using Draas.OpenStack.Networking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RestSharp;

namespace Draas.OpenStack.Identity;

/// <summary>
/// A Keystone v3 session for one site's service account: authenticates, caches the token until
/// it is near expiry, re-authenticates when a service rejects it, finds endpoints in the catalog,
/// and hands out one client per service (each with its own reused RestClient). Thread-safe.
/// </summary>
/// <example>
/// var session = new KeystoneSession(options, TimeProvider.System, loggerFactory);
/// var cinder = session.BlockStorage;
/// await foreach (var volume in cinder.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, ct)) …
/// </example>
public sealed class KeystoneSession : IAuthTokenSource, IDisposable
{
    readonly KeystoneSessionOptions _options;
    readonly RetryPolicy _retry;
    readonly ILoggerFactory _loggers;
    readonly ILogger _logger;
    readonly ServiceClient _keystone;
    readonly SemaphoreSlim _authLock = new(1, 1);
    readonly Lazy<IdentityClient> _identity;
    readonly Lazy<ComputeClient> _compute;
    readonly Lazy<BlockStorageClient> _blockStorage;
    readonly Lazy<ImageClient> _image;
    readonly Lazy<NetworkingClient> _networking;
    readonly System.Collections.Concurrent.ConcurrentBag<ServiceClient> _clients = [];
    CachedToken? _cached; // read with Volatile, swapped with Interlocked

    public KeystoneSession(KeystoneSessionOptions options, TimeProvider? time = null, ILoggerFactory? loggers = null,
        RetryPolicyOptions? retry = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException("invalid Keystone options: " + string.Join("; ", problems), nameof(options));
        _options = options;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<KeystoneSession>();
        Time = time ?? TimeProvider.System;
        _retry = new RetryPolicy(retry ?? new RetryPolicyOptions(), Time, _loggers.CreateLogger<RetryPolicy>());
        var authUrl = V3Root(options.AuthUrl);
        // The identity API is reached at the auth URL itself: catalogs often list Keystone without
        // its version ("http://host:5000") or under a prefix, while the auth URL is known to be v3.
        _keystone = NewClient(ServiceApi.Identity, auth: null, _ => Task.FromResult(authUrl));
        var keystoneAsService = NewClient(ServiceApi.Identity, this, _ => Task.FromResult(authUrl));
        _identity = new(() => new IdentityClient(keystoneAsService));
        _compute = new(() => new ComputeClient(NewServiceClient(ServiceApi.Compute)));
        _blockStorage = new(() => new BlockStorageClient(NewServiceClient(ServiceApi.BlockStorage)));
        _image = new(() => new ImageClient(NewServiceClient(ServiceApi.Image)));
        _networking = new(() => new NetworkingClient(NewServiceClient(ServiceApi.Networking)));
    }

    public TimeProvider Time { get; }

    public IdentityClient Identity => _identity.Value;
    public ComputeClient Compute => _compute.Value;
    public BlockStorageClient BlockStorage => _blockStorage.Value;
    public ImageClient Image => _image.Value;
    public NetworkingClient Networking => _networking.Value;

    /// <summary>The current token's body: user, project, roles and catalog.</summary>
    public async Task<Token> GetTokenInfoAsync(CancellationToken ct) => (await CurrentAsync(ct).ConfigureAwait(false)).Body;

    public async Task<string> GetTokenAsync(CancellationToken ct) => (await CurrentAsync(ct).ConfigureAwait(false)).Id;

    public void Invalidate(string token)
    {
        // Only the rejected token is forgotten: another caller may already have put a fresh one in its place.
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && cached.Id == token) Interlocked.CompareExchange(ref _cached, null, cached);
    }

    /// <summary>The endpoint of <paramref name="serviceType"/> for this session's interface and region.</summary>
    public async Task<Uri> GetEndpointAsync(string serviceType, CancellationToken ct)
    {
        var token = await CurrentAsync(ct).ConfigureAwait(false);
        return ServiceCatalog.FindEndpoint(token.Body.Catalog, serviceType, _options.Interface, _options.Region);
    }

    /// <summary>A client for a service type this library has no typed client for (e.g. "disaster-recovery"); the session disposes it.</summary>
    public ServiceClient NewServiceClient(ServiceApi api) =>
        NewClient(api, this, ct => GetEndpointAsync(api.CatalogType, ct));

    ServiceClient NewClient(ServiceApi api, IAuthTokenSource? auth, Func<CancellationToken, Task<Uri>> endpoint)
    {
        var client = new ServiceClient(api, auth, endpoint, _retry, _loggers.CreateLogger("Draas.OpenStack." + api.CatalogType), _options.RequestTimeout)
        {
            NegotiatesMicroversion = _options.NegotiateMicroversions && api.DefaultMicroversion is not null,
        };
        _clients.Add(client);
        return client;
    }

    /// <summary>
    /// clouds.yaml usually names Keystone without its version ("http://host:5000", "http://host/identity");
    /// this client speaks v3 only, so the version is added rather than discovered.
    /// </summary>
    internal static Uri V3Root(string authUrl)
    {
        var trimmed = authUrl.TrimEnd('/');
        return new Uri((trimmed.EndsWith("/v3", StringComparison.Ordinal) ? trimmed : trimmed + "/v3") + "/");
    }

    async Task<CachedToken> CurrentAsync(CancellationToken ct)
    {
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && IsFresh(cached)) return cached;
        await _authLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            cached = Volatile.Read(ref _cached);
            if (cached is not null && IsFresh(cached)) return cached;
            var fresh = await AuthenticateAsync(ct).ConfigureAwait(false);
            Volatile.Write(ref _cached, fresh);
            return fresh;
        }
        finally
        {
            _authLock.Release();
        }
    }

    bool IsFresh(CachedToken token) => Time.GetUtcNow() < token.RenewAt;

    async Task<CachedToken> AuthenticateAsync(CancellationToken ct)
    {
        var request = new OpenStackRequest(Method.Post, "auth/tokens") { Body = AuthRequest.Build(_options).ToJsonString() };
        var response = await _keystone.SendAsync(request, ct).ConfigureAwait(false);
        var id = ServiceClient.Header(response, "X-Subject-Token")
            ?? throw new OpenStackException("identity", "POST", response.ResponseUri?.ToString() ?? "auth/tokens",
                response.StatusCode, "Keystone issued a token without X-Subject-Token", null);
        var body = ServiceClient.Read<Token>("identity", response, "token");
        // Never the token itself: a log line must not let a reader act as the service.
        _logger.LogInformation("authenticated as {User} ({UserId}) scoped to project {Project}, expires {ExpiresAt:O}",
            body.User.Name, body.User.Id, body.Project?.Name ?? body.Domain?.Name, body.ExpiresAt);
        // Renew inside the margin, but never sooner than half the token's life: a cloud issuing
        // short tokens (shorter than twice the margin) would otherwise make every call authenticate.
        var now = Time.GetUtcNow();
        var margin = TimeSpan.FromTicks(Math.Min(_options.ExpiryMargin.Ticks, Math.Max(0, (body.ExpiresAt - now).Ticks / 2)));
        return new CachedToken(id, body, body.ExpiresAt - margin);
    }

    /// <summary>Disposes every client this session handed out (their RestClients and connections).</summary>
    public void Dispose()
    {
        foreach (var client in _clients) client.Dispose();
        _authLock.Dispose();
    }

    sealed class CachedToken(string id, Token body, DateTimeOffset renewAt)
    {
        public string Id { get; } = id;
        public Token Body { get; } = body;
        public DateTimeOffset RenewAt { get; } = renewAt;
        public override string ToString() => $"token for {Body.User.Name}, expires {Body.ExpiresAt:O}";
    }
}
