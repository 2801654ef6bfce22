using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.Tests.Protection;
using Draas.Tests.Reliability;
using Draas.Tests.Support;

namespace Draas.Tests.Runs;

/// <summary>
/// What runs that never finish leave at the recovery site, audited from the world's side. A planned migration
/// cancelled once its imports began gives the primary back and removes what it made at site B: no volume
/// marked with the run in Cinder (any project), no copy of it on array-b, though the array's copy log shows it
/// made some. A failover cancelled after its preflight keeps its recovery-point holds for a resume; once a
/// drill of the plan starts the failover can no longer be resumed, and the drill's preflight releases them.
/// Deleting a plan releases the holds of its cancelled runs too.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RunsThatEndUnfinishedTests
{
    private static CancellationToken Ct => CancellationToken.None;

    private TenantInTheLab _t = null!;

    // Imports take 40 lab-seconds (2 s of real time): a cancel lands while volumes are being imported.
    [OneTimeSetUp]
    public async Task Start() => _t = await TenantInTheLab.StartAsync(new Draas.Simulators.OpenStack.SimDelays { VolumeManage = TimeSpan.FromSeconds(40) });

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private async Task<string> StartRunAsync(string kind, object? options = null)
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin, new { run = new { plan_id = _t.Plan, kind, options = options ?? new { } } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        return body!["run"]!["id"]!.GetValue<string>();
    }

    private async Task<JsonNode> RunViewAsync(string id) => (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs/{id}", TenantInTheLab.Admin)).Body!["run"]!;

    private async Task<JsonNode> EndOfAsync(string id) => await Eventually.WaitForAsync(async () =>
    {
        var run = await RunViewAsync(id);
        return RunApi.IsFinal(run) ? run : null;
    }, $"run {id} to end", TimeSpan.FromSeconds(180));

    private static IEnumerable<JsonNode> Steps(JsonNode run, string kind) => run["steps"]!.AsArray().Where(s => s!["kind"]!.GetValue<string>() == kind).Select(s => s!);

    private async Task CancelAsync(string id)
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, $"/v1/runs/{id}/action", TenantInTheLab.Admin, new { cancel = new { } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
    }

    /// <summary>Cancels the run as soon as one of its steps of <paramref name="kind"/> is in <paramref name="states"/>.</summary>
    private async Task CancelWhenAsync(string id, string kind, params string[] states)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var run = await RunViewAsync(id);
            Assert.That(RunApi.IsFinal(run), Is.False, $"the run ended before any {kind} step was {string.Join("/", states)}:\n{TenantInTheLab.Describe(run)}");
            if (Steps(run, kind).Any(s => states.Contains(s["state"]!.GetValue<string>()))) break;
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"no {kind} step was {string.Join("/", states)}");
            await Task.Delay(20);
        }
        await CancelAsync(id);
    }

    /// <summary>The recovery-point holds of a run still on array-b.</summary>
    private async Task<List<string>> HoldsAsync(string runId)
    {
        var prefix = $"draas-hold-{Guid.Parse(runId).ToString("N")[..12]}";
        using var b = new ArrayInspector(_t.Lab.SiteB.ArrayUrl, _t.Lab.SiteB.ApiToken);
        return [.. (await b.GetAsync("volumes")).Select(v => v!["name"]!.GetValue<string>()).Where(n => n.StartsWith(prefix, StringComparison.Ordinal))];
    }

    private async Task<JsonObject> PreflightOutputAsync(string runId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_t.Service.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT output::text FROM steps WHERE run_id = @run AND kind = 'preflight'", connection);
        command.Parameters.AddWithValue("run", Guid.Parse(runId));
        return JsonNode.Parse((string)(await command.ExecuteScalarAsync())!)!.AsObject();
    }

    [Test, Order(1)]
    public async Task A_planned_migration_cancelled_while_it_imports_gives_the_primary_back_and_leaves_no_volume_or_copy_of_it_at_the_recovery_site()
    {
        var id = await StartRunAsync("planned_migration");
        await CancelWhenAsync(id, "import_volume", "running", "succeeded");

        var run = await EndOfAsync(id);
        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("cancelled"), TenantInTheLab.Describe(run));
        Assert.That(Steps(run, "boot_server").Select(s => s["state"]!.GetValue<string>()), Is.All.EqualTo("cancelled"), "nothing booted at site B");
        var imports = Steps(run, "import_volume").Count(s => s["state"]!.GetValue<string>() == "succeeded");
        Assert.That(imports, Is.GreaterThan(0), $"the cancel came after imports began:\n{TenantInTheLab.Describe(run)}");
        Assert.That(_t.Servers.Values.Select(_t.Lab.SiteA.OpenStack.ServerStatus), Is.All.EqualTo("ACTIVE"), "the cancel gave the tenant its primary back");

        // The world's side: array-b's copy log says the run made copies; neither array nor site B's Cinder keeps any of them.
        var prefix = $"draas-fo-{Guid.Parse(id).ToString("N")[..12]}";
        var made = (await _t.Lab.FlashArray.Admin.CopiesAsync("array-b", Ct)).Count(c => c.Name.StartsWith(prefix, StringComparison.Ordinal));
        Assert.That(made, Is.GreaterThanOrEqualTo(imports), "array-b made a copy for each import");
        var marked = await _t.AdminB.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, Ct)
            .Where(v => v.Metadata.GetValueOrDefault("draas:run") == id).Select(v => $"{v.Id} {v.Name} {v.Status}").ToListAsync(Ct);
        Assert.That(marked, Is.Empty, "no volume the run imported is left in site B's Cinder");
        Assert.That(await RecoveryAudit.OrphanCopiesAsync(_t), Is.Empty, "no copy of the run is left on either array");

        var cleared = (await _t.ReportAsync(id))["primary_restart"]!;
        Assert.That(cleared["recovery_site"]!["volumes"]!.AsArray(), Has.Count.EqualTo(imports), cleared.ToJsonString());
        Assert.That(cleared["recovery_site"]!["array_copies"]!.AsArray(), Has.Count.EqualTo(made), cleared.ToJsonString());
        Assert.That(cleared["reason"]!.GetValue<string>(), Does.Contain("removed at site-b"), cleared.ToJsonString());
        TestContext.Out.WriteLine($"cancelled migration: {made} copies made on array-b, {imports} volumes imported; after the cancel 0 left in Cinder, 0 on the arrays");
    }

    [Test, Order(2)]
    public async Task A_cancelled_failovers_holds_are_kept_for_its_resume_and_released_by_the_next_run_of_the_plan()
    {
        await _t.ProtectAsync();
        // Every call to the recovery array takes a second: the cancel lands before most promotes start.
        await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-b", 1000, 0, Ct);
        string failover;
        try
        {
            failover = await StartRunAsync("failover", new { max_parallel = 1 });
            await CancelWhenAsync(failover, "preflight", "succeeded");
            await EndOfAsync(failover);
        }
        finally
        {
            await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-b", 0, 0, Ct);
        }
        var cancelled = await RunViewAsync(failover);
        Assert.That(cancelled["state"]!.GetValue<string>(), Is.EqualTo("cancelled"), TenantInTheLab.Describe(cancelled));
        var unpromoted = Steps(cancelled, "promote_volume").Count(s => s["state"]!.GetValue<string>() != "succeeded");
        Assert.That(unpromoted, Is.GreaterThan(0), TenantInTheLab.Describe(cancelled));
        var kept = await HoldsAsync(failover);
        Assert.That(kept, Has.Count.EqualTo(unpromoted), "the failover keeps the hold of each volume it has not promoted, for a resume");

        var drill = await _t.RunAsync("drill");
        Assert.That(drill["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(drill));
        Assert.That(await HoldsAsync(failover), Is.Empty, "once a later run started, the failover cannot be resumed: its holds went");
        var released = (await PreflightOutputAsync(drill["id"]!.GetValue<string>()))["stale_holds_released"]!.AsArray();
        Assert.That(released, Has.Count.EqualTo(kept.Count), "the drill's preflight says which holds it released");
        var (resume, _, _) = await _t.Service.SendAsync(HttpMethod.Post, $"/v1/runs/{failover}/action", TenantInTheLab.Admin, new { resume = new { } });
        Assert.That(resume, Is.EqualTo(409), "the plan has a later run: the failover is not resumed");
        TestContext.Out.WriteLine($"holds: cancelled failover kept {kept.Count}; the next drill released them; left {(await HoldsAsync(failover)).Count}; {released.Count} listed by its preflight");
    }

    [Test, Order(3)]
    public async Task Deleting_a_plan_releases_the_holds_its_cancelled_failover_kept()
    {
        await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-b", 1000, 0, Ct);
        string failover;
        try
        {
            failover = await StartRunAsync("failover", new { max_parallel = 1 });
            await CancelWhenAsync(failover, "preflight", "succeeded");
            await EndOfAsync(failover);
        }
        finally
        {
            await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-b", 0, 0, Ct);
        }
        Assert.That(await HoldsAsync(failover), Is.Not.Empty, "the cancelled failover keeps holds for a resume");

        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Delete, $"/v1/plans/{_t.Plan}?keep_replication=true", TenantInTheLab.Admin);
        Assert.That(status, Is.EqualTo(204), body?.ToJsonString());
        Assert.That(await HoldsAsync(failover), Is.Empty, "no run of a deleted plan is resumed: even with replication kept, its holds went");
    }
}
