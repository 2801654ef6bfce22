using System.Text.Json.Nodes;
using Draas.Tests.Protection;
using Draas.Tests.Reliability;
using Draas.Tests.Support;

namespace Draas.Tests.Runs;

/// <summary>
/// A run keeps the recovery point it chose for as long as it needs it. The plan keeps its newest 60 points
/// (one a minute); a failover chooses one, and while its promotes crawl through a slow recovery array two
/// more (lab) hours of replication go by, so array-b's retention prunes the chosen snapshot. The failover
/// still recovers from that point, from the holds its preflight took, not from a newer one: the write made
/// on the primary after the point is not in the recovered volume. Afterwards no hold is left on the array.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RecoveryPointHoldTests
{
    private static CancellationToken Ct => CancellationToken.None;

    private TenantInTheLab _t = null!;

    [OneTimeSetUp]
    public async Task Start() => _t = await TenantInTheLab.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private async Task<JsonNode> RunViewAsync(string id) => (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs/{id}", TenantInTheLab.Admin)).Body!["run"]!;

    private async Task<List<string>> ReplicatedSnapshotsAsync()
    {
        using var b = new ArrayInspector(_t.Lab.SiteB.ArrayUrl, _t.Lab.SiteB.ApiToken);
        return [.. (await b.GetAsync("protection-group-snapshots")).Select(s => s!["name"]!.GetValue<string>())];
    }

    [Test]
    public async Task A_failover_whose_recovery_point_is_pruned_by_retention_halfway_still_recovers_from_that_point()
    {
        var siteA = _t.Lab.SiteA.OpenStack;
        Assert.That(siteA.WriteFromServer(_t.Servers["db"], "row-in-the-point"), Is.True);
        await _t.ProtectAsync();
        // Every call to the recovery array takes a second and a half today: the promotes take a while.
        await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-b", 1500, 0, Ct);
        string id;
        JsonNode chosen;
        try
        {
            var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin,
                new { run = new { plan_id = _t.Plan, kind = "failover", options = new { recovery_timeout = 86400 } } });
            Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
            id = body!["run"]!["id"]!.GetValue<string>();
            await Eventually.WaitForAsync(async () =>
            {
                var step = (await RunViewAsync(id))["steps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "preflight")!;
                Assert.That(step["state"]!.GetValue<string>(), Is.Not.EqualTo("failed"), step.ToJsonString());
                return step["state"]!.GetValue<string>() == "succeeded" ? step : null;
            }, "the failover's preflight", TimeSpan.FromSeconds(120));
            chosen = (await StepOutputAsync(id, "preflight"))["recovery_points"]!.AsObject().Single().Value!;
            Assert.That(chosen["held"]!.GetValue<int>(), Is.EqualTo(5), "the preflight held the point's copy of each of the five volumes");

            // The primary goes on writing, and two hours of replication ship past the chosen point.
            Assert.That(siteA.WriteFromServer(_t.Servers["db"], "row-after-the-point"), Is.True);
            _t.Lab.Advance(TimeSpan.FromHours(2));
            Assert.That(await ReplicatedSnapshotsAsync(), Does.Not.Contain(chosen["id"]!.GetValue<string>()), "array-b's retention pruned the chosen point");
        }
        finally
        {
            await _t.Lab.FlashArray.Admin.SetFaultsAsync("array-b", 0, 0, Ct);
        }

        var run = await Eventually.WaitForAsync(async () =>
        {
            var now = await RunViewAsync(id);
            return now["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" ? now : null;
        }, "the failover to end", TimeSpan.FromSeconds(240));

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var recovered = (await _t.ReportAsync(id))["recovered"]!["volumes"]!.AsArray()
            .ToDictionary(v => v!["source_id"]!.GetValue<string>(), v => v!["volume_id"]!.GetValue<string>());
        var db = (await _t.Lab.FlashArray.Admin.ReadAsync("array-b", $"volume-{recovered[_t.Volumes["db-root"]]}-cinder", Ct)).Select(w => w.Data).ToList();
        Assert.That(db, Does.Contain("row-in-the-point").And.Not.Contain("row-after-the-point"), "recovered from the chosen point, not a newer one");
        var promoted = (await StepOutputsAsync(id, "promote_volume")).Select(o => o["recovery_point"]!["id"]!.GetValue<string>()).ToList();
        Assert.That(promoted, Has.Count.EqualTo(5).And.All.EqualTo(chosen["id"]!.GetValue<string>()));
        var copies = (await _t.Lab.FlashArray.Admin.CopiesAsync("array-b", Ct)).Where(c => c.Name.StartsWith("draas-fo-", StringComparison.Ordinal)).ToList();
        var fromHolds = copies.Count(c => c.Source.StartsWith("draas-hold-", StringComparison.Ordinal));
        Assert.That(fromHolds, Is.GreaterThan(0), "at least one promote came after the prune and copied its hold");
        var findings = await RecoveryAudit.RecoveryAsync(_t, id);
        Assert.That(findings, Is.Empty, "each volume promoted and imported once, and no hold or copy left on either array");
        TestContext.Out.WriteLine($"hold: point {chosen["id"]} pruned mid-run; {fromHolds} of 5 promotes copied the run's hold, {5 - fromHolds} the point itself; audit findings {findings.Count}");
    }

    private async Task<JsonObject> StepOutputAsync(string runId, string kind) => (await StepOutputsAsync(runId, kind)).Single();

    private async Task<List<JsonObject>> StepOutputsAsync(string runId, string kind)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_t.Service.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT output::text FROM steps WHERE run_id = @run AND kind = @kind AND output IS NOT NULL ORDER BY sequence", connection);
        command.Parameters.AddWithValue("run", Guid.Parse(runId));
        command.Parameters.AddWithValue("kind", kind);
        var outputs = new List<JsonObject>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) outputs.Add(JsonNode.Parse(reader.GetString(0))!.AsObject());
        return outputs;
    }
}
