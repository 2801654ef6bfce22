using Draas.Domain.Protection;

namespace Draas.Api.V1;

/// <summary><c>{"plan": {...}}</c>: a protected workload inside an enrolled tenant.</summary>
public sealed record PlanBody(PlanFields? Plan);

public sealed record PlanFields(
    Guid? ProtectionId = null,
    string? Name = null,
    string? Description = null,
    ReplicationFields? Replication = null,
    List<PlanResourceFields>? Resources = null,
    System.Text.Json.Nodes.JsonObject? Selector = null,
    System.Text.Json.Nodes.JsonArray? HealthChecks = null,
    System.Text.Json.Nodes.JsonArray? Hooks = null,
    System.Text.Json.Nodes.JsonObject? RecoveryOptions = null,
    System.Text.Json.Nodes.JsonObject? Canary = null);

public sealed record ReplicationFields(ReplicationMode? Mode = null, int? IntervalSeconds = null, int? Retention = null);

public sealed record PlanResourceFields(ResourceKind? Kind = null, string? Id = null, int? PriorityGroup = null);

public sealed record PlanView(
    Guid Id,
    Guid ProtectionId,
    string ProjectId,
    string Name,
    string? Description,
    object Replication,
    IEnumerable<object> Resources,
    System.Text.Json.Nodes.JsonNode? Selector,
    System.Text.Json.Nodes.JsonNode? HealthChecks,
    System.Text.Json.Nodes.JsonNode? Hooks,
    System.Text.Json.Nodes.JsonNode? RecoveryOptions,
    System.Text.Json.Nodes.JsonNode? Canary,
    PlanStatus Status,
    PlanState State,
    object RunsAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <param name="protection">The plan's protection: where the plan runs is read against its two sides.</param>
    public static PlanView Of(Plan p, TenantProtection protection) => Of(p, PlanPlacement.Of(protection, p));

    private static PlanView Of(Plan p, PlanPlacement at) => new(
        p.Id, p.ProtectionId, p.ProjectId, p.Name, p.Description,
        new { mode = p.ReplicationMode, interval_seconds = p.ReplicationIntervalSeconds, retention = p.RetentionCount },
        p.Resources.OrderBy(r => r.PriorityGroup).ThenBy(r => r.Kind).ThenBy(r => r.ResourceId)
            .Select(r => (object)new { kind = r.Kind, id = r.ResourceId, priority_group = r.PriorityGroup }),
        Parse(p.Selector), Parse(p.HealthChecks), Draas.Workflows.Hooks.PlanHooks.View(p.Hooks), Parse(p.RecoveryOptions) ?? new System.Text.Json.Nodes.JsonObject(), Parse(p.Canary), p.Status, at.State,
        new { site_id = at.SiteId, project_id = at.ProjectId, failed_over = at.FailedOver, reversed = at.Reversed, by_run_id = p.StateRunId },
        p.CreatedAt, p.UpdatedAt);

    private static System.Text.Json.Nodes.JsonNode? Parse(string? json) => json is null ? null : System.Text.Json.Nodes.JsonNode.Parse(json);
}
