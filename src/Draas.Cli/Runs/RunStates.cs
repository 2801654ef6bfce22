using System.Globalization;
using System.Text.Json.Nodes;
using Draas.Cli.Output;
using Draas.Domain.Time;

namespace Draas.Cli.Runs;

/// <summary>Reading a run view (<c>{"id", "state", "progress", "steps": [...]}</c>): what is final, how long things took.</summary>
public static class RunStates
{
    public static readonly string[] Kinds = ["drill", "failover", "planned_migration", "reprotect", "failback"];

    public static readonly string[] States = ["pending", "running", "awaiting_approval", "cancelling", "succeeded", "failed", "cancelled", "awaiting_commit", "rolling_back", "rolled_back"];

    public static bool IsFinal(string? state) => state is "succeeded" or "failed" or "cancelled" or "rolled_back";

    /// <summary>The run waits for a person (an approval hook, or a manual commit): watching it longer would only wait too.</summary>
    public static bool AwaitsPerson(string? state) => state is "awaiting_approval" or "awaiting_commit";

    public static string State(JsonNode? run) => Cells.String(run, "state") ?? "unknown";

    public static IReadOnlyList<JsonObject> Steps(JsonNode? run) =>
        (run?["steps"] as JsonArray ?? []).OfType<JsonObject>()
            .OrderBy(s => Cells.Number(s, "phase") ?? 0).ThenBy(s => Cells.Number(s, "sequence") ?? 0).ToList();

    /// <summary>The step's own duration, else the time since it started (to <paramref name="now"/>) while it runs.</summary>
    public static double? StepSeconds(JsonObject step, DateTimeOffset now)
    {
        if (Cells.Number(step, "duration_seconds") is { } d) return d;
        if (Time(step, "started_at") is not { } started) return null;
        return ((Time(step, "finished_at") ?? now) - started).TotalSeconds;
    }

    /// <summary>Start to finish of the whole run: the RTO when the service's report does not say.</summary>
    public static double? RunSeconds(JsonNode? run) =>
        Time(run, "started_at") is { } started && Time(run, "finished_at") is { } finished ? (finished - started).TotalSeconds : null;

    public static DateTimeOffset? Time(JsonNode? node, string field) =>
        Cells.String(node, field) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>2.1 s, 4 min 10 s, 2 h 05 min (<see cref="Readable.Duration"/>).</summary>
    public static string Duration(double? seconds) => Readable.Duration(seconds);

    /// <summary>What a person calls the step's target: its name (a server's, a volume's) when the service gave one, else the target.</summary>
    public static string Name(JsonNode? step) => Cells.String(step, "name") ?? Cells.Text(step?["target"]);

    /// <summary>The step's state for people: a pending step whose worker stopped mid-attempt reads <c>interrupted</c>.</summary>
    public static string StepState(JsonNode? step) =>
        Cells.At(step, "interrupted") is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True && Cells.String(step, "state") == "pending"
            ? "interrupted" : Cells.String(step, "state") ?? "";
}
