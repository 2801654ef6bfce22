using Draas.OpenStack.BlockStorage.Volumes;
using Draas.Simulators.OpenStack;
using Draas.Tests.Support;

namespace Draas.Tests.Runs;

/// <summary>
/// A site-wide failover must not queue behind its own waits: a step that asked Cinder to manage a volume
/// parks until Cinder lists it available, and its worker goes on to the next step. With one worker for the
/// drill, Cinder at the recovery site manages several of the tenant's volumes at once.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class WaitsHoldNoWorkerTests
{
    private TenantInTheLab _t = null!;

    // Cinder takes 5 lab minutes (15 s of real time) to manage a volume; the service has one worker
    // for the drills queue (and one for failovers).
    [OneTimeSetUp]
    public async Task Start() => _t = await TenantInTheLab.StartAsync(new SimDelays { VolumeManage = TimeSpan.FromMinutes(5) },
        extra: new Dictionary<string, string?> { ["jobs:workers"] = "1", ["jobs:failover_workers"] = "1" });

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    [Test]
    public async Task One_worker_has_several_imports_managed_at_once_because_a_waiting_import_holds_no_worker()
    {
        var (status, created, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin,
            new { run = new { plan_id = _t.Plan, kind = "drill", options = new { max_parallel = 5 } } });
        Assert.That(status, Is.EqualTo(202), created?.ToJsonString());

        // Each import that held its worker while Cinder managed would leave one volume being managed at a time.
        var seen = "";
        int? managing;
        try
        {
            managing = await Eventually.WaitForAsync(async () =>
            {
                var volumes = await _t.AdminB.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, CancellationToken.None).ToListAsync();
                seen = string.Join(", ", volumes.Select(v => $"{v.Name}:{v.Status}"));
                var count = volumes.Count(v => v.Status is "creating" or "managing");
                return count >= 3 ? (int?)count : null;
            }, "three imports managed at once by one worker", TimeSpan.FromSeconds(45));
        }
        catch (AssertionException)
        {
            var run = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs/{created!["run"]!["id"]}", TenantInTheLab.Admin)).Body!["run"]!;
            throw new AssertionException($"volumes at site-b: {seen}\n{TenantInTheLab.Describe(run)}\n{await _t.FailedJobsAsync()}");
        }
        Assert.That(managing, Is.GreaterThanOrEqualTo(3));

        var parked = await _t.Service.Database.ScalarAsync<long>(
            "SELECT count(*) FROM steps WHERE kind = 'import_volume' AND state = 'running' AND waiting_for IS NOT NULL");
        Assert.That(parked, Is.GreaterThanOrEqualTo(3), "the waiting imports are parked in the database, each with its wait");

        // What the operator's dashboard sees: parked steps are told apart from steps a worker is running.
        var (_, _, scrape) = await _t.Service.SendAsync(HttpMethod.Get, "/metrics", TenantInTheLab.Admin);
        var metrics = await scrape.Content.ReadAsStringAsync();
        double Gauge(string state) => double.Parse(System.Text.RegularExpressions.Regex.Match(metrics, $"draas_steps_in_flight\\{{state=\"{state}\"\\}} ([0-9.]+)").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(Gauge("parked"), Is.GreaterThanOrEqualTo(3), metrics);
    }
}
