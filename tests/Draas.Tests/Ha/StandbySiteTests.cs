using System.Text.Json.Nodes;
using Draas.Api.Jobs;
using Draas.Tests.Support;
using Draas.Workflows.Protection;
using Draas.Workflows.Runs;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Ha;

/// <summary>
/// The DR service at the second site: started against the streaming replica of its database, it reads,
/// refuses changes with 503 and runs no jobs; once the replica is promoted it becomes active by itself.
/// Each test gets a fresh primary and replica from ./tox -e ha.
/// </summary>
[TestFixture]
[Category(HaClusters.Category)]
[NonParallelizable]
public sealed class StandbySiteTests
{
    private const string Admin = KeystoneStandIn.AdminToken;
    private const string SiteUser = "site-admin-ha";
    private const string SitePassword = "ha-site-password";
    private const int InvisibilitySeconds = 10;

    /// <summary>The recurring jobs every active process registers.</summary>
    private static readonly string[] ClusterSchedules = [ReplicationMonitorJob.RecurringId, ScheduledDrillsJob.RecurringId, Draas.Workflows.Notifications.NotificationDelivery.RecurringId];

    private HaClusters _clusters = null!;
    private KeystoneStandIn _siteKeystone = null!;
    private readonly List<RunningService> _services = [];

    [SetUp]
    public async Task FreshClusters()
    {
        _clusters = HaClusters.FromEnvironment();
        await _clusters.ResetAsync();
        // The protected site's Keystone: outlives both services, accepts the password stored encrypted.
        _siteKeystone = new KeystoneStandIn();
        _siteKeystone.AcceptPassword(SiteUser, SitePassword);
    }

    [TearDown]
    public async Task StopServices()
    {
        foreach (var service in _services) await service.DisposeAsync();
        _services.Clear();
        _siteKeystone.Dispose();
    }

