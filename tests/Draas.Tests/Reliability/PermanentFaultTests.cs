using System.Text.Json.Nodes;
using Draas.Tests.Runs;

namespace Draas.Tests.Reliability;

/// <summary>
/// A permanent fault at each of four steps (the recovery array refuses a copy, Cinder refuses an import,
/// Nova cannot boot, a recovered server fails its health check): a failover fails on that step kind with
/// the cause in its error, and a drill under the same fault fails there too and still leaves the recovery
/// site and both arrays exactly as it found them.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PermanentFaultTests
{
    private static CancellationToken Ct => CancellationToken.None;

    private TenantInTheLab _t = null!;
    private ReliabilityFigures _figures = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _t = await TenantInTheLab.StartAsync();
        _figures = new ReliabilityFigures("permanent faults");
        // Failed failovers keep what they made (an operator decides); leave room in the recovery project for all of them.
        var project = _t.Lab.SiteB.OpenStack.ProjectId("demo");
        await _t.AdminB.Compute.Admin.UpdateQuotasAsync(project, new Dictionary<string, int> { ["instances"] = 100, ["cores"] = 400, ["ram"] = 1_000_000 }, Ct);
        await _t.AdminB.BlockStorage.Admin.UpdateQuotasAsync(project, new Dictionary<string, int> { ["volumes"] = 100, ["gigabytes"] = 10_000 }, Ct);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _figures.Print();
        await _t.DisposeAsync();
    }

    [Test, Order(1)]
    public Task When_the_recovery_array_refuses_to_copy_a_volume_the_run_fails_on_its_promote_with_the_arrays_message() =>
        UnderFaultAsync("promote_volume", _t.Volumes["app-data"], "legal hold",
            () => _t.Lab.FlashArray.Admin.RefuseCopiesAsync("array-b", $".volume-{_t.Volumes["app-data"]}-cinder", "Copy refused: the source snapshot is on legal hold.", Ct),
            () => _t.Lab.FlashArray.Admin.AllowCopiesAsync("array-b", Ct));

    [Test, Order(2)]
    public Task When_cinder_refuses_to_import_a_volume_the_run_fails_on_its_import_with_cinders_status() =>
        UnderFaultAsync("import_volume", _t.Volumes["app-data"], "could not import",
            () =>
            {
                _t.Lab.SiteB.OpenStack.Faults.ManageFailures["app-data"] = true;
                return Task.CompletedTask;
            },
            () =>
            {
                _t.Lab.SiteB.OpenStack.Faults.ManageFailures.Clear();
                return Task.CompletedTask;
            });

    [Test, Order(3)]
    public Task When_nova_cannot_boot_the_servers_the_run_fails_on_the_boots_with_novas_fault() =>
        UnderFaultAsync("boot_server", _t.Servers["web"], "No valid host was found",
            () =>
            {
                _t.Lab.SiteB.OpenStack.FailServerBuilds = "No valid host was found. There are not enough hosts available.";
                return Task.CompletedTask;
            },
            () =>
            {
                _t.Lab.SiteB.OpenStack.FailServerBuilds = null;
                return Task.CompletedTask;
            });

    [Test, Order(4)]
    public Task When_a_recovered_server_does_not_answer_its_health_check_the_run_fails_on_that_check_naming_the_port() =>
        // The simulated guest's services stop when its server carries sim:unhealthy: set on web at site A, the
        // next capture carries it into the manifest and the recovered web has it too; the product's probe
        // agent then finds nothing listening on web's address.
        UnderFaultAsync("health_check", null, "http check on port 80",
            async () =>
            {
                await _t.TenantA.Compute.Servers.UpdateMetadataAsync(_t.Servers["web"], new Dictionary<string, string> { ["sim:unhealthy"] = "true" }, Ct);
                await _t.ProtectAsync();
            },
            async () =>
            {
                var metadata = (await _t.TenantA.Compute.Servers.GetMetadataAsync(_t.Servers["web"], Ct)).Where(m => m.Key != "sim:unhealthy").ToDictionary();
                await _t.TenantA.Compute.Servers.ReplaceMetadataAsync(_t.Servers["web"], metadata, Ct);
                await _t.ProtectAsync();
            });

    /// <summary>A drill, then a failover, under one permanent fault: both fail on <paramref name="kind"/>
    /// (for <paramref name="target"/>, when given) with <paramref name="cause"/> in the error; the drill
    /// leaves nothing behind.</summary>
    private async Task UnderFaultAsync(string kind, string? target, string cause, Func<Task> inject, Func<Task> clear)
    {
        var injectedBefore = await LabFaults.InjectedAsync(_t.Lab);
        var before = await RecoveryAudit.InventoryAsync(_t);
        await inject();
        JsonNode drill, failover;
        try
        {
            drill = await _t.RunAsync("drill", new { validation_retries = 1 }, timeoutSeconds: 240);
            var afterDrill = await RecoveryAudit.InventoryAsync(_t);
            failover = await _t.RunAsync("failover", new { validation_retries = 1 }, timeoutSeconds: 240);
            _figures.Runs += 2;
            var left = RecoveryAudit.Difference(before, afterDrill);
            _figures.Leftovers += left.Count;
            Assert.That(left, Is.Empty, "the drill left the recovery site and the arrays as it found them");
        }
        finally
        {
            await clear();
            _figures.FaultsInjected += await LabFaults.InjectedAsync(_t.Lab) - injectedBefore;
        }

        foreach (var run in new[] { drill, failover })
        {
            Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("failed"), TenantInTheLab.Describe(run));
            var failed = run["steps"]!.AsArray().Where(s => s!["state"]!.GetValue<string>() == "failed").Select(s => s!).ToList();
            Assert.That(failed.Select(s => s["kind"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { kind }), TenantInTheLab.Describe(run));
            if (target is not null) Assert.That(failed.Select(s => s["target"]!.GetValue<string>()), Does.Contain(target));
            foreach (var step in failed) Assert.That(step["error"]!.GetValue<string>(), Does.Contain(cause));
            Assert.That(run["error"]!.GetValue<string>(), Does.Contain(kind).And.Contain(cause), "the run's own error names the step and the cause");
        }
        var cleanup = drill["steps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "cleanup")!;
        Assert.That(cleanup["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(drill));
        var report = await _t.ReportAsync(drill["id"]!.GetValue<string>());
        Assert.That(report["cleanup"]!["clean"]!.GetValue<bool>(), Is.True, report["cleanup"]!.ToJsonString());
        Assert.That(report["failures"]!.AsArray().Select(f => f!["kind"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { kind }));
    }
}
