using System.Text.Json.Nodes;
using Draas.Tests.Support;

namespace Draas.Tests.Runs;

/// <summary>
/// The drill proves the data, not only the servers. The shop's web server serves a data canary (the lab's
/// guests keep it in their write log, so it replicates with the volume's data): a drill writes a fresh token
/// there through the site's probe agent, ships one more snapshot after it, and reads the tokens back from the
/// recovered web server; a planned migration does the same before its last sync. The arrays' own write logs
/// are the witness: the token is on the primary's web-root and on the recovered copy the run imported.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DataCanaryTests
{
    private static CancellationToken Ct => CancellationToken.None;

    private TenantInTheLab _t = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _t = await TenantInTheLab.StartAsync();
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin,
            new { plan = new { canary = new { server = "web", port = 80, path = "/canary" } } });
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        Assert.That(body!["plan"]!["canary"]!["server"]!.GetValue<string>(), Is.EqualTo("web"));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private async Task<List<string>> WritesAsync(string array, string volumeId) =>
        [.. (await _t.Lab.FlashArray.Admin.ReadAsync(array, $"volume-{volumeId}-cinder", Ct)).Select(w => w.Data)];

    [Test, Order(1)]
    public async Task A_drill_writes_a_token_before_its_recovery_point_and_finds_it_on_the_recovered_server()
    {
        var run = await _t.RunAsync("drill");
        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var steps = run["steps"]!.AsArray().Select(s => (Kind: s!["kind"]!.GetValue<string>(), Seq: s["sequence"]!.GetValue<int>())).ToList();
        var write = steps.Single(s => s.Kind == "canary_write").Seq;
        Assert.That(steps.Where(s => s.Kind == "replicate_now").Select(s => s.Seq), Is.Not.Empty.And.All.GreaterThan(write),
            "the drill ships one more snapshot after the token");

        var report = await _t.ReportAsync(run["id"]!.GetValue<string>());
        var data = report["data_check"]!;
        var token = data["token"]!.GetValue<string>();
        Assert.That(data["found"]!.GetValue<bool>(), Is.True, data.ToJsonString());
        Assert.That(data["newest_token"]!.GetValue<string>(), Is.EqualTo(token), "nothing newer than this run's token on the recovered web");
        Assert.That(data["behind_seconds"]!.GetValue<double>(), Is.EqualTo(0), "the newest token is this run's own, to the millisecond");
        var writtenAt = data["written_at"]!.GetValue<DateTimeOffset>();
        Assert.That(report["recovery_point_at"]!.GetValue<DateTimeOffset>(), Is.GreaterThanOrEqualTo(writtenAt),
            "the recovery point was taken after the token");
        // The witness: the primary array's write log of web's root volume holds the token the service wrote.
        Assert.That(await WritesAsync("array-a", _t.Volumes["web-root"]), Does.Contain("canary:" + token));
        var markdown = Draas.Workflows.Runs.RunReports.Markdown(report);
        Assert.That(markdown, Does.Contain("## Data check (canary)").And.Contain("**found**"));
        TestContext.Out.WriteLine($"drill canary: {token}; recovery point {report["recovery_point_at"]}");
    }

    [Test, Order(2)]
    public async Task A_run_of_a_plan_whose_canary_names_no_server_of_the_plan_is_refused_before_it_starts_and_a_failover_is_not()
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin,
            new { plan = new { canary = new { server = "cache", port = 70000 } } });
        Assert.That(status, Is.EqualTo(400), body?.ToJsonString());
        Assert.That(body!.ToJsonString(), Does.Contain("plan.canary.port must be 1..65535"));

        (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin,
            new { plan = new { canary = new { server = "cache" } } });
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        try
        {
            (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin,
                new { run = new { plan_id = _t.Plan, kind = "drill" } });
            Assert.That(status, Is.EqualTo(409), body?.ToJsonString());
            Assert.That(body!["conflict"]!["message"]!.GetValue<string>(), Does.StartWith("plan.canary names server 'cache', which is not among the plan's captured servers (app, db, web)"));
            // A disaster is no time to refuse over a drill's proof: a failover's dry run plans without the canary.
            (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin,
                new { run = new { plan_id = _t.Plan, kind = "failover", dry_run = true } });
            Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
            Assert.That(body!.ToJsonString(), Does.Not.Contain("canary_"));
        }
        finally
        {
            (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin,
                new { plan = new { canary = new { server = "web" } } });
            Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        }
    }

    [Test, Order(3)]
    public async Task A_planned_migration_writes_the_token_before_it_stops_the_servers_and_the_recovered_copy_holds_it()
    {
        var run = await _t.RunAsync("planned_migration", timeoutSeconds: 180);
        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var steps = run["steps"]!.AsArray().Select(s => (Kind: s!["kind"]!.GetValue<string>(), Seq: s["sequence"]!.GetValue<int>())).ToList();
        var write = steps.Single(s => s.Kind == "canary_write").Seq;
        Assert.That(steps.Where(s => s.Kind == "stop_server").Select(s => s.Seq), Is.Not.Empty.And.All.GreaterThan(write),
            "the token is written while web still runs");

        var report = await _t.ReportAsync(run["id"]!.GetValue<string>());
        var data = report["data_check"]!;
        var token = data["token"]!.GetValue<string>();
        Assert.That(data["found"]!.GetValue<bool>(), Is.True, data.ToJsonString());
        var recovered = report["recovered"]!["volumes"]!.AsArray()
            .ToDictionary(v => v!["source_id"]!.GetValue<string>(), v => v!["volume_id"]!.GetValue<string>());
        // The witness on the recovery array: the imported web-root carries the token, after every earlier write.
        var writes = await WritesAsync("array-b", recovered[_t.Volumes["web-root"]]);
        Assert.That(writes, Does.Contain("canary:" + token));
        Assert.That(writes.Where(w => w.StartsWith("canary:", StringComparison.Ordinal)).Last(), Is.EqualTo("canary:" + token));
        TestContext.Out.WriteLine($"planned migration canary: {token}; {writes.Count(w => w.StartsWith("canary:", StringComparison.Ordinal))} tokens on the recovered web-root");
    }
}
