using System.Text.Json.Nodes;
using Draas.Simulators.Checks;
using Draas.Simulators.Lab;

namespace Draas.Tests.Simulators;

/// <summary>
/// The demo's verdict on a planned migration, as <c>draas-sim check-run</c> gives it: a write the
/// primary volume took and its recovered copy lacks is a lost write, read from the arrays' own logs;
/// a report with a clock warning or a failed health check does not pass either.
/// </summary>
[TestFixture]
public sealed class RunCheckTests
{
    private DrLab _lab = null!;
    private readonly HttpClient _http = new();

    [OneTimeSetUp]
    public async Task Start() => _lab = await DrLab.StartAsync();

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _lab.DisposeAsync();
    }

    /// <summary>A migration of one volume: <c>src</c> on array-a recovered as <c>dst</c> on array-b.</summary>
    private static JsonObject Report(string src, string dst, string state = "succeeded", string? warning = null, string health = "succeeded", bool? canaryFound = null) => new()
    {
        ["report"] = new JsonObject
        {
            ["run_id"] = "run-1",
            ["kind"] = "planned_migration",
            ["state"] = state,
            ["warnings"] = warning is null ? new JsonArray() : new JsonArray(warning),
            ["health"] = new JsonArray(new JsonObject { ["name"] = "db", ["check"] = "tcp:5432", ["state"] = health }),
            ["recovered"] = new JsonObject { ["volumes"] = new JsonArray(new JsonObject { ["source_id"] = src, ["volume_id"] = dst, ["name"] = "db-data" }) },
            ["data_check"] = canaryFound is null ? null : new JsonObject
            {
                ["server"] = "web",
                ["written_at"] = "2026-12-04T21:00:00Z",
                ["found"] = canaryFound,
                ["state"] = canaryFound.Value ? "succeeded" : "failed",
                ["error"] = canaryFound.Value ? null : "the canary token this run wrote at 2026-12-04 21:00:00.000Z is missing",
            },
        },
    };

    private Task<RunCheck.Result> CheckAsync(JsonObject report) =>
        RunCheck.CheckAsync(report, _http, _lab.FlashArrayAdminUrl, "array-a", "array-b", CancellationToken.None);

    [Test]
    public async Task A_write_the_recovered_copy_lacks_is_counted_lost_and_fails_the_run()
    {
        var (src, dst) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        _lab.SiteA.Store.Seed($"volume-{src}-cinder", 1L << 30, false, "row-1", "row-2-just-before");
        _lab.SiteB.Store.Seed($"volume-{dst}-cinder", 1L << 30, false, "row-1");

        var partial = await CheckAsync(Report(src, dst));
        _lab.SiteB.Store.AppendWrite($"volume-{dst}-cinder", "row-2-just-before");
        var whole = await CheckAsync(Report(src, dst));

        Assert.That(partial.Passed, Is.False);
        Assert.That(partial.Lines, Does.Contain("db-data: 2 writes on the primary, 1 on the recovered copy, missing row-2-just-before").And.Contain("1 writes lost (of 2)"));
        Assert.That(whole.Passed, Is.True, string.Join("\n", whole.Lines));
        Assert.That(whole.Lines, Does.Contain("0 writes lost (of 2)"));
    }

    [Test]
    public async Task A_run_whose_clocks_disagreed_or_whose_health_check_failed_does_not_pass()
    {
        var (src, dst) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        _lab.SiteA.Store.Seed($"volume-{src}-cinder", 1L << 30);
        _lab.SiteB.Store.Seed($"volume-{dst}-cinder", 1L << 30);

        var skewed = await CheckAsync(Report(src, dst, warning: "clock skew: array-a's recovery point ..."));
        var unhealthy = await CheckAsync(Report(src, dst, health: "failed"));
        var failed = await CheckAsync(Report(src, dst, state: "failed"));

        Assert.That(skewed.Passed, Is.False);
        Assert.That(skewed.Lines, Does.Contain("warning: clock skew: array-a's recovery point ..."));
        Assert.That(unhealthy.Lines, Does.Contain("health check db tcp:5432: failed"));
        Assert.That(failed.Passed, Is.False);
    }

    [Test]
    public async Task A_run_whose_data_canary_was_not_found_does_not_pass()
    {
        var (src, dst) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        _lab.SiteA.Store.Seed($"volume-{src}-cinder", 1L << 30);
        _lab.SiteB.Store.Seed($"volume-{dst}-cinder", 1L << 30);

        var missing = await CheckAsync(Report(src, dst, canaryFound: false));
        var found = await CheckAsync(Report(src, dst, canaryFound: true));

        Assert.That(missing.Passed, Is.False);
        Assert.That(missing.Lines, Has.Some.StartsWith("data canary: the token written on web at 2026-12-04T21:00:00Z was not found"));
        Assert.That(found.Passed, Is.True, string.Join("\n", found.Lines));
        Assert.That(found.Lines, Does.Contain("data canary: the token written on web at 2026-12-04T21:00:00Z is on the recovered web"));
    }
}
