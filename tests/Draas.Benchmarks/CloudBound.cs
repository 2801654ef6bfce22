using System.Text.Json.Nodes;

namespace Draas.Benchmarks;

/// <summary>One of the clouds' own limits and what a set of runs asks of it: the seconds of work it must do
/// (each use at its latency-model time) and how many it does at once.</summary>
public sealed record PoolLoad(string Name, int Uses, double WorkSeconds, int Limit)
{
    /// <summary>No schedule finishes this pool's work sooner (0 when the cloud does any number at once).</summary>
    public double Seconds => Limit > 0 ? WorkSeconds / Limit : 0;
}

/// <summary>
/// The best any orchestrator could do with a set of runs (each the planner's own step graph, from a dry run)
/// in these clouds: every step takes its <see cref="LatencyModel.StepMinimum"/>, and each of the clouds' own
/// limits (the recovery site's Cinder manages and Nova builds, the recovery array's copies) does at most its
/// limit at once, so no schedule beats max(the longest dependency chain of any run, each limit's work / its
/// limit). The service's own throttles (max_parallel, its site limits, its job workers) are not in it.
/// </summary>
public sealed record CloudBound(double CriticalPathSeconds, double WorkSeconds, IReadOnlyList<PoolLoad> Pools, int Steps)
{
    public const string Formula = "cloud bound = max(longest critical path of any run, each cloud limit's work / its limit), each step at its latency-model minimum, over the planner's step graphs (dry runs); the service's own throttles are not in it";

    public double Seconds => Math.Max(CriticalPathSeconds, Pools.Select(p => p.Seconds).DefaultIfEmpty(0).Max());

    /// <summary>What binds: the critical path or the busiest limit.</summary>
    public string Binding => Pools.Where(p => p.Seconds > CriticalPathSeconds).OrderByDescending(p => p.Seconds).Select(p => p.Name).FirstOrDefault() ?? "critical path";

    public string Describe() => $"critical path {CriticalPathSeconds:0.##} s; " +
        string.Join("; ", Pools.Select(p => $"{p.Name}: {p.Uses} x = {p.WorkSeconds:0.#} s / {(p.Limit > 0 ? p.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unlimited")} = {p.Seconds:0.##} s")) +
        $"; bound by {Binding}";

    /// <summary><paramref name="runs"/>: each run's dry-run steps, each with sequence, kind, depends_on and input;
    /// all recovering into the same site and array.</summary>
    public static CloudBound Of(IEnumerable<JsonArray> runs, LatencyModel model)
    {
        double critical = 0, work = 0;
        var steps = 0;
        var uses = new Dictionary<string, int>();
        foreach (var run in runs)
        {
            var finish = new Dictionary<int, double>();
            // Sequences are topological: the planner only ever depends on steps it added earlier.
            foreach (var step in run.OfType<JsonObject>().OrderBy(s => s["sequence"]!.GetValue<int>()))
            {
                var kind = step["kind"]!.GetValue<string>();
                var data = step["input"]?["data_volumes"]?.AsArray().Count ?? 0;
                var own = model.StepMinimum(kind, data).TotalSeconds;
                var start = step["depends_on"]!.AsArray().Select(d => finish[d!.GetValue<int>()]).DefaultIfEmpty(0).Max();
                finish[step["sequence"]!.GetValue<int>()] = start + own;
                work += own;
                steps++;
                uses[kind] = uses.GetValueOrDefault(kind) + 1;
            }
            critical = Math.Max(critical, finish.Values.DefaultIfEmpty(0).Max());
        }
        PoolLoad Pool(string name, string kind, TimeSpan each, int limit) =>
            new(name, uses.GetValueOrDefault(kind), uses.GetValueOrDefault(kind) * each.TotalSeconds, limit);
        return new CloudBound(critical, work,
        [
            Pool("Cinder manages", "import_volume", model.CinderManage, model.ManagesPerBackend),
            Pool("Nova builds", "boot_server", model.NovaBuild, model.BuildsPerSite),
            Pool("array copies", "promote_volume", model.ArrayPromote, model.CopiesPerArray),
        ], steps);
    }
}
