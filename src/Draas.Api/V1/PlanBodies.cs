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
    System.Text.Json.Nodes.JsonArray? Hooks = null);

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
    PlanStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static PlanView Of(Plan p) => new(
        p.Id, p.ProtectionId, p.ProjectId, p.Name, p.Description,
        new { mode = p.ReplicationMode, interval_seconds = p.ReplicationIntervalSeconds, retention = p.RetentionCount },
        p.Resources.OrderBy(r => r.PriorityGroup).ThenBy(r => r.Kind).ThenBy(r => r.ResourceId)
            .Select(r => (object)new { kind = r.Kind, id = r.ResourceId, priority_group = r.PriorityGroup }),
        Parse(p.Selector), Parse(p.HealthChecks), Parse(p.Hooks), p.Status, p.CreatedAt, p.UpdatedAt);

    private static System.Text.Json.Nodes.JsonNode? Parse(string? json) => json is null ? null : System.Text.Json.Nodes.JsonNode.Parse(json);
}
