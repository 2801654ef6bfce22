using Draas.Domain.Runs;

namespace Draas.Workflows.Runs;

/// <summary>A step as people read it, in a run's report and (with more beside it) in the API's run view.</summary>
/// <param name="Name">What people call the target: the server's, volume's, flavor's or keypair's name.</param>
/// <param name="Interrupted">Pending again because the worker running it stopped (the watchdog took it back): not a failure of the step.</param>
public record StepSummary(int Sequence, int Phase, string Kind, string? Target, string? Name, StepState State, bool Interrupted, int Attempts,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, double? DurationSeconds, string? Error)
{
    public static StepSummary Of(Step s) => new(s.Sequence, s.Phase, s.Kind, s.Target, RunReports.StepName(s), s.State,
        s.State == StepState.Pending && s.Error?.StartsWith(RunWatchdog.Interrupted, StringComparison.Ordinal) == true,
        s.Attempts, s.StartedAt, s.FinishedAt,
        s.StartedAt is { } a && s.FinishedAt is { } b ? Math.Round((b - a).TotalSeconds, 3) : null, s.Error);
}
