namespace Draas.Domain.Runs;

/// <summary>One workflow execution. The database row is the source of truth; Hangfire only executes.</summary>
public sealed class Run : IEntity
{
    public Guid Id { get; set; }
    public RunKind Kind { get; set; }
    public RunState State { get; set; } = RunState.Pending;
    public Guid ProtectionId { get; set; }
    public Guid? PlanId { get; set; }

    /// <summary>The primary project the run belongs to, for tenant scoping.</summary>
    public required string ProjectId { get; set; }

    /// <summary>"latest", a recovery point id, or an ISO-8601 time.</summary>
    public string RecoveryPoint { get; set; } = "latest";
    public bool DryRun { get; set; }

    /// <summary>The manifest the run recovers from (the newest when it was created).</summary>
    public Guid? ManifestId { get; set; }

    /// <summary>The Hangfire queue its steps run on: <c>failover</c> or <c>drills</c>.</summary>
    public string Queue { get; set; } = "default";

    /// <summary>The project at the recovery site the run recovers into (a drill's own temporary project).</summary>
    public string? TargetProjectId { get; set; }

    /// <summary>The time of the recovery point used, once chosen: the run's RPO is measured from it.</summary>
    public DateTimeOffset? RecoveryPointAt { get; set; }

    /// <summary>Run options (JSON).</summary>
    public string? Options { get; set; }
    /// <summary>A per-run cap on steps running at once; null (the default) leaves a run bounded by its recovery
    /// site's and arrays' limits, shared by every run there.</summary>
    public int? MaxParallel { get; set; }
    public int TimeoutSeconds { get; set; } = 1800;

    public string? RequestedBy { get; set; }
    public string? RequestId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>The site the run recovers into (its steps there share the site's import and boot limits);
    /// null for runs made before it was recorded.</summary>
    public Guid? TargetSiteId { get; set; }

    /// <summary>When the first step of the run (or of its latest resume) began to execute: the run's
    /// recovery_timeout counts from here, not from the time it waited in a queue.</summary>
    public DateTimeOffset? DeadlineFrom { get; set; }

    /// <summary>How many times an operator resumed the run.</summary>
    public int Resumes { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }

    /// <summary>The run's report (JSON), written when it ends.</summary>
    public string? Report { get; set; }
    public List<Step> Steps { get; set; } = [];

    /// <summary>W3C traceparent of the run's root span: every step's span, in any worker, is its child.</summary>
    public string? TraceParent { get; set; }
    public uint Version { get; set; }

    /// <summary>A failed or cancelled run goes on in place: its deadline counts again from its next step. A failed
    /// rollback goes on as a rollback (<paramref name="rollingBack"/>).</summary>
    public void Resume(DateTimeOffset now, bool rollingBack = false)
    {
        if (State is not (RunState.Failed or RunState.Cancelled)) throw new InvalidStateTransitionException("run", State.ToString(), "resumed");
        TransitionTo(rollingBack ? RunState.RollingBack : RunState.Running, now);
        FinishedAt = null;
        DeadlineFrom = null;
        Error = null;
        Report = null;
        Resumes++;
    }

    public void TransitionTo(RunState next, DateTimeOffset now)
    {
        RunStates.EnsureAllowed(State, next);
        State = next;
        if (next == RunState.Running && StartedAt is null) StartedAt = now;
        if (RunStates.IsFinal(next)) FinishedAt = now;
    }
}

public enum RunKind
{
    Drill,
    Failover,
    PlannedMigration,
    Reprotect,
    Failback,
}

public enum RunState
{
    Pending,
    Running,

    /// <summary>An approval hook was reached: no step past it starts until a person approves (or cancels).</summary>
    AwaitingApproval,
    Cancelling,
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>A failover or planned migration with manual commit recovered everything: the tenant runs at the
    /// recovery site until a person commits (the run succeeds) or rolls it back.</summary>
    AwaitingCommit,

    /// <summary>A rollback runs: what the recovery made at the recovery site is removed, the primary given back.</summary>
    RollingBack,

    /// <summary>The recovery was taken back: the plan is where it was before the run.</summary>
    RolledBack,
}
