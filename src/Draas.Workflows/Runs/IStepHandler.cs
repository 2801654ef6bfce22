namespace Draas.Workflows.Runs;

/// <summary>
/// One kind of step. Every handler first looks at the world (already promoted? already imported? server
/// already there with this run's tag?) so a retry or a crash never acts twice. Returns the step's output.
/// </summary>
public interface IStepHandler
{
    string Kind { get; }

    Task<object?> ExecuteAsync(StepContext context, CancellationToken ct);
}
