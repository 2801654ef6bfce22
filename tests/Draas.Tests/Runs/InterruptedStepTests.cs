using System.Text.Json.Nodes;
using Draas.Data;
using Draas.Domain.Runs;
using Draas.Simulators.OpenStack;
using Draas.Tests.Support;
using Draas.Workflows.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Draas.Tests.Runs;

/// <summary>
/// A worker dies while it imports a volume: its lease lapses and the watchdog takes the step back. The
/// operator sees the step as interrupted (not as a step that ran on), its retry's own time (not the
/// time the lost attempt held it), and the crash in the run's events.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class InterruptedStepTests
{
    private TenantInTheLab _t = null!;

    // Cinder takes 20 lab minutes (a minute of real time) to manage a volume: the imports stay running.
    [OneTimeSetUp]
    public async Task Start() => _t = await TenantInTheLab.StartAsync(new SimDelays { VolumeManage = TimeSpan.FromMinutes(20) });

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private async Task<JsonNode> RunAsync(string id) => (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs/{id}", TenantInTheLab.Admin)).Body!["run"]!;

    [Test]
    public async Task A_step_whose_worker_stopped_is_marked_interrupted_its_retry_timed_alone_and_the_crash_is_an_event()
    {
        var (status, created, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin, new { run = new { plan_id = _t.Plan, kind = "drill" } });
        Assert.That(status, Is.EqualTo(202), created?.ToJsonString());
        var runId = created!["run"]!["id"]!.GetValue<string>();
        var import = await Eventually.WaitForAsync(async () =>
            (await RunAsync(runId))["steps"]!.AsArray().FirstOrDefault(s => s!["kind"]!.GetValue<string>() == "import_volume" && s["state"]!.GetValue<string>() == "running"),
            "an import to be running", TimeSpan.FromSeconds(60));
        var stepId = import!["id"]!.GetValue<string>();
        var firstStart = import["started_at"]!.GetValue<DateTimeOffset>();

        // The worker is gone: its lease runs out (as it would 20 s after a kill), and the watchdog sweeps. The lab's
        // wait poller, alive, renews a parked step's lease every 50 ms: if it does so between the two, lapse it again.
        var watchdog = new RunWatchdog(_t.Service.Services.GetRequiredService<IServiceScopeFactory>(), _t.Service.Services.GetRequiredService<ILogger<RunWatchdog>>());
        JsonArray events = [];
        for (var tries = 0; tries < 20 && events.Count == 0; tries++)
        {
            await _t.Service.Database.ExecuteAsync($"UPDATE steps SET lease_until = now() - interval '1 second' WHERE id = '{stepId}' AND state = 'running'");
            await watchdog.SweepAsync(CancellationToken.None);
            events = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/events?resource_id={runId}&action=run.step_interrupted", TenantInTheLab.Admin)).Body!["events"]!.AsArray();
        }
        Assert.That(events, Has.Count.EqualTo(1), "the crash is in the run's events");
        var detail = events[0]!["detail"]!;
        Assert.That((detail is JsonValue ? JsonNode.Parse(detail.GetValue<string>())! : detail)["step"]!.GetValue<int>(), Is.EqualTo(import["sequence"]!.GetValue<int>()));

        var retried = await Eventually.WaitForAsync(async () =>
        {
            var step = (await RunAsync(runId))["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == stepId)!;
            // Between the sweep and the next pump the step reads interrupted; then its retry runs.
            if (step["state"]!.GetValue<string>() == "pending") Assert.That(step["interrupted"]!.GetValue<bool>(), Is.True, step.ToJsonString());
            return step["attempts"]!.GetValue<int>() >= 2 && step["started_at"] is not null ? step : null;
            // The retry waits for a free slot of the run's max_parallel: when an earlier volume's import became
            // ready meanwhile it takes the slot first, and this one follows when an import ends (a minute of lab Cinder).
        }, "the interrupted import to be retried", TimeSpan.FromSeconds(180));
        Assert.That(retried!["started_at"]!.GetValue<DateTimeOffset>(), Is.GreaterThan(firstStart), "the retry's duration counts from the retry's start");
        Assert.That(retried["interrupted"]!.GetValue<bool>(), Is.False, "running again, not interrupted");
    }

    [Test]
    public async Task A_run_whose_first_step_lost_its_worker_before_the_step_began_is_taken_back_and_pumped_by_the_watchdog()
    {
        // The pump claimed the run's first step (so the run is running) and the worker died before the step executed:
        // the run's deadline clock never started and none of its steps runs. (Found by the chaos suite: every sweep
        // failed on such a run, for every run, and the migration it was waited for 180 s.)
        await using var scope = _t.Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DraasDbContext>();
        var protection = await db.Protections.AsNoTracking().FirstAsync();
        var now = DateTimeOffset.UtcNow;
        var run = new Run { Id = Guid.NewGuid(), Kind = RunKind.Failover, ProtectionId = protection.Id, ProjectId = protection.PrimaryProjectId, TargetSiteId = protection.RecoverySiteId, CreatedAt = now, Queue = "failover" };
        run.TransitionTo(RunState.Running, now);
        var step = new Step { Id = Guid.NewGuid(), Kind = RunPlanner.Preflight, Sequence = 1, Phase = 0 };
        run.Steps.Add(step);
        step.TransitionTo(StepState.Running, now);
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        await _t.Service.Database.ExecuteAsync($"UPDATE steps SET lease_until = now() - interval '1 second' WHERE id = '{step.Id}'");
        Assert.That(await db.Runs.AsNoTracking().Where(r => r.Id == run.Id).Select(r => r.DeadlineFrom).SingleAsync(), Is.Null);

        var watchdog = new RunWatchdog(_t.Service.Services.GetRequiredService<IServiceScopeFactory>(), _t.Service.Services.GetRequiredService<ILogger<RunWatchdog>>());
        Assert.DoesNotThrowAsync(() => watchdog.SweepAsync(CancellationToken.None), "a sweep with a run whose clock has not started");
        var taken = await Eventually.WaitForAsync(async () =>
            await db.Steps.AsNoTracking().Where(s => s.Id == step.Id && s.Attempts >= 2).Select(s => (int?)s.Attempts).SingleOrDefaultAsync(),
            "the step to be taken back and claimed again", TimeSpan.FromSeconds(30));
        Assert.That(taken, Is.EqualTo(2), "taken back once and claimed again by the pump that followed");
    }
}
