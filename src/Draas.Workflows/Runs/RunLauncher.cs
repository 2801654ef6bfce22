using System.Text.Json.Nodes;
using Draas.Data;
using Draas.Domain.Audit;
using Draas.Domain.Manifests;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs;

/// <summary>A run that cannot start, with the HTTP status the API answers (400, 404, 409).</summary>
public sealed class RunRefusedException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

public sealed record RunRequest(Guid PlanId, RunKind Kind, string RecoveryPoint, bool DryRun, JsonObject? Options, string? RequestedBy, string? RequestId);

/// <summary>
/// Starts runs, for the API and for scheduled drills alike: checks the request, plans the steps from the
/// plan's newest manifest, and either returns them (dry run, nothing stored) or stores the run with its
/// steps and kicks it on its queue.
/// </summary>
public sealed class RunLauncher(DraasDbContext db, StoragePluginCatalog plugins, IBackgroundJobClient jobs, TimeProvider clock)
{
    public async Task<(Run Run, IReadOnlyList<StepSpec> Steps)> LaunchAsync(RunRequest request, CancellationToken ct)
    {
        var problems = RunOptions.Validate(request.Options).ToList();
        if (request.Options?["commit"] is not null && request.Kind is not (RunKind.Failover or RunKind.PlannedMigration))
            problems.Add($"option 'commit' is for a failover or planned migration; a {RunPlanner.Word(request.Kind)} has nothing to commit or roll back");
        if (problems.Count > 0) throw new RunRefusedException(400, string.Join("; ", problems));
        var plan = await db.Plans.AsNoTracking().Include(p => p.Resources).SingleOrDefaultAsync(p => p.Id == request.PlanId, ct)
            ?? throw new RunRefusedException(404, $"Plan {request.PlanId} could not be found.");
        var protection = await db.Protections.AsNoTracking().SingleAsync(p => p.Id == plan.ProtectionId, ct);
        // What the plan's state forbids is refused now, dry run or not, rather than failing in preflight later.
        var placement = PlanPlacement.Of(protection, plan);
        if (placement.Refusal(request.Kind, plan.Name) is { } refusal) throw new RunRefusedException(409, refusal);
        var manifest = await db.Manifests.AsNoTracking().Where(m => m.PlanId == plan.Id).OrderByDescending(m => m.Sequence).FirstOrDefaultAsync(ct)
            ?? throw new RunRefusedException(409, $"plan {plan.Name} has no manifest yet: its first capture has not run");
        if (request.Kind is not RunKind.Drill && request.RecoveryPoint != "latest" && request.Kind is RunKind.PlannedMigration or RunKind.Failback or RunKind.Reprotect)
            throw new RunRefusedException(400, $"a {RunPlanner.Word(request.Kind)} always uses the newest data: recovery_point must be 'latest'");

        var groups = await db.ReplicationGroups.AsNoTracking().Where(g => g.PlanId == plan.Id).ToListAsync(ct);
        var arrays = await db.Arrays.AsNoTracking().ToListAsync(ct);
        // The plugins that would be asked for the point: those of the arrays the plan's groups replicate to.
        var targets = groups.Select(g => g.TargetArrayId).ToHashSet();
        var pointPlugins = arrays.Where(a => targets.Contains(a.Id)).Select(a => a.Plugin).Distinct().Select(plugins.Get).ToList();
        if (RecoveryPointChoice.Problem(request.RecoveryPoint, pointPlugins) is { } pointProblem) throw new RunRefusedException(400, pointProblem);

        // The plan's recovery defaults (az_mapping, floating_ips, ...) under the run's own options.
        var effective = RunOptions.Effective(plan.RecoveryOptions, request.Options);
        var options = RunOptions.Parse(effective?.ToJsonString());
        var input = new PlanningInput(request.Kind, protection, plan, ManifestCodec.FromJson(manifest.Content),
            groups, arrays, options, a => plugins.Get(a.Plugin), request.RecoveryPoint);
        if (RunPlanner.CanaryProblem(input) is { } canaryProblem) throw new RunRefusedException(409, canaryProblem);
        var steps = RunPlanner.Plan(input);
        var now = clock.GetUtcNow();
        var run = new Run
        {
            Id = Guid.NewGuid(),
            Kind = request.Kind,
            ProtectionId = protection.Id,
            PlanId = plan.Id,
            ProjectId = plan.ProjectId,
            RecoveryPoint = request.RecoveryPoint,
            DryRun = request.DryRun,
            Options = effective?.ToJsonString(),
            MaxParallel = options.MaxParallel,
            TimeoutSeconds = options.RecoveryTimeout,
            ManifestId = manifest.Id,
            TargetSiteId = placement.SidesFor(request.Kind).TargetSiteId,
            Queue = request.Kind == RunKind.Drill ? "drills" : "failover",
            RequestedBy = request.RequestedBy,
            RequestId = request.RequestId,
            CreatedAt = now,
            Steps = [.. steps.Select(s => new Step
            {
                Id = Guid.NewGuid(),
                Sequence = s.Sequence,
                Phase = s.Phase,
                Kind = s.Kind,
                Target = s.Target,
                Input = s.InputJson,
                DependsOn = [.. s.DependsOn],
                Always = s.Always,
                MaxAttempts = s.MaxAttempts,
            })],
        };
        if (request.DryRun) return (run, steps);

        // One run at a time per plan: two recoveries of one workload would fight over its volumes. The plan's
        // row lock orders starts of one plan (and a removal of it) and nothing else: a serializable
        // transaction here also failed starts of different plans that shared index pages (40001, a 500).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await Protection.PlanLock.LockAsync(db, plan.Id, ct) is null) throw new RunRefusedException(404, $"Plan {plan.Id} could not be found.");
        var busy = await db.Runs.Where(r => r.PlanId == plan.Id).AnyAsync(RunStates.NotEnded, ct);
        if (busy) throw new RunRefusedException(409, $"plan {plan.Name} already has a run in progress");
        db.Runs.Add(run);
        db.AuditEvents.Add(AuditEvent.OfRun(run, now, "run.create", ok: true, new { kind = run.Kind, plan_id = plan.Id, steps = steps.Count }, request.RequestId, request.RequestedBy));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        RunEngine.Kick(jobs, run.Id, run.Queue);
        return (run, steps);
    }

