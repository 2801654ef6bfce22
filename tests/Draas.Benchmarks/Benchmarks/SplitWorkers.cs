using Draas.Benchmarks.Harness;
using Draas.Benchmarks.Results;

namespace Draas.Benchmarks.Benchmarks;

/// <summary>
/// Benchmark 7: benchmark 2's biggest wave again, on tenants of its own, with the service split into one
/// <c>--role api</c> process and worker-only processes on the same database: how many of the worker processes
/// took step jobs (Hangfire's Processing states name their server, <c>draas:host:pid:pool:guid</c>), and the wave's
/// total against its cloud bound.
/// </summary>
public static class SplitWorkers
{
    public static async Task RunAsync(BenchLab bench, BenchOptions options, LatencyModel model, Section section, IdleRate idle)
    {
        section.Size = $"{options.SplitTenants} tenants x {options.WaveServers} servers and {options.VolumesPerTenant} volumes; one --role api and {options.SplitWorkers} --role worker processes";
        var tenants = await LabTenants.ServerTenantsAsync(bench, "w", options.SplitTenants, options.WaveServers, options.VolumesPerTenant).ConfigureAwait(false);
        await LabTenants.ProtectAllAsync(bench, tenants, TimeSpan.FromMinutes(15)).ConfigureAwait(false);
        await bench.SplitAsync(options.SplitWorkers).ConfigureAwait(false);
        var since = DateTimeOffset.UtcNow;
        var wave = await ManyTenants.RunWaveAsync(bench, model, tenants, idle, null).ConfigureAwait(false);
        var pids = await bench.Database.StepProcessesAsync(since).ConfigureAwait(false);
        var workers = bench.Workers.Count(w => pids.Contains(w.Pid));
        section.Add("workers sharing the wave", workers, "processes",
            $"of {bench.Workers.Count} worker processes, took step jobs during the wave (the API process runs none: {(pids.Contains(bench.Service.Pid) ? "it did" : "it did not")})");
        section.Add("total / cloud bound", wave.TotalSeconds / wave.Bound.Seconds, "x", $"total {wave.TotalSeconds:0.#} s, cloud bound {wave.Bound.Seconds:0.#} s; target at most 1.3");
        section.Add("total", wave.TotalSeconds, "s", $"{wave.Steps} steps; {wave.Failed} runs not succeeded");
        section.Add("cloud bound", wave.Bound.Seconds, "s", wave.Bound.Describe());
    }
}
