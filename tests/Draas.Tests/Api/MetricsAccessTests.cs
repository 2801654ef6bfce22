using System.Net;
using System.Net.Sockets;
using Draas.Tests.Support;

namespace Draas.Tests.Api;

/// <summary>
/// /metrics shows every plan's id, lag and RPO state, so it is not open on the API port: there a caller needs
/// a token that policy draas:metrics:get allows (an admin, or the metrics role). Prometheus, which carries no
/// Keystone token, scrapes a separate listener the operator binds where only the scrapers reach
/// ([api] metrics_bind_host/port), which serves /metrics and nothing else.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MetricsAccessTests
{
    private const string Scraper = "gAAAAAprometheus-scraper";
    private const string Member = "gAAAAAplain-member";
    private RunningService _service = null!;
    private int _metricsPort;

    [OneTimeSetUp]
    public async Task Start()
    {
        _metricsPort = FreePort();
        _service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            ["api:metrics_bind_host"] = "127.0.0.1",
            ["api:metrics_bind_port"] = _metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _service.Keystone.AddToken(Scraper, "prometheus", "prometheus", "5c4a9e0b1f3d4e6a8b7c9d0e1f2a3b4c", ["metrics"]);
        _service.Keystone.AddToken(Member, "alice", "alice", "5c4a9e0b1f3d4e6a8b7c9d0e1f2a3b4c", ["member", "reader"]);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    [Test]
    public async Task On_the_API_port_metrics_need_an_admin_or_a_metrics_token_and_only_GET()
    {
        var (anonymous, anonymousBody, _) = await _service.SendAsync(HttpMethod.Get, "/metrics", token: null);
        var (member, _, _) = await _service.SendAsync(HttpMethod.Get, "/metrics", Member);
        var (scraper, scraped, _) = await _service.SendAsync(HttpMethod.Get, "/metrics", Scraper);
        var (admin, _, _) = await _service.SendAsync(HttpMethod.Get, "/metrics", KeystoneStandIn.AdminToken);
        var (posted, postedBody, _) = await _service.SendAsync(HttpMethod.Post, "/metrics", KeystoneStandIn.AdminToken, "{}");
        var (postedAnonymously, _, _) = await _service.SendAsync(HttpMethod.Post, "/metrics", token: null, "{}");
        Assert.Multiple(() =>
        {
            Assert.That(anonymous, Is.EqualTo(401));
            Assert.That(anonymousBody?["unauthorized"]?["code"]?.GetValue<int>(), Is.EqualTo(401), "an OpenStack fault");
            Assert.That(member, Is.EqualTo(403), "a project member does not see every plan's figures");
            Assert.That(scraper, Is.EqualTo(200));
            Assert.That(scraped?.ToString(), Does.Contain("# TYPE"), "Prometheus text");
            Assert.That(admin, Is.EqualTo(200));
            Assert.That(posted, Is.EqualTo(405));
            Assert.That(postedBody?["badMethod"]?["code"]?.GetValue<int>(), Is.EqualTo(405));
            Assert.That(postedAnonymously, Is.EqualTo(401));
        });
    }

    [Test]
    public async Task The_metrics_listener_serves_metrics_without_a_token_and_nothing_else()
    {
        using var scrape = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_metricsPort}") };
        using var metrics = await scrape.GetAsync("/metrics");
        using var sites = await scrape.GetAsync("/v1/sites");
        using var health = await scrape.GetAsync("/healthz");
        Assert.Multiple(() =>
        {
            Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(sites.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the API is not on the scrapers' listener");
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
        Assert.That(await metrics.Content.ReadAsStringAsync(), Does.Contain("# TYPE"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
