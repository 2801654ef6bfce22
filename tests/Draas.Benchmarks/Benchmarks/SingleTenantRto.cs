using System.Globalization;
using System.Text.Json.Nodes;
using Draas.Benchmarks.Harness;
using Draas.Benchmarks.Results;

namespace Draas.Benchmarks.Benchmarks;

/// <summary>
/// Benchmark 1: one tenant (servers booting from volumes, each with a data volume) fails over; its RTO
/// against the cloud bound of the planner's own step graph under the latency model, with default run options
/// (no per-run cap: the recovery site's limits, set to the clouds', bound it).
/// </summary>
public static class SingleTenantRto
{
    public sealed record Outcome(Cost Cost, int Steps, JsonNode Run);

    public static async Task<Outcome> RunAsync(BenchLab bench, BenchOptions options, LatencyModel model, Section section, IdleRate idleRate)
    {
        var volumes = options.RtoServers * options.RtoVolumesPerServer;
        section.Size = $"{options.RtoServers} servers booting from volumes, {volumes} volumes, 2 priority groups, default run options";
        var tenant = await LabTenants.ServersAsync(bench, options.RtoServers).ConfigureAwait(false);
        // A failover of a small tenant of its own first, latency model off: the measured failover then meets a
        // warm service (JIT, connection pools), as a real one would. (A drill of the big tenant cannot warm it:
        // its drill project gets Cinder's default quota of 10 volumes, and preflight refuses 20.)
        var small = (await LabTenants.VolumesAsync(bench, "warm", 1, 2).ConfigureAwait(false)).Single();
        await LabTenants.ProtectAllAsync(bench, [tenant, small], TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        var warm = await bench.Api.StartRunAsync(small.Plan, "failover", new { }).ConfigureAwait(false);
        var warmed = await bench.Api.WaitRunAsync(warm, TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        section.Notes.Add($"warm-up: a failover of a 2-volume tenant of its own, latency model off, ran first ({warmed["state"]})");
        await model.ApplyAsync(bench.Lab).ConfigureAwait(false);
        try
        {
            var runOptions = new { };
            var planned = await bench.Api.DryRunAsync(tenant.Plan, "failover", runOptions).ConfigureAwait(false);
            var bound = CloudBound.Of([planned], model);
            var (run, cost) = await Cost.MeasureAsync(bench, idleRate, async () =>
            {
                var id = await bench.Api.StartRunAsync(tenant.Plan, "failover", runOptions).ConfigureAwait(false);
                return await bench.Api.WaitRunAsync(id, TimeSpan.FromMinutes(15), TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
            }).ConfigureAwait(false);
            var report = (await bench.Api.GetAsync($"/v1/runs/{run["id"]}/report").ConfigureAwait(false))["report"]!;
            var state = run["state"]!.GetValue<string>();
            var duration = Seconds(run["finished_at"]) - Seconds(run["started_at"]);
            var rto = report["rto_seconds"]?.GetValue<double>();
            section.Add("run state", null, "", state);
            section.Add("RTO (report: run start to service restored)", rto, "s");
            section.Add("run duration (started_at to finished_at)", duration, "s");
            section.Add("cloud bound", bound.Seconds, "s", bound.Describe());
            section.Add("run duration / cloud bound", duration / bound.Seconds, "x");
            section.Add("RTO / cloud bound", rto is { } r ? r / bound.Seconds : null, "x", "target at most 1.15");
            section.Add("steps", bound.Steps, "steps");
            foreach (var kind in run["steps"]!.AsArray().OfType<JsonObject>().GroupBy(s => s["kind"]!.GetValue<string>()))
            {
                var mean = kind.Average(s => s["duration_seconds"]?.GetValue<double>() ?? 0);
                var data = planned.OfType<JsonObject>().Where(p => p["kind"]!.GetValue<string>() == kind.Key)
                    .Select(p => p["input"]?["data_volumes"]?.AsArray().Count ?? 0).DefaultIfEmpty(0).Average();
                var floor = model.StepMinimum(kind.Key, (int)Math.Round(data)).TotalSeconds;
                section.Add($"mean {kind.Key} step ({kind.Count()})", mean, "s", $"model minimum {floor:0.###} s");
            }
            if (state != "succeeded") section.Notes.Add($"the run ended {state}: {run["error"]}");
            return new Outcome(cost, bound.Steps, run);
        }
        finally
        {
            await LatencyModel.ClearAsync(bench.Lab).ConfigureAwait(false);
        }
    }

    internal static double Seconds(JsonNode? at) => at is null ? double.NaN
        : DateTimeOffset.Parse(at.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() / 1000.0;
}
