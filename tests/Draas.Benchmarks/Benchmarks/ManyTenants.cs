using System.Text.Json.Nodes;
using Draas.Benchmarks.Harness;
using Draas.Benchmarks.Results;

namespace Draas.Benchmarks.Benchmarks;

/// <summary>
/// Benchmark 2: N tenants (each servers booting from volumes, and more volumes attached) fail over at once, one
/// run each started back to back, for each N of the scaling curve, each wave on tenants of its own. Total =
/// first POST to the last run's finished_at, against the cloud bound of all the wave's runs together (they
/// share the recovery site's Cinder and Nova and its array). During the biggest wave the API is read at a
/// fixed rate (benchmark 5's first figure).
/// </summary>
public static class ManyTenants
{
    /// <param name="Reads">The API reads served during the wave and what one read costs the service (measured alone after
    /// the wave at the same rate): taken out of the per-step figures, which are the steps' cost.</param>
    public sealed record Wave(int Tenants, int Steps, Cost Cost, double TotalSeconds, CloudBound Bound, int Failed, long OpenStackRequests, int Volumes,
        (int Count, double Transactions, double CpuSeconds)? Reads = null)
    {
        public double NetTransactions => Cost.NetTransactions - (Reads is { } r ? r.Count * r.Transactions : 0);
        public double NetCpuSeconds => Cost.NetCpuSeconds - (Reads is { } r ? r.Count * r.CpuSeconds : 0);

        public string ReadsNote => Reads is { } r
            ? $"; less the {r.Count} API reads served meanwhile ({r.Transactions:0.#} xact and {r.CpuSeconds * 1000:0.#} ms each, measured alone after the wave at the same rate)"
            : "";
    }

    public static async Task<List<Wave>> RunAsync(BenchLab bench, BenchOptions options, LatencyModel model, Section section, Section reads, BenchReport report, IdleRate idle)
    {
        section.Size = $"waves of {string.Join(", ", options.TenantSteps)} tenants x {options.WaveServers} servers booting from volumes and {options.VolumesPerTenant} volumes, default run options";
        var tenants = await LabTenants.ServerTenantsAsync(bench, "t", options.TenantSteps.Sum(), options.WaveServers, options.VolumesPerTenant).ConfigureAwait(false);
        await LabTenants.ProtectAllAsync(bench, tenants, TimeSpan.FromMinutes(15)).ConfigureAwait(false);
        var waves = new List<Wave>();
        var next = 0;
        foreach (var n in options.TenantSteps)
        {
            var group = tenants.Skip(next).Take(n).ToList();
            next += n;
            var biggest = n == options.TenantSteps.Max();
            var wave = await RunWaveAsync(bench, model, group, idle, biggest ? (options.WaveReadRate, reads) : null).ConfigureAwait(false);
            report.Scaling.Add(new ScalingPoint(n, wave.Steps, wave.TotalSeconds, wave.Bound.Seconds));
            waves.Add(wave);
            AddFigures(section, $"{n} tenants", wave);
        }
        if (report.Scaling.Count >= 2)
        {
            var (first, last) = (report.Scaling[0], report.Scaling[^1]);
            section.Add($"growth {first.Tenants} -> {last.Tenants} tenants", last.TotalSeconds / first.TotalSeconds, "x",
                $"for {(double)last.Tenants / first.Tenants:0.#}x the tenants");
        }
        return waves;
    }

    /// <summary>The figures of one wave, under the names tools read them by (results.json).</summary>
    public static void AddFigures(Section section, string label, Wave wave)
    {
        section.Add($"{label}: total", wave.TotalSeconds, "s", $"{wave.Steps} steps; {wave.Failed} runs not succeeded");
        section.Add($"{label}: cloud bound", wave.Bound.Seconds, "s", wave.Bound.Describe());
        section.Add($"{label}: total / cloud bound", wave.TotalSeconds / wave.Bound.Seconds, "x", "target at most 1.3");
        section.Add($"{label}: OpenStack requests per recovered volume", (double)wave.OpenStackRequests / wave.Volumes, "requests",
            $"{wave.OpenStackRequests} requests answered by the sites' Keystone, Nova, Cinder, Glance and Neutron for {wave.Volumes} volumes; target at most 8");
        section.Add($"{label}: service CPU per step (ms)", Known(wave.NetCpuSeconds * 1000 / wave.Steps), "ms",
            $"net of idle{wave.ReadsNote}; raw {wave.Cost.CpuSeconds * 1000 / wave.Steps:0.#} ms ({wave.Cost.CpuSeconds:0.#} s over {wave.Steps} steps){Unknown(wave.NetCpuSeconds)}; target at most 5");
        section.Add($"{label}: database transactions per step", Known(wave.NetTransactions / wave.Steps), "xact",
            $"net of idle{wave.ReadsNote}; raw {(double)wave.Cost.Transactions / wave.Steps:0.#}{Unknown(wave.NetTransactions)}; target at most 10");
    }

    /// <summary>Less than nothing left after the reads' share: the reads measured alone cost more than they did in the
    /// wave (an API saturated by the wave serves cheaper failures), so the steps' own cost is not known, not negative.</summary>
    private static double Known(double net) => net < 0 ? double.NaN : net;

