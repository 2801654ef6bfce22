using System.Text.Json.Nodes;

namespace Draas.Tests.Reliability;

/// <summary>
/// A moment to SIGKILL the service, drawn from the run as it stands: one of the next steps to start
/// (kill as soon as it has started, i.e. while its handler is at work), a step that is under way (kill
/// as soon as it has finished, i.e. between its ending and the pump that follows), or, when delays are
/// allowed, a random time after the service came up. Named by step kind and its ordinal among that kind
/// ("import_volume #3"), which the planner makes the same in every run, so a seed replays the same points.
/// </summary>
public sealed record KillPoint(int? Sequence, string? Kind, int Ordinal, bool WhenFinished, TimeSpan? Delay, int AttemptsAtDraw = 0)
{
    /// <summary>How many of the next steps to start a point may be drawn from.</summary>
    public const int Lookahead = 5;

    public static KillPoint? Draw(Random random, JsonNode run, bool allowDelays)
    {
        if (allowDelays && random.Next(4) == 0) return new KillPoint(null, null, 0, false, TimeSpan.FromMilliseconds(random.Next(300, 4000)));
        var steps = run["steps"]!.AsArray().Select(s => s!).ToList();
        // Among the next few steps to start, so that several points fit into one run.
        var waiting = steps.Where(s => State(s) == "pending").OrderBy(s => s["sequence"]!.GetValue<int>()).Take(Lookahead).ToList();
        var underWay = steps.Where(s => State(s) == "running").ToList();
        // Even odds between "once it has started" and "once it has finished" when both are possible.
        var whenFinished = waiting.Count == 0 || (underWay.Count > 0 && random.Next(2) == 0);
        var pool = whenFinished ? underWay.Concat(waiting).ToList() : waiting;
        if (pool.Count == 0) return null;
        var step = pool[random.Next(pool.Count)];
        var kind = step["kind"]!.GetValue<string>();
        var sequence = step["sequence"]!.GetValue<int>();
        var ordinal = steps.Count(s => s["kind"]!.GetValue<string>() == kind && s["sequence"]!.GetValue<int>() <= sequence);
        return new KillPoint(sequence, kind, ordinal, whenFinished, null, step["attempts"]!.GetValue<int>());
    }

    /// <summary>Whether the moment has come; <paramref name="upFor"/> is how long the service has been up.</summary>
    public bool Reached(JsonNode run, TimeSpan upFor)
    {
        if (Delay is { } delay) return upFor >= delay;
        var step = run["steps"]!.AsArray().Single(s => s!["sequence"]!.GetValue<int>() == Sequence)!;
        var state = State(step);
        // A step retried (after a fault, or a kill) goes back to pending with one more attempt counted.
        var started = state != "pending" || step["attempts"]!.GetValue<int>() > AttemptsAtDraw;
        return WhenFinished ? state is "succeeded" or "failed" or "skipped" or "cancelled" : started;
    }

    public override string ToString() => Delay is { } d
        ? $"{d.TotalMilliseconds:0} ms after the service came up"
        : $"once {Kind} #{Ordinal} (step {Sequence}) has {(WhenFinished ? "finished" : "started")}";

    private static string State(JsonNode step) => step["state"]!.GetValue<string>();
}
