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

public static class RunView
{
    public static JsonObject Of(Run run, IEnumerable<Step> steps, IReadOnlyList<StepSpec>? planned = null)
    {
        var list = steps.OrderBy(s => s.Sequence).ToList();
        var view = new JsonObject
        {
            ["id"] = run.Id.ToString(),
            ["kind"] = RunPlanner.Word(run.Kind),
            ["state"] = RunPlanner.Word(run.State),
            ["protection_id"] = run.ProtectionId.ToString(),
            ["plan_id"] = run.PlanId?.ToString(),
            ["project_id"] = run.ProjectId,
            ["recovery_point"] = run.RecoveryPoint,
            ["dry_run"] = run.DryRun,
            ["max_parallel"] = run.MaxParallel,
            ["recovery_timeout"] = run.TimeoutSeconds,
            // What the run goes by: the plan's recovery_options under the run's own.
            ["options"] = run.Options is null ? new JsonObject() : JsonNode.Parse(run.Options),
            ["target_project_id"] = run.TargetProjectId,
            ["requested_by"] = run.RequestedBy,
            ["created_at"] = run.CreatedAt,
            ["started_at"] = run.StartedAt,
            ["finished_at"] = run.FinishedAt,
            ["error"] = run.Error,
            ["progress"] = new JsonObject
            {
                ["total"] = list.Count,
                ["done"] = list.Count(s => StepStates.IsFinal(s.State)),
                ["running"] = list.Count(s => s.State == StepState.Running),
                ["failed"] = list.Count(s => s.State == StepState.Failed),
            },
            ["steps"] = new JsonArray([.. list.Select(s =>
            {
                var step = RunReports.StepView(s);
                step["id"] = s.Id.ToString();
                step["depends_on"] = new JsonArray([.. s.DependsOn.Select(d => (JsonNode)d)]);
                if (planned is not null) step["input"] = JsonNode.Parse(s.Input ?? "{}");
                // A hook shows where it runs and what came of it: the approval's message and who approved, the webhook's answer.
                if (s.Kind is Draas.Workflows.Hooks.HookPlanner.ApprovalStep or Draas.Workflows.Hooks.HookPlanner.WebhookStep)
                    step["hook"] = new JsonObject { ["input"] = JsonNode.Parse(s.Input ?? "{}"), ["output"] = s.Output is null ? null : JsonNode.Parse(s.Output) };
                return (JsonNode)step;
            })]),
        };
        return view;
    }
}