    private static string Unknown(double net) => net < 0 ? "; not measured: the API reads measured alone cost more than their share of the wave" : "";

    /// <summary>Fails <paramref name="group"/> over at once with the latency model and the clouds' limits on,
    /// optionally reading the API at a fixed rate meanwhile.</summary>
    public static async Task<Wave> RunWaveAsync(BenchLab bench, LatencyModel model, List<BenchTenant> group, IdleRate idle, (double Rate, Section Section)? reads)
    {
        var graphs = new List<JsonArray>();
        foreach (var t in group) graphs.Add(await bench.Api.DryRunAsync(t.Plan, "failover", new { }).ConfigureAwait(false));
        var bound = CloudBound.Of(graphs, model);
        var volumes = graphs.Sum(g => g.OfType<JsonObject>().Count(s => s["kind"]!.GetValue<string>() == "import_volume"));
        await model.ApplyAsync(bench.Lab).ConfigureAwait(false);
        try
        {
            var requests0 = LatencyModel.OpenStackRequests(bench.Lab);
            // DRAAS_BENCH_TRACE=FILE: a CPU profile of the service's first 20 s of the wave (needs dotnet-trace).
            using var trace = Environment.GetEnvironmentVariable("DRAAS_BENCH_TRACE") is { Length: > 0 } file
                ? System.Diagnostics.Process.Start("dotnet-trace", ["collect", "-p", bench.Service.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--profile", "dotnet-sampled-thread-time", "--duration", "00:00:00:20", "-o", file])
                : null;
            using var stop = new CancellationTokenSource();
            int? served = null;
            string[]? paths = null;
            var ((total, failed), cost) = await Cost.MeasureAsync(bench, idle, async () =>
            {
                var started = WaveAsync(bench, group);
                if (reads is { } r)
                {
                    var ids = await started.Ids.Task.ConfigureAwait(false);
                    paths = [$"/v1/runs/{ids[0]}", "/v1/runs?limit=50", $"/v1/plans/{group[0].Plan}/status", "/v1/plans?limit=50"];
                    var reader = OpenLoopReads.RunAsync(bench.Api, paths, r.Rate, TimeSpan.FromHours(1), stop.Token);
                    var result = await started.Done.ConfigureAwait(false);
                    await stop.CancelAsync().ConfigureAwait(false);
                    var measured = await reader.ConfigureAwait(false);
                    served = measured.Requests;
                    r.Section.Add("API read p99 (ms)", measured.P99, "ms",
                        $"{r.Rate:0} requests/s (open loop) during the {group.Count}-tenant wave: {measured.Requests} reads, {measured.Errors} not 200, p50 {measured.P50:0.#} ms, max {measured.Max:0} ms; paths: run, run list, plan status, plan list");
                    return result;
                }
                return await started.Done.ConfigureAwait(false);
            }).ConfigureAwait(false);
            var requests = LatencyModel.OpenStackRequests(bench.Lab) - requests0;
            var wave = new Wave(group.Count, bound.Steps, cost, total, bound, failed, requests, volumes);
            return reads is { } rr && served is { } count ? wave with { Reads = await ReadCostAsync(bench, idle, paths!, rr.Rate, count).ConfigureAwait(false) } : wave;
        }
        finally
        {
            await LatencyModel.ClearAsync(bench.Lab).ConfigureAwait(false);
        }
    }

    /// <summary>What one API read costs the service: the same reads at the same rate for 20 s with nothing else running.</summary>
    private static async Task<(int, double, double)> ReadCostAsync(BenchLab bench, IdleRate idle, string[] paths, double rate, int count)
    {
        var (alone, cost) = await Cost.MeasureAsync(bench, idle, () => OpenLoopReads.RunAsync(bench.Api, paths, rate, TimeSpan.FromSeconds(20))).ConfigureAwait(false);
        return alone.Requests == 0 ? (count, 0, 0) : (count, cost.NetTransactions / alone.Requests, cost.NetCpuSeconds / alone.Requests);
    }

    private sealed record Started(TaskCompletionSource<List<string>> Ids, Task<(double Total, int Failed)> Done);

    private static Started WaveAsync(BenchLab bench, List<BenchTenant> group)
    {
        var ids = new TaskCompletionSource<List<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new Started(ids, Run());

        async Task<(double, int)> Run()
        {
            var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
            var pending = new List<string>();
            try
            {
                foreach (var t in group) pending.Add(await bench.Api.StartRunAsync(t.Plan, "failover", new { }).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                ids.TrySetException(e);
                throw;
            }
            ids.TrySetResult([.. pending]);
            var ended = new List<(string Id, string State, double FinishedAt)>();
            var deadline = DateTime.UtcNow.AddMinutes(30);
            while (ended.Count < pending.Count)
            {
                await Task.Delay(1000).ConfigureAwait(false);
                ended = await bench.Database.EndedRunsAsync(pending).ConfigureAwait(false);
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{pending.Count - ended.Count} of {group.Count} runs still going after 30 minutes");
            }
            return (ended.Max(r => r.FinishedAt) - start, ended.Count(r => r.State != "succeeded"));
        }
    }
}
