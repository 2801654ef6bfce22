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
        var problems = RunOptions.Validate(request.Options);
        if (problems.Count > 0) throw new RunRefusedException(400, string.Join("; ", problems));
        var plan = await db.Plans.AsNoTracking().Include(p => p.Resources).SingleOrDefaultAsync(p => p.Id == request.PlanId, ct)
            ?? throw new RunRefusedException(404, $"Plan {request.PlanId} could not be found.");
        var protection = await db.Protections.AsNoTracking().SingleAsync(p => p.Id == plan.ProtectionId, ct);
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

        var options = RunOptions.Parse(request.Options?.ToJsonString());
        var input = new PlanningInput(request.Kind, protection, plan, ManifestCodec.FromJson(manifest.Content),
            groups, arrays, options, a => plugins.Get(a.Plugin));
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
            Options = request.Options?.ToJsonString(),
            MaxParallel = options.MaxParallel,
            TimeoutSeconds = options.RecoveryTimeout,
            ManifestId = manifest.Id,
            Queue = request.Kind == RunKind.Drill ? "drills" : "failover",
            StepsRemaining = steps.Count,
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

        // One run at a time per plan: two recoveries of one workload would fight over its volumes.
        await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
        var busy = await db.Runs.AnyAsync(r => r.PlanId == plan.Id && (r.State == RunState.Pending || r.State == RunState.Running || r.State == RunState.Cancelling), ct);
        if (busy) throw new RunRefusedException(409, $"plan {plan.Name} already has a run in progress");
        db.Runs.Add(run);
        db.AuditEvents.Add(new AuditEvent
        {
            At = now,
            ProjectId = plan.ProjectId,
            Action = "run.create",
            ResourceType = "run",
            ResourceId = run.Id.ToString(),
            Outcome = "success",
            RequestId = request.RequestId,
            UserName = request.RequestedBy,
            Detail = RunJson.Serialize(new { kind = run.Kind, plan_id = plan.Id, steps = steps.Count }),
        });
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
        var now = clock.GetUtcNow();
        if (run.State == RunState.Pending) run.TransitionTo(RunState.Running, now);
        run.Error = "cancelled on request";
        run.TransitionTo(RunState.Cancelling, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        RunEngine.Kick(jobs, run.Id, run.Queue);
        return run;
    }
}
