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

    /// <summary>What the planner decided for this step (JSON): ids, names, hosts, flavors, networks.</summary>
    public string? Input { get; set; }

    /// <summary>Sequences of the steps that must succeed first (fan-in edges of the run's graph).</summary>
    public List<int> DependsOn { get; set; } = [];

    /// <summary>Runs once its dependencies have ended, however they ended: a drill's cleanup.</summary>
    public bool Always { get; set; }

    /// <summary>A retried step waits until then (backoff).</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>A running step's worker renews this; past it, the worker is presumed dead and the step is re-queued.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>A running step parked on a cloud resource or a timer (JSON, see StepWait): it holds no worker;
    /// the wait poller keeps its lease and wakes it when the resource is ready.</summary>
    public string? WaitingFor { get; set; }
    public StepState State { get; set; } = StepState.Pending;
    public int Attempts { get; set; }
    public int MaxAttempts { get; set; } = 5;
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }

    /// <summary>What the step produced (JSON): new ids, names, timings.</summary>
    public string? Output { get; set; }
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
