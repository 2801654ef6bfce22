using System.Text.Json.Nodes;
using Draas.Benchmarks.Harness;
using Draas.Benchmarks.Results;

namespace Draas.Benchmarks.Benchmarks;

/// <summary>
/// Benchmark 2: N volume-only tenants fail over at once (one run each, started back to back), for each N of
/// the scaling curve, each wave on tenants of its own. Total = first POST to the last run's finished_at.
/// Runs share nothing in the clouds, so the best any orchestrator could do is the slowest run's own bound.
/// </summary>
public static class ManyTenants
{
    public sealed record Wave(int Tenants, int Steps, Cost Cost);

    /// <summary>Workers that take failover steps: the general pool and the failover pool both serve that queue.</summary>
    private static int Workers => new[] { "DRAAS__JOBS__WORKERS", "DRAAS__JOBS__FAILOVER_WORKERS" }
        .Sum(k => int.Parse(ServiceProcess.Overrides[k], System.Globalization.CultureInfo.InvariantCulture));

    public static async Task<List<Wave>> RunAsync(BenchLab bench, BenchOptions options, LatencyModel model, Section section, BenchReport report, double idleRate)
    {
        section.Size = $"waves of {string.Join(", ", options.TenantSteps)} tenants x {options.VolumesPerTenant} volumes (no servers), max_parallel {options.MaxParallel} per run";
        var tenants = await LabTenants.VolumesAsync(bench, "t", options.TenantSteps.Sum(), options.VolumesPerTenant).ConfigureAwait(false);
        await LabTenants.ProtectAllAsync(bench, tenants, TimeSpan.FromMinutes(15)).ConfigureAwait(false);
        await model.ApplyAsync(bench.Lab).ConfigureAwait(false);
        var waves = new List<Wave>();
        try
        {
            var next = 0;
            foreach (var n in options.TenantSteps)
            {
                var group = tenants.Skip(next).Take(n).ToList();
                next += n;
                var runOptions = new { max_parallel = options.MaxParallel };
                var bounds = new List<CriticalPathBound>();
                foreach (var t in group) bounds.Add(CriticalPathBound.Of(await bench.Api.DryRunAsync(t.Plan, "failover", runOptions).ConfigureAwait(false), model, options.MaxParallel));
                var bound = bounds.Max(b => b.Seconds);
                var steps = bounds.Sum(b => b.Steps);
                // What the same best orchestrator could do with only the service's job workers: every step holds
                // a worker while it waits on the clouds, so the wave's work is shared by that many at most.
                var workerBound = Math.Max(bound, bounds.Sum(b => b.WorkSeconds) / Workers);
                var ((total, failed), cost) = await Cost.MeasureAsync(bench, idleRate, () => WaveAsync(bench, group, runOptions)).ConfigureAwait(false);
                report.Scaling.Add(new ScalingPoint(n, steps, total, bound, workerBound));
                waves.Add(new Wave(n, steps, cost));
                section.Add($"{n} tenants: total", total, "s", $"{steps} steps; {failed} runs not succeeded");
                section.Add($"{n} tenants: bound", bound, "s");
                section.Add($"{n} tenants: ratio", total / bound, "x");
                section.Add($"{n} tenants: bound with {Workers} job workers", workerBound, "s", $"ratio {total / workerBound:0.##}");
            }
            if (report.Scaling.Count >= 2)
            {
                var (first, last) = (report.Scaling[0], report.Scaling[^1]);
                section.Add($"growth {first.Tenants} -> {last.Tenants} tenants", last.TotalSeconds / first.TotalSeconds, "x",
                    $"for {(double)last.Tenants / first.Tenants:0.#}x the tenants");
            }
            return waves;
        }
        finally
        {
            await LatencyModel.ClearAsync(bench.Lab).ConfigureAwait(false);
        }
    }

    private static async Task<(double Total, int Failed)> WaveAsync(BenchLab bench, List<BenchTenant> group, object runOptions)
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var pending = new List<string>();
        foreach (var t in group) pending.Add(await bench.Api.StartRunAsync(t.Plan, "failover", runOptions).ConfigureAwait(false));
        var finished = new List<JsonNode>();
        var deadline = DateTime.UtcNow.AddMinutes(30);
        while (pending.Count > 0)
        {
            await Task.Delay(1000).ConfigureAwait(false);
            foreach (var id in pending.ToList())
            {
                var run = (await bench.Api.GetAsync($"/v1/runs/{id}").ConfigureAwait(false))["run"]!;
                if (run["state"]!.GetValue<string>() is not ("succeeded" or "failed" or "cancelled")) continue;
                finished.Add(run);
                pending.Remove(id);
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{pending.Count} of {group.Count} runs still going after 30 minutes");
        }
        var end = finished.Max(r => SingleTenantRto.Seconds(r["finished_at"]));
        return (end - start, finished.Count(r => r["state"]!.GetValue<string>() != "succeeded"));
    }
}
