using Prometheus;

namespace Draas.Workflows.Runs;

/// <summary>What the runs did, counted in the worker that did it (Prometheus sums over the instances).</summary>
public static class RunMetrics
{
    public static readonly Counter RunsStarted = Metrics.CreateCounter(
        "draas_runs_started_total", "Runs that started, by kind.", "kind");

    public static readonly Counter RunsEnded = Metrics.CreateCounter(
        "draas_runs_total", "Runs that ended, by kind and final state (succeeded, failed, cancelled).", "kind", "state");

    public static readonly Histogram RunDuration = Metrics.CreateHistogram(
        "draas_run_duration_seconds", "From a run's start to its end, by kind.",
        new HistogramConfiguration { LabelNames = ["kind"], Buckets = Histogram.ExponentialBuckets(10, 2, 12) });

    public static readonly Counter StepAttempts = Metrics.CreateCounter(
        "draas_step_attempts_total", "Step attempts that ended, by step kind and outcome (succeeded, failed, retried).", "kind", "state");

    public static readonly Histogram StepDuration = Metrics.CreateHistogram(
        "draas_step_duration_seconds", "How long one attempt of a step took, by step kind.",
        new HistogramConfiguration { LabelNames = ["kind"], Buckets = Histogram.ExponentialBuckets(0.05, 2, 16) });

    public static void Ended(Domain.Runs.Run run)
    {
        var kind = Word(run.Kind);
        RunsEnded.WithLabels(kind, Word(run.State)).Inc();
        if (run.StartedAt is { } start && run.FinishedAt is { } end) RunDuration.WithLabels(kind).Observe((end - start).TotalSeconds);
    }

    public static string Word<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
