namespace Draas.Workflows.Runs;

/// <summary>One attempt of one step, as a pump claimed it: what a <see cref="StepJob"/> runs. The attempt
/// number is the ticket's guard (an attempt whose step moved on does nothing).</summary>
public sealed record StepTicket(Guid Step, int Attempt, string Kind);

/// <summary>What one pump of a run claimed, with the queue its run's jobs go to.</summary>
public sealed record ClaimedSteps(string Queue, IReadOnlyList<StepTicket> Steps);
