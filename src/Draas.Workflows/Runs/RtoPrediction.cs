using System.Text.Json.Nodes;

namespace Draas.Workflows.Runs;

/// <summary>
/// The RTO a plan's recovery would take today, predicted from its last drills: each drill's RTO scaled by
/// how its per-step work changes at the plan's size today (volume steps by the volume count, server steps
/// by the server count, the rest as they were), averaged over the newest drills. Also back-tested: for
/// each drill, what the drills before it predicted at its size, so an operator sees how far to trust it.
/// </summary>
public static class RtoPrediction
{
    /// <summary>How many of the newest drills one prediction averages.</summary>
    public const int Window = 3;

    /// <summary>One finished drill: its id and its report (<see cref="RunReports.Build"/>).</summary>
    public sealed record Drill(Guid RunId, JsonObject Report);

    /// <param name="drills">The plan's finished drills, newest first; failed ones and those without an RTO are skipped.</param>
    /// <param name="volumes">The plan's volumes today (its newest manifest).</param>
    /// <param name="servers">The plan's servers today.</param>
    /// <returns>Null when no drill has succeeded yet.</returns>
    public static JsonObject? For(IReadOnlyList<Drill> drills, int volumes, int servers)
    {
        var usable = drills.Where(d => d.Report["state"]?.ToString() == "succeeded" && Num(d.Report["rto_seconds"]) is > 0).ToList();
        if (usable.Count == 0) return null;
        var past = new JsonArray();
        for (var i = 0; i < usable.Count - 1 && past.Count < 5; i++)
        {
            var (v, s) = Size(usable[i].Report);
            var predicted = Predict(usable.Skip(i + 1).Take(Window), v, s);
            var actual = Num(usable[i].Report["rto_seconds"])!.Value;
            past.Add(new JsonObject
            {
                ["run_id"] = usable[i].RunId.ToString(),
                ["predicted_seconds"] = Math.Round(predicted, 1),
                ["actual_seconds"] = Math.Round(actual, 1),
                ["error_percent"] = Math.Round((predicted - actual) / actual * 100, 1),
            });
        }
        return new JsonObject
        {
            ["seconds"] = Math.Round(Predict(usable.Take(Window), volumes, servers), 1),
            ["from_drills"] = Math.Min(Window, usable.Count),
            ["volumes"] = volumes,
            ["servers"] = servers,
            ["past_predictions"] = past,
            ["mean_abs_error_percent"] = past.Count == 0 ? null : Math.Round(past.Average(p => Math.Abs(Num(p!["error_percent"])!.Value)), 1),
        };
    }

    private static double Predict(IEnumerable<Drill> drills, int volumes, int servers) =>
        drills.Select(d => Scaled(d.Report, volumes, servers)).Average();

    /// <summary>One drill's RTO at another size: its RTO times the ratio of its scaled step work to its step work.</summary>
    private static double Scaled(JsonObject report, int volumes, int servers)
    {
        var rto = Num(report["rto_seconds"])!.Value;
        var (thenVolumes, thenServers) = Size(report);
        double work = 0, scaled = 0;
        foreach (var step in report["steps"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            // Cleanup comes after the service is back: not part of the RTO.
            if (step["kind"]?.ToString() is not { } kind || kind == RunPlanner.Cleanup || Num(step["duration_seconds"]) is not { } seconds) continue;
            var factor = kind.Contains("volume", StringComparison.Ordinal) ? Ratio(volumes, thenVolumes)
                : kind.Contains("server", StringComparison.Ordinal) || kind == RunPlanner.HealthCheck ? Ratio(servers, thenServers)
                : 1;
            work += seconds;
            scaled += seconds * factor;
        }
        return work <= 0 ? rto : rto * scaled / work;
    }

    private static double Ratio(int now, int then) => then <= 0 ? 1 : (double)now / then;

    private static (int Volumes, int Servers) Size(JsonObject report) =>
        (report["recovered"]?["volumes"]?.AsArray().Count ?? 0, report["recovered"]?["servers"]?.AsArray().Count ?? 0);

    private static double? Num(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
}
