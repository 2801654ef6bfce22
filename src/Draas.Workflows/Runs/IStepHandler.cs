namespace Draas.Workflows.Runs;

/// <summary>
/// One kind of step. Every handler first looks at the world (already promoted? already imported? server
/// already there with this run's tag?) so a retry or a crash never acts twice. Returns the step's output.
/// </summary>
public interface IStepHandler
{
    string Kind { get; }

    /// <summary>The step kinds whose succeeded outputs this handler reads: the only outputs of the run its
    /// context loads (none: no query), so a step of a site-wide run does not read every other step's output.</summary>
    IReadOnlyList<string> ReadsOutputsOf { get; }

    Task<object?> ExecuteAsync(StepContext context, CancellationToken ct);
}
