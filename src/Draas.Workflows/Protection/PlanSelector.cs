using System.Text.Json.Nodes;

namespace Draas.Workflows.Protection;

/// <summary>
/// A plan's dynamic members, re-evaluated every protection cycle:
/// <c>{"volume_metadata": {"draas:protect": "true"}}</c> selects every project volume carrying all those
/// pairs; <c>{"server_group": "&lt;id&gt;"}</c> selects every server in that Nova server group (and with them
/// their volumes and images). Both may be given; the plan then holds the union.
/// </summary>
public sealed record PlanSelector(IReadOnlyDictionary<string, string>? VolumeMetadata, string? ServerGroupId)
{
    public const string VolumeMetadataKey = "volume_metadata";
    public const string ServerGroupKey = "server_group";

    /// <summary>The selector's problems, each naming the field; none means <paramref name="selector"/> is well formed.</summary>
    public static IReadOnlyList<string> Validate(JsonObject selector, string field = "plan.selector")
    {
        var problems = new List<string>();
        var unknown = selector.Select(kv => kv.Key).Where(k => k is not (VolumeMetadataKey or ServerGroupKey)).ToList();
        if (unknown.Count > 0) problems.Add($"{field} has unknown keys ({string.Join(", ", unknown)}); it may hold {VolumeMetadataKey} and {ServerGroupKey}");
        if (selector.Count == 0) problems.Add($"{field} must hold {VolumeMetadataKey} or {ServerGroupKey}");
        if (selector.TryGetPropertyValue(VolumeMetadataKey, out var metadata))
        {
            if (metadata is not JsonObject pairs || pairs.Count is 0 or > 20
                || pairs.Any(p => p.Key.Length is 0 or > 255 || p.Value is not JsonValue v || !v.TryGetValue<string>(out var s) || s.Length > 255))
                problems.Add($"{field}.{VolumeMetadataKey} must be an object of 1..20 string pairs, e.g. {{\"draas:protect\": \"true\"}}");
        }
        if (selector.TryGetPropertyValue(ServerGroupKey, out var group))
        {
            if (group is not JsonValue value || !value.TryGetValue<string>(out var id) || id.Length is 0 or > 64)
                problems.Add($"{field}.{ServerGroupKey} must be a Nova server group id");
        }
        return problems;
    }

    /// <summary>A stored selector (already validated), or null for none.</summary>
    public static PlanSelector? Parse(string? json)
    {
        if (json is null || JsonNode.Parse(json) is not JsonObject selector) return null;
        var metadata = selector[VolumeMetadataKey] is JsonObject pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "")
            : null;
        var group = selector[ServerGroupKey] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;
        return new PlanSelector(metadata, group);
    }
}
