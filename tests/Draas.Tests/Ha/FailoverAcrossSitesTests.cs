using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.Simulators.OpenStack.Core;
using Draas.Tests.Runs;
using Draas.Tests.Support;

namespace Draas.Tests.Ha;

/// <summary>
/// Issue #9's scenario: a failover run is under way when the site of the DR service's own database
/// vanishes (its PostgreSQL SIGKILLed, its service gone); the replica is promoted, the service at the other
/// site takes over, and the run completes from its last recorded step, each volume promoted and imported once.
/// </summary>
[TestFixture]
[Category(HaClusters.Category)]
[NonParallelizable]
public sealed class FailoverAcrossSitesTests
{
    private const string Admin = TenantInTheLab.Admin;
    private static CancellationToken Ct => CancellationToken.None;

    [Test]
    public async Task A_failover_run_in_flight_when_the_primary_dies_completes_on_the_promoted_side()
    {
        var clusters = HaClusters.FromEnvironment();
        await clusters.ResetAsync();
        var (primaryDb, standbyDb) = await clusters.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["database:role_check_interval"] = "1", ["jobs:invisibility_timeout"] = "10" };
        var t = await TenantInTheLab.StartAsync(database: primaryDb, extra: settings);
        RunningService? promoted = null;
        try
        {
            var volumesAtBBefore = await t.AdminB.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, Ct).Select(v => v.Id).ToListAsync(Ct);
            // A slow Cinder at the recovery site keeps the run under way long enough to lose its primary halfway.
            t.Lab.SiteB.OpenStack.Faults.Set("volume", new ServiceFault { Latency = TimeSpan.FromMilliseconds(1500) });
            // Two imports at a time: when the first is done others still wait (without a cap all five go at once).
            var (status, body, _) = await t.Service.SendAsync(HttpMethod.Post, "/v1/runs", Admin, new { run = new { plan_id = t.Plan, kind = "failover", options = new { max_parallel = 2 } } });
            Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
            var runId = body!["run"]!["id"]!.GetValue<string>();

            // Halfway: some volume is imported at the recovery site, the run is not over.
            await Eventually.WaitForAsync(async () =>
            {
                var run = (await t.Service.SendAsync(HttpMethod.Get, $"/v1/runs/{runId}", Admin)).Body!["run"]!;
                return run["steps"]!.AsArray().Any(s => s!["kind"]!.GetValue<string>() == "import_volume" && s["state"]!.GetValue<string>() == "succeeded") ? run : null;
            }, "the failover to import its first volume", TimeSpan.FromSeconds(120));
            await clusters.WaitForStandbyToReplayAsync();
            await clusters.KillPrimaryAsync();
            await t.Service.DisposeAsync();
            t.Lab.SiteB.OpenStack.Faults.Clear();
            await clusters.PromoteStandbyAsync();
            var replicated = await standbyDb.ScalarAsync<string>("SELECT state FROM runs WHERE id = $1::uuid", runId);
            var importedBefore = await standbyDb.ScalarAsync<long>("SELECT count(*) FROM steps WHERE run_id = $1::uuid AND kind = 'import_volume' AND state = 'succeeded'", runId);
            TestContext.Progress.WriteLine($"[ha] the run was '{replicated}' with {importedBefore} of 5 volumes imported when the primary died");
            Assert.That(replicated, Is.EqualTo("running"), "the run must still be under way when the primary dies");
            Assert.That(importedBefore, Is.InRange(1, 4), "halfway: some volumes imported, not all");

            promoted = await RunningService.StartAsync(settings, sharedDatabase: standbyDb, clock: t.Lab.Clock);
            var final = await Eventually.WaitForAsync(async () =>
            {
                var run = (await promoted.SendAsync(HttpMethod.Get, $"/v1/runs/{runId}", Admin)).Body!["run"]!;
                return run["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" ? run : null;
            }, "the failover run to end on the promoted side", TimeSpan.FromSeconds(180));

            Assert.That(final["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(final));
            var report = (await promoted.SendAsync(HttpMethod.Get, $"/v1/runs/{runId}/report", Admin)).Body!["report"]!.AsObject();
            var shown = report.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
            TestContext.Progress.WriteLine($"[ha] the run's report from the promoted side:\n{shown}");
            // ./tox -e ha prints it at the end.
            var reportFile = Environment.GetEnvironmentVariable("DRAAS_HA_REPORT");
            if (!string.IsNullOrEmpty(reportFile)) await File.WriteAllTextAsync(reportFile, shown);
            var recovered = report["recovered"]!["volumes"]!.AsArray();
            Assert.That(recovered, Has.Count.EqualTo(5));
            Assert.That(recovered.Select(v => v!["source_id"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(5));
            // Imported once: the recovery site holds exactly one new Cinder volume per protected volume.
            var volumesAtB = await t.AdminB.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, Ct).Select(v => v.Id).ToListAsync(Ct);
            Assert.That(volumesAtB.Except(volumesAtBBefore).Order(), Is.EqualTo(recovered.Select(v => v!["volume_id"]!.GetValue<string>()).Order()));
            // Promoted once: every promote step succeeded on its first or a retried attempt of the same step, no extra steps.
            var promotes = final["steps"]!.AsArray().Where(s => s!["kind"]!.GetValue<string>() == "promote_volume").ToList();
            Assert.That(promotes, Has.Count.EqualTo(5));
            Assert.That(promotes.Select(s => s!["target"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(5));
        }
        finally
        {
            if (promoted is not null) await promoted.DisposeAsync();
            t.TenantA.Dispose();
            t.AdminB.Dispose();
            await t.Lab.DisposeAsync();
        }
    }
}
