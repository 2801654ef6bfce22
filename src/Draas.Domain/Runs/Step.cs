namespace Draas.Domain.Runs;

/// <summary>One unit of a run with its own state, timing, attempts and error.</summary>
public sealed class Step
{
    public Guid Id { get; set; }
    public Guid RunId { get; set; }

    /// <summary>Position in the run's ordered step plan.</summary>
    public int Sequence { get; set; }

    /// <summary>Steps of phase N start only when every step of earlier phases has ended.</summary>
    public int Phase { get; set; }
    public required string Kind { get; set; }

    /// <summary>What the step acts on (a volume id, a server name…).</summary>
    public string? Target { get; set; }
    public StepState State { get; set; } = StepState.Pending;
    public int Attempts { get; set; }
    public int MaxAttempts { get; set; } = 5;
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }

    /// <summary>What the step produced (JSON): new ids, names, timings.</summary>
    public string? Output { get; set; }
    public string? JobId { get; set; }
    public uint Version { get; set; }

    public void TransitionTo(StepState next, DateTimeOffset now)
    {
        StepStates.EnsureAllowed(State, next);
        if (next == StepState.Running)
        {
            Attempts++;
            StartedAt ??= now;
        }
        State = next;
        if (StepStates.IsFinal(next)) FinishedAt = now;
    }
}

public enum StepState
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
    Cancelled,
}
