using System.Collections.Concurrent;
using Draas.Tests.Support;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Jobs;

/// <summary>The process roles split API and workers, and a failover never waits behind drills.</summary>
[TestFixture]
public sealed class QueuePriorityTests
{
    private static readonly ConcurrentQueue<string> Executed = new();
    private static TaskCompletionSource _releaseDrills = new();
    private static TaskCompletionSource _drillStarted = new();

    /// <summary>Jobs that only note that they ran; a "long drill" holds its worker until released.</summary>
    public sealed class ProbeJob
    {
        public void Record(string label) => Executed.Enqueue(label);

        public async Task LongDrillAsync(string label)
        {
            _drillStarted.TrySetResult();
            await _releaseDrills.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Executed.Enqueue(label);
        }
    }

    [SetUp]
    public void Reset()
    {
        Executed.Clear();
        _releaseDrills = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _drillStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [Test]
    public async Task An_api_process_runs_no_jobs_and_a_worker_process_on_the_same_database_runs_them()
    {
        await using var api = await RunningService.StartAsync(role: "api");
        var client = api.Services.GetRequiredService<IBackgroundJobClient>();
        foreach (var queue in new[] { "drills", "default", "failover" }) client.Enqueue<ProbeJob>(queue, j => j.Record(queue));

        await Task.Delay(1000);
        Assert.That(Executed, Is.Empty, "the api role must not execute jobs");

        await using var worker = await RunningService.StartAsync(role: "worker", sharedDatabase: api.Database);
        await Eventually.WaitForAsync(() => Task.FromResult(Executed.Count == 3 ? (object?)true : null), "the worker to run all three jobs");
        Assert.That(Executed.ToArray(), Is.EquivalentTo(new[] { "drills", "default", "failover" }));
    }

    [Test]
    public async Task A_failover_runs_while_every_general_worker_is_busy_with_a_long_drill()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["jobs:workers"] = "1", ["jobs:failover_workers"] = "1" });
        var client = service.Services.GetRequiredService<IBackgroundJobClient>();
        client.Enqueue<ProbeJob>("drills", j => j.LongDrillAsync("drill"));
        await _drillStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        client.Enqueue<ProbeJob>("failover", j => j.Record("failover"));
        await Eventually.WaitForAsync(() => Task.FromResult(Executed.Contains("failover") ? (object?)true : null), "the failover job to run beside the drill");

        Assert.That(Executed, Does.Not.Contain("drill"), "the drill was still holding the only general worker");
        _releaseDrills.SetResult();
        await Eventually.WaitForAsync(() => Task.FromResult(Executed.Contains("drill") ? (object?)true : null), "the drill to finish");
    }

    [Test]
    public async Task A_worker_process_serves_health_but_not_the_API()
    {
        await using var worker = await RunningService.StartAsync(role: "worker");

        var (health, _, _) = await worker.SendAsync(HttpMethod.Get, "/healthz", token: null);
        var (sites, body, _) = await worker.SendAsync(HttpMethod.Get, "/v1/sites", KeystoneStandIn.AdminToken);

        Assert.That(health, Is.EqualTo(200));
        Assert.That(sites, Is.EqualTo(404));
        Assert.That(body!["itemNotFound"], Is.Not.Null);
    }
}
