using System.Diagnostics;
using System.Text.Json.Nodes;
using Draas.Tests.Runs;
using Draas.Tests.Support;

namespace Draas.Tests.Reliability;

/// <summary>
/// The tenant in the lab served by <c>dotnet draas.dll serve</c> as its own process, so a test can
/// SIGKILL it at chosen moments of a run and start it again: nothing survives but the database.
/// </summary>
public sealed class KillingHarness : IAsyncDisposable
{
    private readonly Stopwatch _up = new();

    private KillingHarness(TenantInTheLab tenant, ServiceProcess service)
    {
        Tenant = tenant;
        Service = service;
        Runs = new RunApi(() => Service.Http);
    }

    public TenantInTheLab Tenant { get; }

    public ServiceProcess Service { get; }

    public RunApi Runs { get; }

    /// <summary>A protected tenant whose service is a child process (the in-process one only set it up).</summary>
    /// <param name="database">The service's database on another cluster; a fresh one on the shared cluster when null.</param>
    public static async Task<KillingHarness> StartAsync(Draas.Simulators.OpenStack.SimDelays? delays = null, TestDatabase? database = null)
    {
        var tenant = await TenantInTheLab.StartAsync(delays, database);
        await tenant.Service.StopHostAsync();
        var settings = RunningService.Settings(tenant.Service.Database, tenant.Service.Keystone);
        settings["jobs:workers"] = "4";
        // A killed worker's step is handed on after 5 s instead of 20: the chaos tests wait less per kill.
        settings["jobs:step_lease_seconds"] = "5";
        var service = new ServiceProcess(settings);
        var harness = new KillingHarness(tenant, service);
        await harness.RestartAsync();
        return harness;
    }

    private async Task RestartAsync()
    {
        await Service.StartAsync();
        _up.Restart();
    }

    /// <summary>SIGKILLs the service and starts it again.</summary>
    public async Task KillAndRestartAsync()
    {
        Service.Kill();
        await RestartAsync();
    }

    /// <summary>
    /// Starts a run and kills the service at up to <paramref name="kills"/> points drawn as it goes, each
    /// followed by a restart; returns the run once it ended, and how many kills landed (a point the run
    /// finished before does not count).
    /// </summary>
    /// <param name="lastDuring">A step kind (e.g. <c>cleanup</c>) whose first step also gets a kill once it has started, after the seeded points.</param>
    public async Task<(JsonNode Run, int Kills)> RunWithKillsAsync(string kind, int kills, Random random, bool allowDelays, string? lastDuring = null)
    {
        var runId = await Runs.StartAsync(Tenant.Plan, kind);
        TestContext.Progress.WriteLine($"[chaos] {kind} run {runId}");
        var landed = 0;
        var points = kills + (lastDuring is null ? 0 : 1);
        for (var i = 1; i <= points; i++)
        {
            var now = await Runs.GetAsync(runId);
            if (RunApi.IsFinal(now)) break;
            var point = i > kills ? During(now, lastDuring!) : KillPoint.Draw(random, now, allowDelays);
            if (point is null) break;
            JsonNode? last = null;
            var reached = await WaitOrExplainAsync(async () =>
            {
                var run = last = await Runs.TryGetAsync(runId) ?? last;
                if (run is null) return null;
                return RunApi.IsFinal(run) ? "ended" : point.Reached(run, _up.Elapsed) ? "reached" : null;
            }, $"kill point {point}", () => last);
            if (reached == "ended")
            {
                TestContext.Progress.WriteLine($"[chaos]   kill point {i} ({point}): the run ended first");
                break;
            }
            Service.Kill();
            landed++;
            TestContext.Progress.WriteLine($"[chaos]   kill {landed}: {point}; restarting");
            await RestartAsync();
        }
        var end = await Runs.WaitForEndAsync(runId, TimeSpan.FromSeconds(300));
        return (end, landed);
    }

    /// <summary>Waits for a kill point; when it never comes, says where the run stood and what the service last wrote.</summary>
    private async Task<string> WaitOrExplainAsync(Func<Task<string?>> probe, string description, Func<JsonNode?> run)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(180);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline)
            {
                var steps = run() is { } r ? TenantInTheLab.Describe(r) : "(the run was never read)";
                Assert.Fail($"timed out waiting for {description}; the run ({run()?["state"]}):\n{steps}\nthe service's last output:\n{Service.Tail()}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>The first step of a kind, killed once it has started.</summary>
    private static KillPoint? During(JsonNode run, string kind)
    {
        var step = run["steps"]!.AsArray().FirstOrDefault(s => s!["kind"]!.GetValue<string>() == kind);
        return step is null ? null : new KillPoint(step["sequence"]!.GetValue<int>(), kind, 1, false, null, step["attempts"]!.GetValue<int>());
    }

    public async ValueTask DisposeAsync()
    {
        Service.Dispose();
        await Tenant.DisposeAsync();
    }
}
