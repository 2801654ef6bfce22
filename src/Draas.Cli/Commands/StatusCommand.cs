using System.CommandLine;
using System.Text.Json.Nodes;
using Draas.Cli.Output;
using Draas.Cli.Runs;

namespace Draas.Cli.Commands;

/// <summary><c>draasctl status PLAN</c>: where the plan runs (failed over, reversed), replication health, lag and
/// newest recovery point against the RPO target.</summary>
public static class StatusCommand
{
    public static Command Build(CommandBuilder b)
    {
        var plan = CommandBuilder.Id("plan", "Plan name or id");
        var longOption = new Option<bool>("--long") { Description = "Also show ids and the replication groups' names" };
        return b.Command("status", "A plan's replication status against its RPO target", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "plans", "plan", c.Get(plan), ct);
            var status = Resolver.Unwrap(await api.GetAsync($"plans/{id}/status", ct), "status");
            if (!c.Output.IsTable)
            {
                c.Output.Data(status);
                return ExitCodes.Ok;
            }
            var wide = c.Get(longOption);
            var summary = new JsonObject
            {
                ["Plan"] = c.Get(plan) + (wide ? $" ({Cells.String(status, "plan_id")})" : ""),
                ["State"] = status["state"]?.DeepClone(),
                // "site-b (project 1f2e…)": where the plan runs now, as an operator reads it.
                ["Runs at"] = status["runs_at"] is JsonObject at ? $"{at["site"]?.GetValue<string>() ?? at["site_id"]?.ToString()} (project {at["project_id"]})" : null,
                ["Replicates to"] = status["replicates_to"]?.DeepClone() ?? "nothing (failed over)",
                ["RPO target"] = RunStates.Duration(Cells.Number(status, "rpo_target_seconds")),
                ["Lag"] = Cells.Number(status, "lag_seconds") is { } lag ? RunStates.Duration(lag) : "unknown",
                // within target, exceeded (≤2x), severely exceeded (≤4x), critical
                ["RPO compliance"] = status["rpo_tier"]?.GetValue<string>().Replace('_', ' '),
                ["Latest recovery point"] = status["latest_recovery_point_at"]?.DeepClone(),
                ["Predicted RTO"] = PredictedRto(status["predicted_rto"]),
            };
            c.Output.Show(summary);
            // The group's array-side name is long and machine-made: with --long only.
            if (status["groups"] is JsonArray { Count: > 0 } groups)
                c.Output.List(groups, [
                    .. wide ? new[] { Column.Of("Group", "name") } : [],
                    Column.Of("Source", "source_array"), Column.Of("Target", "target_array"), Column.Of("Mode", "mode"),
                    Column.Text("Health", "health"), new("Lag", g => RunStates.Duration(Cells.Number(g, "lag_seconds"))), Column.Of("Latest recovery point", "latest_recovery_point_at"),
                    new("Volumes", g => (g?["members"] as JsonArray)?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""),
                ]);
            if (status["drills"] is JsonArray { Count: > 0 } drills)
                c.Output.List(drills, Column.Of("Drill", "run_id"), Column.Of("State", "state"), Column.Of("Finished", "finished_at"),
                    new("RTO", d => RunStates.Duration(Cells.Number(d, "rto_seconds"))), Column.Of("Scheduled", "scheduled"));
            // Clocks that disagree make the figures above untrue: said after them, where the eye ends.
            foreach (var warning in (status["warnings"] as JsonArray ?? []).Select(w => w?.ToString()))
                c.Host.Out.WriteLine($"Warning: {warning}");
            return ExitCodes.Ok;
        }, plan, longOption);
    }

    /// <summary>"2 min 30 s (from 3 drills, at 5 volumes and 3 servers; past predictions off by 12 % on average)".</summary>
    private static string PredictedRto(JsonNode? p) => p is not JsonObject o || Cells.Number(o, "seconds") is not { } seconds
        ? "no successful drill yet"
        : $"{RunStates.Duration(seconds)} (from {o["from_drills"]} drills, at {o["volumes"]} volumes and {o["servers"]} servers"
            + (Cells.Number(o, "mean_abs_error_percent") is { } e ? $"; past predictions off by {e.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} % on average)" : ")");
}
