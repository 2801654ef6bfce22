using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Draas.Benchmarks.Results;

/// <summary>
/// Issue #18's targets, each a named figure of one benchmark and the most it may be. Numbers never fail the
/// benchmark run; they are shown against these in results.json, results.md and the README's table.
/// </summary>
public static class Targets
{
    public sealed record Target(int Benchmark, string Figure, double AtMost);

    public static IReadOnlyList<Target> All(BenchOptions options)
    {
        var list = new List<Target> { new(1, "RTO / cloud bound", 1.15) };
        foreach (var n in options.TenantSteps) list.Add(new(2, $"{n} tenants: total / cloud bound", 1.3));
        var most = options.TenantSteps.Max();
        list.Add(new(2, $"{most} tenants: OpenStack requests per recovered volume", 8));
        list.Add(new(2, $"{most} tenants: service CPU per step (ms)", 5));
        list.Add(new(2, $"{most} tenants: database transactions per step", 10));
        list.Add(new(5, "API read p99 (ms)", 100));
        list.Add(new(5, "service peak RSS (MiB)", 300));
        list.Add(new(7, "workers sharing the wave", double.NaN));
        list.Add(new(7, "total / cloud bound", 1.3));
        return list;
    }

    private static (double? Value, bool? Met, string Goal) Judge(BenchReport report, Target t)
    {
        var value = report.Sections.FirstOrDefault(s => s.Id == t.Benchmark)?.Figures.FirstOrDefault(f => f.Name == t.Figure)?.Value;
        // "Both workers run steps": at least the number of worker processes benchmark 7 started.
        var goal = double.IsNaN(t.AtMost) ? report.Options.SplitWorkers : t.AtMost;
        var met = value is not { } v || double.IsNaN(v) ? (bool?)null : double.IsNaN(t.AtMost) ? v >= goal : v <= goal;
        return (value, met, double.IsNaN(t.AtMost) ? $"≥ {goal}" : $"≤ {t.AtMost.ToString(CultureInfo.InvariantCulture)}");
    }

    public static JsonArray Json(BenchReport report) => new([.. All(report.Options).Select(t =>
    {
        var (value, met, goal) = Judge(report, t);
        return (JsonNode)new JsonObject
        {
            ["benchmark"] = t.Benchmark,
            ["figure"] = t.Figure,
            ["target"] = goal,
            ["value"] = value is { } v && !double.IsNaN(v) ? Math.Round(v, 4) : null,
            ["met"] = met,
        };
    })]);

    public static string Markdown(BenchReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("| # | figure | target | measured | met |");
        md.AppendLine("| --- | --- | --- | ---: | --- |");
        foreach (var t in All(report.Options))
        {
            var (value, met, goal) = Judge(report, t);
            var shown = value is { } v && !double.IsNaN(v) ? v.ToString(Math.Abs(v) >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture) : "not measured";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Benchmark} | {t.Figure} | {goal} | {shown} | {met switch { true => "yes", false => "**no**", null => "–" }} |");
        }
        return md.ToString();
    }
}
