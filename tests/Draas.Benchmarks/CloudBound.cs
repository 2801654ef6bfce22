using System.Text.Json.Nodes;

namespace Draas.Benchmarks;

/// <summary>
/// The best any orchestrator could do with a run's step graph (the planner's own, from a dry run): each step
/// takes its <see cref="LatencyModel.StepMinimum"/>, at most <c>max_parallel</c> run at once, so no schedule
/// beats max(longest dependency chain, total work / max_parallel) — the list-scheduling lower bound.
/// </summary>
public sealed record CriticalPathBound(double CriticalPathSeconds, double WorkSeconds, int MaxParallel, int Steps)
{
    public const string Formula = "bound = max(critical path, total work / max_parallel), each step at its latency-model minimum, over the planner's step graph (dry run)";

    public double Seconds => Math.Max(CriticalPathSeconds, WorkSeconds / MaxParallel);

    /// <summary><paramref name="steps"/>: the dry run's steps, each with sequence, kind, depends_on and input.</summary>
    public static CriticalPathBound Of(JsonArray steps, LatencyModel model, int maxParallel)
    {
        var finish = new Dictionary<int, double>();
        double work = 0;
        // Sequences are topological: the planner only ever depends on steps it added earlier.
        foreach (var step in steps.OfType<JsonObject>().OrderBy(s => s["sequence"]!.GetValue<int>()))
        {
            var kind = step["kind"]!.GetValue<string>();
            var data = step["input"]?["data_volumes"]?.AsArray().Count ?? 0;
            var own = model.StepMinimum(kind, data).TotalSeconds;
            var start = step["depends_on"]!.AsArray().Select(d => finish[d!.GetValue<int>()]).DefaultIfEmpty(0).Max();
            finish[step["sequence"]!.GetValue<int>()] = start + own;
            work += own;
        }
        return new CriticalPathBound(finish.Values.DefaultIfEmpty(0).Max(), work, maxParallel, finish.Count);
    }
}
