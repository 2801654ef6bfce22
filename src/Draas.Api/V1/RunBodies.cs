using System.Text.Json.Nodes;
using Draas.Domain.Runs;
using Draas.Workflows.Runs;

namespace Draas.Api.V1;

/// <summary><c>{"run": {...}}</c>: start a drill, failover, planned migration, reprotect or failback.</summary>
public sealed record RunBody(RunFields? Run);

public sealed record RunFields(
    Guid? PlanId = null,
    Guid? ProtectionId = null,
    RunKind? Kind = null,
    string? RecoveryPoint = null,
    bool? DryRun = null,
    JsonObject? Options = null);

/// <summary>A run action: exactly one of these, each an empty object (<c>{"cancel": {}}</c>).</summary>
/// <param name="Cancel">Stop: no new step starts; a drill still cleans up.</param>
/// <param name="Resume">Go on with a failed or cancelled run in place.</param>
/// <param name="Approve">Let a run waiting at an approval hook go on.</param>
/// <param name="Commit">Keep a failover or planned migration that awaits commit.</param>
/// <param name="Rollback">Take back a failover or planned migration that awaits commit.</param>
public sealed record RunActionBody(JsonObject? Cancel = null, JsonObject? Resume = null, JsonObject? Approve = null, JsonObject? Commit = null, JsonObject? Rollback = null);

public sealed record RunEnvelope(RunDetail Run);

public sealed record RunList(IEnumerable<RunDetail> Runs, JsonArray RunsLinks);

/// <param name="Options">What the run goes by: the plan's recovery_options under the run's own.</param>
/// <param name="Steps">The run's steps; not in a list of runs (its progress counts them), as Nova's server list leaves out the details.</param>
/// <param name="RecoveryTimeout">Seconds; counts from the run's first step.</param>
public sealed record RunDetail(Guid Id, RunKind Kind, RunState State, Guid ProtectionId, Guid? PlanId, string ProjectId, string RecoveryPoint, bool DryRun,
    int? MaxParallel, int RecoveryTimeout, JsonNode? Options, string? TargetProjectId, string? RequestedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error, RunProgress Progress,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IEnumerable<RunStepView>? Steps);

public sealed record RunProgress(int Total, int Done, int Running, int Failed);

/// <param name="Input">Only in a dry run's answer: what the step will be given.</param>
/// <param name="Hook">A hook's own input and outcome: the approval's message and who approved, the webhook's answer.</param>
public sealed record RunStepView(Guid Id, IReadOnlyList<int> DependsOn, JsonNode? Input, RunStepHook? Hook, [property: System.Text.Json.Serialization.JsonIgnore] StepSummary Summary)
    : StepSummary(Summary);

public sealed record RunStepHook(JsonNode? Input, JsonNode? Output);

public static class RunView
{
    /// <summary>A run in a list: its progress from its steps' counts by state, not its steps.</summary>
    public static RunDetail Listed(Run run, IReadOnlyDictionary<StepState, int> steps) => Detail(run, Progress(steps), null);

    public static RunDetail Of(Run run, IEnumerable<Step> steps, IReadOnlyList<StepSpec>? planned = null)
    {
        var list = steps.OrderBy(s => s.Sequence).ToList();
        return Detail(run, Progress(list.CountBy(s => s.State).ToDictionary()),
            list.Select(s => new RunStepView(s.Id, s.DependsOn, planned is null ? null : JsonNode.Parse(s.Input ?? "{}"),
                s.Kind is Draas.Workflows.Hooks.HookPlanner.ApprovalStep or Draas.Workflows.Hooks.HookPlanner.WebhookStep
                    ? new RunStepHook(JsonNode.Parse(s.Input ?? "{}"), s.Output is null ? null : JsonNode.Parse(s.Output))
                    : null,
                StepSummary.Of(s))).ToList());
    }

    private static RunProgress Progress(IReadOnlyDictionary<StepState, int> steps) => new(steps.Values.Sum(),
        steps.Where(c => StepStates.IsFinal(c.Key)).Sum(c => c.Value), steps.GetValueOrDefault(StepState.Running), steps.GetValueOrDefault(StepState.Failed));

    private static RunDetail Detail(Run run, RunProgress progress, IEnumerable<RunStepView>? steps) =>
        new(run.Id, run.Kind, run.State, run.ProtectionId, run.PlanId, run.ProjectId, run.RecoveryPoint, run.DryRun,
            run.MaxParallel, run.TimeoutSeconds, run.Options is null ? new JsonObject() : JsonNode.Parse(run.Options), run.TargetProjectId,
            run.RequestedBy, run.CreatedAt, run.StartedAt, run.FinishedAt, run.Error, progress, steps);
}
