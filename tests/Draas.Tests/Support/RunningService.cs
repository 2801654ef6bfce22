using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Draas.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Support;

/// <summary>
/// The real service (Kestrel on 127.0.0.1, real PostgreSQL, real Hangfire workers) against a fresh
/// database and a Keystone stand-in: what a test talks to over HTTP.
/// </summary>
public sealed class RunningService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsDatabase;

    public TestDatabase Database { get; }

    public KeystoneStandIn Keystone { get; }

    public HttpClient Http { get; }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    private RunningService(WebApplication app, TestDatabase database, bool ownsDatabase, KeystoneStandIn keystone, Uri baseAddress)
    {
        _app = app;
        _ownsDatabase = ownsDatabase;
        Database = database;
        Keystone = keystone;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <param name="sharedDatabase">Another service's database, to run several processes against one.</param>
    /// <param name="clock">The service's clock, e.g. a simulator's, so lag and timeouts follow simulated time.</param>
    /// <param name="configure">More service registrations, e.g. a logger provider that captures what the service logs.</param>
    public static async Task<RunningService> StartAsync(IDictionary<string, string?>? extra = null, string role = "all", TestDatabase? sharedDatabase = null, TimeProvider? clock = null,
        Action<IServiceCollection>? configure = null)
    {
        var database = sharedDatabase ?? await TestDatabase.CreateMigratedAsync();
        var keystone = new KeystoneStandIn();
        var overrides = Settings(database, keystone);
        overrides["keystone_authtoken:http_connect_timeout"] = "5";
        overrides["api:bind_host"] = "127.0.0.1";
        overrides["api:bind_port"] = "0";
        overrides["jobs:workers"] = "2";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) overrides[key] = value;
        var app = ServiceHost.Build([], configFile: null, role, overrides, services =>
        {
            if (clock is not null) services.AddSingleton(clock);
            configure?.Invoke(services);
        }, storagePlugins: Draas.Host.BuiltInPlugins.Add);
        await ServiceHost.StartAsync(app, CancellationToken.None);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningService(app, database, sharedDatabase is null, keystone, new Uri(address));
    }

    /// <summary>What every test's service is configured with, in process or as its own (<see cref="ServiceProcess"/>):
    /// its database, the Keystone stand-in, no policy file, quick job pickup, and the probe secret the lab's
    /// probe agent (the product's) wants from its callers.</summary>
    public static Dictionary<string, string?> Settings(TestDatabase database, KeystoneStandIn keystone) => new()
    {
        ["database:connection"] = database.ConnectionString,
        ["keystone_authtoken:auth_url"] = keystone.AuthUrl,
        ["keystone_authtoken:password"] = KeystoneStandIn.ServicePassword,
        ["api:policy_file"] = "/nonexistent/policy.yaml",
        ["jobs:poll_interval_ms"] = "100",
        ["probe:secret"] = LabProbeAgent.Secret,
    };

    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? token, object? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Add("X-Auth-Token", token);
        if (body is not null)
        {
            request.Content = body switch
            {
                string raw => new StringContent(raw, Encoding.UTF8),
                byte[] bytes => new ByteArrayContent(bytes),
                _ => JsonContent.Create(body),
            };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            // Like curl with a large upload: wait for the server's verdict before sending the body.
            if (request.Content.Headers.ContentLength > 1024 * 1024) request.Headers.ExpectContinue = true;
        }
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0)
        {
            try { json = JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { json = JsonValue.Create(text); }
        }
        return ((int)response.StatusCode, json, response);
    }

    /// <summary>Stops this service's process-local host but keeps its database and Keystone stand-in,
    /// so another service process can take over the same state.</summary>
    public async Task StopHostAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Keystone.Dispose();
        if (_ownsDatabase) await Database.DisposeAsync();
    }
}