    private async Task<RunningService> StartAsync(TestDatabase database, string role = "all")
    {
        var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            ["database:role_check_interval"] = "1",
            ["jobs:invisibility_timeout"] = InvisibilitySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, role, database);
        _services.Add(service);
        return service;
    }

    private async Task StopAsync(RunningService service)
    {
        _services.Remove(service);
        await service.DisposeAsync();
    }

    private async Task<string> CreateSiteAsync(RunningService service, string name)
    {
        var (status, body, _) = await service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, new
        {
            site = new { name, auth_url = _siteKeystone.AuthUrl, username = SiteUser, project_name = "admin", password = SitePassword },
        });
        Assert.That(status, Is.EqualTo(201), body?.ToJsonString());
        return body!["site"]!["id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> HealthAsync(RunningService service)
    {
        var (status, body, _) = await service.SendAsync(HttpMethod.Get, "/healthz", token: null);
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        return body!;
    }

    private static async Task<JsonObject> LastCheckAsync(RunningService service, string siteId) =>
        await Eventually.WaitForAsync(async () =>
            (await service.SendAsync(HttpMethod.Get, $"/v1/sites/{siteId}", Admin)).Body!["site"]!["last_check"] as JsonObject,
            "the site check job to record its result", TimeSpan.FromSeconds(60));

    /// <summary>
    /// The primary site's service (api only, so nothing runs the job) records a site and asks for a check;
    /// then it stops, and the replica has replayed it all.
    /// </summary>
    private async Task<(TestDatabase Standby, string SiteId)> PrimaryWithAQueuedCheckAsync(bool clearSchedules = false)
    {
        var (primaryDb, standbyDb) = await _clusters.CreateDatabaseAsync();
        var primary = await StartAsync(primaryDb, role: "api");
        var siteId = await CreateSiteAsync(primary, "site-a");
        var (status, body, _) = await primary.SendAsync(HttpMethod.Post, $"/v1/sites/{siteId}/action", Admin, new { check = new { } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        // So that a schedule seen after promotion is one the promoted side registered itself.
        if (clearSchedules)
        {
            foreach (var id in ClusterSchedules) primary.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(id);
        }
        await StopAsync(primary);
        await _clusters.WaitForStandbyToReplayAsync();
        return (standbyDb, siteId);
    }

    [Test]
    public async Task Against_a_standby_the_service_serves_reads_refuses_changes_with_503_and_runs_no_jobs()
    {
        var (standbyDb, siteId) = await PrimaryWithAQueuedCheckAsync();

        var standby = await StartAsync(standbyDb);

        var health = await HealthAsync(standby);
        Assert.That(health["ha_role"]!.GetValue<string>(), Is.EqualTo("standby"), health.ToJsonString());
        Assert.That(health["job_servers"]!.GetValue<string>(), Is.EqualTo("stopped"));
        Assert.That(health["checks"]!["database"]!.GetValue<string>(), Is.EqualTo("ok"));
        Assert.That(health["checks"]!["job_storage"]!.GetValue<string>(), Is.EqualTo("ok"));

        var (listStatus, list, _) = await standby.SendAsync(HttpMethod.Get, "/v1/sites", Admin);
        Assert.That(listStatus, Is.EqualTo(200), list?.ToJsonString());
        Assert.That(list!["sites"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()), Is.EqualTo(new[] { siteId }));
        var (showStatus, shown, _) = await standby.SendAsync(HttpMethod.Get, $"/v1/sites/{siteId}", Admin);
        Assert.That(showStatus, Is.EqualTo(200));
        Assert.That(shown!["site"]!["name"]!.GetValue<string>(), Is.EqualTo("site-a"));
        Assert.That((await standby.SendAsync(HttpMethod.Get, "/v1/events", Admin)).Status, Is.EqualTo(200));

        var changes = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Post, "/v1/sites", new { site = new { name = "site-b", auth_url = _siteKeystone.AuthUrl, username = SiteUser, project_name = "admin", password = SitePassword } }),
            (HttpMethod.Post, $"/v1/sites/{siteId}/action", new { check = new { } }),
            (HttpMethod.Put, $"/v1/sites/{siteId}", new { site = new { description = "changed" } }),
            (HttpMethod.Delete, $"/v1/sites/{siteId}", null),
            (HttpMethod.Post, "/v1/protections", new { protection = new { } }),
        };
        foreach (var (method, path, body) in changes)
        {
            var (status, fault, response) = await standby.SendAsync(method, path, Admin, body);
            Assert.That(status, Is.EqualTo(503), $"{method} {path}: {fault?.ToJsonString()}");
            Assert.That(fault!["serviceUnavailable"]!["code"]!.GetValue<int>(), Is.EqualTo(503));
            Assert.That(fault["serviceUnavailable"]!["message"]!.GetValue<string>(), Does.Contain("read-only standby").And.Contain("promoted"));
            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
        }

        // The check the primary queued is not taken: nothing here runs jobs, nothing registers as a server.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(standby.Services.GetRequiredService<JobServers>().Running, Is.False);
        Assert.That(await standbyDb.ScalarAsync<long>("SELECT count(*) FROM hangfire.server"), Is.Zero);
        Assert.That(await standbyDb.ScalarAsync<string>("SELECT statename FROM hangfire.job ORDER BY id DESC LIMIT 1"), Is.EqualTo("Enqueued"));
        Assert.That((await standby.SendAsync(HttpMethod.Get, $"/v1/sites/{siteId}", Admin)).Body!["site"]!["last_check"], Is.Null);
        Assert.That(await standbyDb.ScalarAsync<bool>("SELECT pg_is_in_recovery()"), Is.True);
    }

    [Test]
    public async Task Once_the_standby_is_promoted_the_service_becomes_active_by_itself_takes_changes_and_runs_jobs()
    {
        var (standbyDb, siteId) = await PrimaryWithAQueuedCheckAsync(clearSchedules: true);
        var standby = await StartAsync(standbyDb);
        Assert.That((await HealthAsync(standby))["ha_role"]!.GetValue<string>(), Is.EqualTo("standby"));
        Assert.That(await standbyDb.ScalarAsync<long>("SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs'"), Is.Zero);

        await _clusters.PromoteStandbyAsync();

        var health = await Eventually.WaitForAsync(async () =>
        {
            var h = await HealthAsync(standby);
            return h["ha_role"]!.GetValue<string>() == "active" ? h : null;
        }, "the service to notice the promotion", TimeSpan.FromSeconds(30));
        Assert.That(health["job_servers"]!.GetValue<string>(), Is.EqualTo("running"), health.ToJsonString());

        // The check the primary queued before the switch runs here, with the site's password decrypted by
        // the Data Protection keys the primary wrote into the database.
        var check = await LastCheckAsync(standby, siteId);
        Assert.That(check["ok"]!.GetValue<bool>(), Is.True, check.ToJsonString());
        Assert.That(check["message"]!.GetValue<string>(), Is.EqualTo("authenticated"));

        // Changes are taken again, and the cluster-wide schedule is registered by the promoted side.
        var newSite = await CreateSiteAsync(standby, "site-b");
        Assert.That((await standby.SendAsync(HttpMethod.Get, $"/v1/sites/{newSite}", Admin)).Status, Is.EqualTo(200));
        foreach (var id in ClusterSchedules)
            Assert.That(await standbyDb.ScalarAsync<long>("SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = $1", id), Is.EqualTo(1), id);
        Assert.That(await standbyDb.ScalarAsync<long>("SELECT count(*) FROM hangfire.server"), Is.EqualTo(2));
    }

    [Test]
    public async Task What_the_primary_wrote_before_it_was_killed_is_served_by_the_promoted_side()
    {
        var (primaryDb, standbyDb) = await _clusters.CreateDatabaseAsync();
        var primary = await StartAsync(primaryDb);
        var siteId = await CreateSiteAsync(primary, "site-a");
        await primary.SendAsync(HttpMethod.Post, $"/v1/sites/{siteId}/action", Admin, new { check = new { } });
        var checkedOnPrimary = await LastCheckAsync(primary, siteId);
        Assert.That(checkedOnPrimary["ok"]!.GetValue<bool>(), Is.True, checkedOnPrimary.ToJsonString());
        await _clusters.WaitForStandbyToReplayAsync();

        // The primary site vanishes: its PostgreSQL dies with SIGKILL, its service with it.
        await _clusters.KillPrimaryAsync();
        await StopAsync(primary);
        await _clusters.PromoteStandbyAsync();

        var promoted = await StartAsync(standbyDb);
        var health = await HealthAsync(promoted);
        Assert.That(health["ha_role"]!.GetValue<string>(), Is.EqualTo("active"), health.ToJsonString());

        var site = (await promoted.SendAsync(HttpMethod.Get, $"/v1/sites/{siteId}", Admin)).Body!["site"]!;
        Assert.That(site["name"]!.GetValue<string>(), Is.EqualTo("site-a"));
        Assert.That(site["last_check"]!["ok"]!.GetValue<bool>(), Is.True);
        var events = (await promoted.SendAsync(HttpMethod.Get, $"/v1/events?resource_id={siteId}", Admin)).Body!["events"]!.AsArray();
        Assert.That(events.Select(e => e!["action"]!.GetValue<string>()), Does.Contain("site.check"));

        // A new check on the promoted side decrypts the password the old primary stored.
        var (status, body, _) = await promoted.SendAsync(HttpMethod.Post, $"/v1/sites/{siteId}/action", Admin, new { check = new { } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        await Eventually.WaitForAsync(async () =>
            await standbyDb.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE action = 'site.check' AND outcome = 'success'") == 2 ? "yes" : null,
            "the second site check to succeed on the promoted side", TimeSpan.FromSeconds(60));
    }

    [Test]
    public async Task A_job_in_flight_when_the_primary_is_killed_is_taken_again_by_the_promoted_side()
    {
        var (primaryDb, standbyDb) = await _clusters.CreateDatabaseAsync();
        var primary = await StartAsync(primaryDb);
        var marker = Guid.NewGuid().ToString("N");
        var jobId = primary.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<InFlightJob>(job => job.RunAsync(marker, CancellationToken.None));
        await Eventually.WaitForAsync(() => Task.FromResult(InFlightJob.ExecutionsOf(marker) == 1 ? "running" : null), "the job to start on the primary side");
        await _clusters.WaitForStandbyToReplayAsync();

        await _clusters.KillPrimaryAsync();
        await StopAsync(primary); // its worker is cancelled with the job in hand; nothing it says reaches a database
        await _clusters.PromoteStandbyAsync();
        var promoted = await StartAsync(standbyDb);

        // The replicated queue still shows the job as fetched by the dead worker; once its heartbeat is
        // older than the invisibility timeout, a worker of the promoted side takes it and completes it.
        await Eventually.WaitForAsync(() => Task.FromResult(InFlightJob.ExecutionsOf(marker) >= 2 ? "taken again" : null),
            "the promoted side to take the job again", TimeSpan.FromSeconds(InvisibilitySeconds * 6));
        await Eventually.WaitForAsync(async () =>
            await standbyDb.ScalarAsync<string>("SELECT statename FROM hangfire.job WHERE id = $1", long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture)) == "Succeeded" ? "yes" : null,
            "the job to succeed on the promoted side");
        Assert.That(InFlightJob.ExecutionsOf(marker), Is.EqualTo(2));
        Assert.That((await HealthAsync(promoted))["ha_role"]!.GetValue<string>(), Is.EqualTo("active"));
    }
}
