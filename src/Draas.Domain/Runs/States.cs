using System.Linq.Expressions;

namespace Draas.Domain.Runs;

/// <summary>The allowed transitions of a run: a succeeded run never moves again; a failed or cancelled
/// one moves only when an operator resumes it (back to running, its succeeded steps kept); a rolled-back one
/// never moves again.</summary>
public static class RunStates
{
    private static readonly Dictionary<RunState, RunState[]> Allowed = new()
    {
        [RunState.Pending] = [RunState.Running, RunState.Cancelled, RunState.Failed],
        [RunState.Running] = [RunState.Succeeded, RunState.Failed, RunState.Cancelling, RunState.AwaitingApproval, RunState.AwaitingCommit],
        // A person approves (the run goes on) or cancels; a recovery_timeout does not count while a person decides.
        [RunState.AwaitingApproval] = [RunState.Running, RunState.Cancelling, RunState.Failed],
        [RunState.Cancelling] = [RunState.Cancelled, RunState.Failed],
        // A recovery with manual commit: a person keeps it (the run goes on to succeed) or takes it back.
        [RunState.AwaitingCommit] = [RunState.Running, RunState.RollingBack],
        [RunState.RollingBack] = [RunState.RolledBack, RunState.Failed],
        [RunState.RolledBack] = [],
        [RunState.Succeeded] = [],
        // A failed rollback is resumed as a rollback: it can only go on taking the recovery back.
        [RunState.Failed] = [RunState.Running, RunState.RollingBack],
        [RunState.Cancelled] = [RunState.Running],
    };

    public static bool IsFinal(RunState state) => state is RunState.Succeeded or RunState.Failed or RunState.Cancelled or RunState.RolledBack;

    /// <summary>
    /// A run that has not ended (the opposite of <see cref="IsFinal"/>), as a query the database answers: a plan
    /// with one takes no other run and is not deleted.
    /// </summary>
    public static readonly Expression<Func<Run, bool>> NotEnded = r =>
        r.State == RunState.Pending || r.State == RunState.Running || r.State == RunState.AwaitingApproval || r.State == RunState.Cancelling
        || r.State == RunState.AwaitingCommit || r.State == RunState.RollingBack;

    public static bool CanMove(RunState from, RunState to) => Allowed[from].Contains(to);

    public static void EnsureAllowed(RunState from, RunState to)
    {
        if (!CanMove(from, to)) throw new InvalidStateTransitionException("run", from.ToString(), to.ToString());
    }
}

/// <summary>The allowed transitions of a step: a failed attempt may run again (a retry).</summary>
public static class StepStates
{
    private static readonly Dictionary<StepState, StepState[]> Allowed = new()
    {
        [StepState.Pending] = [StepState.Running, StepState.Skipped, StepState.Cancelled],
        [StepState.Running] = [StepState.Succeeded, StepState.Failed, StepState.Pending, StepState.Cancelled],
        [StepState.Failed] = [StepState.Pending],
        [StepState.Succeeded] = [],
        // A resumed run runs its skipped and cancelled steps again.
        [StepState.Skipped] = [StepState.Pending],
        [StepState.Cancelled] = [StepState.Pending],
    };

    /// <summary>Failed is final for the run's bookkeeping, though an operator may re-queue it.</summary>
    public static bool IsFinal(StepState state) => state is StepState.Succeeded or StepState.Failed or StepState.Skipped or StepState.Cancelled;

    public static bool CanMove(StepState from, StepState to) => Allowed[from].Contains(to);

    public static void EnsureAllowed(StepState from, StepState to)
    {
        if (!CanMove(from, to)) throw new InvalidStateTransitionException("step", from.ToString(), to.ToString());
    }
}

public sealed class InvalidStateTransitionException(string what, string from, string to)
    : InvalidOperationException($"a {what} cannot move from {from} to {to}");
