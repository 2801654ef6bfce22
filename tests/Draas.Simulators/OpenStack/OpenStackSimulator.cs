using System.Net;
using Draas.Simulators.OpenStack.Admin;
using Draas.Simulators.OpenStack.BlockStorage;
using Draas.Simulators.OpenStack.Compute;
using Draas.Simulators.OpenStack.Core;
using Draas.Simulators.OpenStack.Identity;
using Draas.Simulators.OpenStack.Image;
using Draas.Simulators.OpenStack.Network;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Draas.Simulators.OpenStack;

/// <summary>The OpenStack simulator: one Kestrel server on 127.0.0.1 serving every site under its own
/// path, <c>/{site}/{identity|compute|volume|image|network}</c>, plus the simulator's admin endpoint
/// under <c>/_sim</c>. Tests start it in-process:
/// <code>
/// await using var sim = await OpenStackSimulator.StartAsync(new() { Clock = fakeClock });
/// var siteA = sim.Site("site-a");   // siteA.Admin has the credentials, siteA.Array the backend volumes
/// </code></summary>
public sealed class OpenStackSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, SimSite> _sites;

    private OpenStackSimulator(WebApplication app, string baseUrl, Dictionary<string, SimSite> sites)
    {
        _app = app;
        BaseUrl = baseUrl;
        _sites = sites;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>The simulator's own admin API (faults, seeding): <c>{BaseUrl}/_sim</c>.</summary>
    public string AdminUrl => $"{BaseUrl}/_sim";

    public IReadOnlyList<SimSite> Sites => [.. _sites.Values];

    /// <summary>Cancelled when the host stops on its own (SIGTERM or Ctrl-C reaches Kestrel's console
    /// lifetime first), so a foreground runner can exit.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    public SimSite Site(string name) => _sites.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"no site '{name}'");

    public static async Task<OpenStackSimulator> StartAsync(OpenStackSimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new OpenStackSimulatorOptions();
        if (options.Sites.Count == 0 || options.Sites.Any(s => s.Length == 0 || s.StartsWith('_') || s.Contains('/')))
            throw new ArgumentException("site names must be non-empty path segments not starting with '_'", nameof(options));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(OpenStackSimulator).Assembly.GetName().Name });
        if (Environment.GetEnvironmentVariable("DRAAS_SIM_LOG") is not "1") builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = 1L << 30;
        });
        var app = builder.Build();

        var sites = new Dictionary<string, SimSite>(StringComparer.Ordinal);
        var index = 0;
        foreach (var name in options.Sites)
        {
            var site = new SimSite(name, options, index++);
            sites[name] = site;
        }
        var faults = new FaultMiddleware(sites, options.RequestLog);
        app.Use(next => http => faults.InvokeAsync(http, next));
        app.UseRouting();
        SimAdminApi.Map(app.MapGroup("/_sim"), sites);
        foreach (var site in sites.Values) MapSite(app.MapGroup("/" + site.Name), site);
        app.MapFallback((HttpContext http) => ApiError.Fault(404, $"The resource could not be found: {http.Request.Method} {http.Request.Path}"));

        await app.StartAsync(cancellationToken);
        // The port is chosen only now; the sites' URLs (catalog, links) follow from it.
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = address.TrimEnd('/');
        foreach (var site in sites.Values) site.BaseUrl = $"{baseUrl}/{site.Name}";
        return new OpenStackSimulator(app, baseUrl, sites);
    }

    private static void MapSite(RouteGroupBuilder root, SimSite site)
    {
        var identity = root.MapGroup("/identity");
        AuthApi.Map(identity, site);
        IdentityResourcesApi.Map(identity, site);
        CatalogApi.Map(identity, site);
        ComputeApi.Map(root.MapGroup("/compute"), site);
        BlockStorageApi.Map(root.MapGroup("/volume"), site);
        ImageApi.Map(root.MapGroup("/image"), site);
        NetworkApi.Map(root.MapGroup("/network"), site);
        Probe.ProbeAgentApi.Map(root, site);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var site in _sites.Values) site.Guests?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
