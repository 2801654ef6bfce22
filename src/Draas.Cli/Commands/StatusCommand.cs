using System.CommandLine;
using System.Text.Json.Nodes;
using Draas.Cli.Output;

namespace Draas.Cli.Commands;

/// <summary><c>draasctl status PLAN</c>: where the plan runs (failed over, reversed), replication health, lag and
/// newest recovery point against the RPO target.</summary>
public static class StatusCommand
{
    public static Command Build(CommandBuilder b)
    {
        var plan = CommandBuilder.Id("plan", "Plan name or id");
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
            var summary = status.DeepClone().AsObject();
            summary.Remove("groups");
            // "site-b (project 1f2e…)": where the plan runs now, as an operator reads it.
            if (summary["runs_at"] is JsonObject at)
                summary["runs_at"] = $"{at["site"]?.GetValue<string>() ?? at["site_id"]?.ToString()} (project {at["project_id"]})";
            c.Output.Show(summary);
            if (status["groups"] is JsonArray { Count: > 0 } groups)
                c.Output.List(groups, Column.Of("Group", "name"), Column.Of("Mode", "mode"), Column.Of("Source", "source_array"), Column.Of("Target", "target_array"),
                    Column.Of("Health", "health"), Column.Of("Lag (s)", "lag_seconds"), Column.Of("Latest recovery point", "latest_recovery_point_at"), Column.Of("Members", "members"));
            return ExitCodes.Ok;
        }, plan);
    }
}
