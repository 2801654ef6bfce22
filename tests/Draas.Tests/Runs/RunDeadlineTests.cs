using System.Text.Json.Nodes;
using Draas.Simulators.OpenStack.Core;
using Draas.Tests.Support;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Runs;

/// <summary>
/// A run's <c>recovery_timeout</c> is the time its steps may take, not the time it waited for a worker: a
/// drill queued for two (lab) hours behind a busy worker pool still runs and succeeds with a one-hour
/// timeout, while a drill whose own steps run past the hour is stopped at its next step, cleans up, and
/// fails saying so. The lab's clock jumps forward, so the hours take no real time.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RunDeadlineTests
{
    private TenantInTheLab _t = null!;

    [OneTimeSetUp]
    public async Task Start() => _t = await TenantInTheLab.StartAsync();

    [OneTimeTearDown]
    public async Task Stop()
    {
        BusyWorkers.Release();
        await _t.DisposeAsync();
    }

    private async Task<JsonNode> RunViewAsync(string id) => (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs/{id}", TenantInTheLab.Admin)).Body!["run"]!;

    private async Task<string> StartDrillAsync(int timeoutSeconds)
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin,
            new { run = new { plan_id = _t.Plan, kind = "drill", options = new { recovery_timeout = timeoutSeconds } } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        return body!["run"]!["id"]!.GetValue<string>();
    }

    private async Task<JsonNode> EndOfAsync(string id) => await Eventually.WaitForAsync(async () =>
    {
        var run = await RunViewAsync(id);
        return run["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" ? run : null;
    }, $"run {id} to end", TimeSpan.FromSeconds(180));

    [Test, Order(1)]
    public async Task A_drill_that_waited_two_hours_for_a_worker_is_not_timed_out_for_its_wait()
    {
        // Every worker that serves the drills queue is busy with other work (the test's, held until released).
        var jobs = _t.Service.Services.GetRequiredService<IBackgroundJobClient>();
        BusyWorkers.Reset();
        for (var i = 0; i < BusyWorkers.GeneralWorkers; i++) jobs.Enqueue("default", () => BusyWorkers.HoldAsync());
        string id;
        try
        {
            await Eventually.WaitForAsync(() => Task.FromResult(BusyWorkers.Held == BusyWorkers.GeneralWorkers ? "yes" : null),
                "every general worker to be busy", TimeSpan.FromSeconds(60));
            id = await StartDrillAsync(3600);
            _t.Lab.Advance(TimeSpan.FromHours(2));
            await Task.Delay(TimeSpan.FromSeconds(1));
            var queued = await RunViewAsync(id);
            Assert.That(queued["state"]!.GetValue<string>(), Is.EqualTo("pending"), "no worker was free to start it");
        }
        finally
        {
            BusyWorkers.Release();
        }

        var run = await EndOfAsync(id);

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var created = run["created_at"]!.GetValue<DateTimeOffset>();
        var started = run["started_at"]!.GetValue<DateTimeOffset>();
        var finished = run["finished_at"]!.GetValue<DateTimeOffset>();
        Assert.That(started - created, Is.GreaterThan(TimeSpan.FromHours(2)), "it waited two hours in the queue");
        Assert.That(finished - created, Is.GreaterThan(TimeSpan.FromSeconds(3600)), "from its creation it took longer than its recovery_timeout");
        Assert.That(finished - started, Is.LessThan(TimeSpan.FromSeconds(3600)), "its steps took less");
        var report = await _t.ReportAsync(id);
        Assert.That(report["cleanup"]!["clean"]!.GetValue<bool>(), Is.True, report["cleanup"]!.ToJsonString());
        TestContext.Out.WriteLine($"deadline: queued {(started - created).TotalMinutes:0} lab-min, ran {(finished - started).TotalMinutes:0.0} lab-min of a 60-min recovery_timeout: {run["state"]}");
    }

    [Test, Order(2)]
    public async Task A_drill_whose_own_steps_run_past_its_recovery_timeout_stops_at_its_next_step_cleans_up_and_fails_saying_so()
    {
        // Nova at the recovery site is slow today, so the drill is still at work when its hour is up.
        var recovery = _t.Lab.SiteB.OpenStack;
        recovery.Faults.Set("compute", new ServiceFault { Latency = TimeSpan.FromMilliseconds(500) });
        string id;
        try
        {
            id = await StartDrillAsync(3600);
            await Eventually.WaitForAsync(async () => (await RunViewAsync(id))["steps"]!.AsArray()
                    .Any(s => s!["kind"]!.GetValue<string>() == "import_volume" && s["state"]!.GetValue<string>() == "succeeded") ? "yes" : null,
                "the drill's first import", TimeSpan.FromSeconds(120));
            _t.Lab.Advance(TimeSpan.FromHours(2));
        }
        finally
        {
            recovery.Faults.Clear();
        }

        var run = await EndOfAsync(id);

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("failed"), TenantInTheLab.Describe(run));
        Assert.That(run["error"]!.GetValue<string>(), Does.Contain("recovery_timeout of 3600 s exceeded"));
        var steps = run["steps"]!.AsArray();
        Assert.That(steps.Where(s => s!["kind"]!.GetValue<string>() == "boot_server").Select(s => s!["state"]!.GetValue<string>()), Has.Some.EqualTo("cancelled"),
            "no new step started after the deadline");
        var report = await _t.ReportAsync(id);
        Assert.That(report["cleanup"]!["clean"]!.GetValue<bool>(), Is.True, "the cleanup still ran: " + report["cleanup"]!.ToJsonString());
    }
}

/// <summary>Hangfire jobs that hold the general workers until the test lets them go: a worker pool busy with other work.</summary>
public static class BusyWorkers
{
    /// <summary>The test service's general workers (<c>[jobs] workers</c> in <see cref="RunningService"/>).</summary>
    public const int GeneralWorkers = 2;

    private static TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static int _held;

    public static int Held => Volatile.Read(ref _held);

    public static void Reset()
    {
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _held, 0);
    }

    public static void Release() => _release.TrySetResult();

    [AutomaticRetry(Attempts = 0)]
    public static async Task HoldAsync()
    {
        Interlocked.Increment(ref _held);
        await _release.Task.WaitAsync(TimeSpan.FromMinutes(2));
    }
}
