using System.Diagnostics;

namespace Draas.Workflows.Runs;

/// <summary>
/// One trace per run. A run outlives any one job and may move between workers, so its root span is
/// made when the run starts (its context kept on the run as a W3C traceparent) and every step attempt,
/// in whatever worker, opens its span as that root's child; the OpenStack and array requests a step makes
/// (HttpClient under RestSharp) are the step span's children through the HTTP instrumentation. The root
/// span carries the run's start; the run's end is a child span <c>run.finished</c>.
/// Nothing is recorded unless a tracer provider listens (OTLP configured, or a test's exporter).
/// </summary>
public static class RunTracing
{
    public const string SourceName = "Draas.Runs";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Opens and closes the run's root span; returns its traceparent (null when nobody listens).</summary>
    public static string? StartRun(Domain.Runs.Run run)
    {
        using var activity = Source.StartActivity($"run {Word(run.Kind)}", ActivityKind.Internal, parentContext: default);
        if (activity is null) return null;
        activity.SetTag("draas.run.id", run.Id.ToString());
        activity.SetTag("draas.run.kind", Word(run.Kind));
        activity.SetTag("draas.plan.id", run.PlanId?.ToString());
        activity.SetTag("draas.project.id", run.ProjectId);
        return activity.Id;
    }

    /// <summary>A span under the run's root (null when nobody listens or the run has no trace).</summary>
    public static Activity? StartChild(string? traceParent, string name) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, ActivityKind.Internal, parent)
            : null;

    private static string Word<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