    /// <summary>Asks a run to stop: no new step starts; running steps finish, a drill still cleans up.</summary>
    public async Task<Run> CancelAsync(Guid runId, CancellationToken ct)
    {
        // The run's row lock orders this after any pump holding it, so the two never overwrite each other.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var run = await RunEngine.LockAsync(db, runId, ct) ?? throw new RunRefusedException(404, $"Run {runId} could not be found.");
        if (RunStates.IsFinal(run.State)) throw new RunRefusedException(409, $"the run already ended ({RunPlanner.Word(run.State)})");
        if (run.State == RunState.Cancelling) return run;
        if (run.State == RunState.AwaitingCommit)
            throw new RunRefusedException(409, "the run awaits commit or rollback: {\"rollback\": {}} takes the recovery back, {\"commit\": {}} keeps it");
        if (run.State == RunState.RollingBack)
            throw new RunRefusedException(409, "a rollback is not cancelled: it runs to its end so the primary is given back whole");
        var now = clock.GetUtcNow();
        if (run.State == RunState.Pending) run.TransitionTo(RunState.Running, now);
        run.Error = "cancelled on request";
        run.TransitionTo(RunState.Cancelling, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        RunEngine.Kick(jobs, run.Id, run.Queue);
        return run;
    }

    /// <summary>The attempts a resumed step gets again (as many as the planner gives a new one).</summary>
    public const int ResumeAttempts = 5;

    /// <summary>
    /// Continues a failed or cancelled run in place: succeeded steps stay (with their outputs, so nothing is
    /// promoted, imported or booted again), failed, cancelled and skipped steps go back to pending with the
    /// run's same marks, and the deadline counts again from the next step. Refused for a drill (its cleanup
    /// already removed what it made), for a run the plan has since moved past, and while the plan has
    /// another run going.
    /// </summary>
    public async Task<Run> ResumeAsync(Guid runId, string? requestedBy, string? requestId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var run = await RunEngine.LockAsync(db, runId, ct) ?? throw new RunRefusedException(404, $"Run {runId} could not be found.");
        // Then the plan's (the order the pump takes them in), so a start of the plan cannot slip in beside the resume.
        if (run.PlanId is { } planId) await Protection.PlanLock.LockAsync(db, planId, ct);
        if (run.Kind == RunKind.Drill)
            throw new RunRefusedException(409, "a drill is not resumed: its cleanup already removed what it made; start a new drill");
        if (run.State is not (RunState.Failed or RunState.Cancelled))
            throw new RunRefusedException(409, $"only a failed or cancelled run can be resumed; this one is {RunPlanner.Word(run.State)}");
        var others = db.Runs.AsNoTracking().Where(r => r.PlanId == run.PlanId && r.Id != run.Id && !r.DryRun);
        var newer = await others.Where(r => r.CreatedAt > run.CreatedAt).Select(r => new { r.Id, r.Kind, r.State }).FirstOrDefaultAsync(ct)
            ?? await others.Where(RunStates.NotEnded).Select(r => new { r.Id, r.Kind, r.State }).FirstOrDefaultAsync(ct);
        if (newer is not null)
            throw new RunRefusedException(409, $"the plan has a later run ({RunPlanner.Word(newer.Kind)} {newer.Id}, {RunPlanner.Word(newer.State)}): only a plan's latest run can be resumed");
        var steps = await db.Steps.Where(s => s.RunId == runId).ToListAsync(ct);
        if (steps.Any(s => s.Kind == RunPlanner.RestartPrimary && s.State == StepState.Succeeded
                && RunJson.ReadOutput<Steps.RestartPrimaryOutput>(s.Output) is var restart
                && (restart.Restarted.Count > 0 || restart.Groups.Count > 0)))
            throw new RunRefusedException(409, "the cancelled migration gave the primary back (its servers started, its replication source writable): start a new planned migration, which stops them and replicates their newest writes");
        var now = clock.GetUtcNow();
        var again = 0;
        foreach (var step in steps.Where(s => s.State is StepState.Failed or StepState.Cancelled or StepState.Skipped))
        {
            step.TransitionTo(StepState.Pending, now);
            step.Error = null;
            step.NotBefore = null;
            step.StartedAt = null;
            step.FinishedAt = null;
            step.MaxAttempts = step.Attempts + ResumeAttempts;
            again++;
        }
        // A failed rollback goes on as one: the decision was made and stands.
        run.Resume(now, rollingBack: steps.Any(s => s.Kind == CommitDecisions.RollbackStep));
        db.AuditEvents.Add(AuditEvent.OfRun(run, now, "run.resumed", ok: true, new { kind = run.Kind, plan_id = run.PlanId, steps_again = again, resumes = run.Resumes }, requestId, requestedBy));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        RunEngine.Kick(jobs, run.Id, run.Queue);
        return run;
    }
}
