using System.Text.Json;

namespace Draas.OpenStack.Compute.ServerGroups;

public sealed record ServerGroup
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>affinity, anti-affinity, soft-affinity, soft-anti-affinity (2.64).</summary>
    public string? Policy { get; init; }
    /// <summary>E.g. {"max_server_per_host": 3}.</summary>
    public IReadOnlyDictionary<string, JsonElement> Rules { get; init; } = new Dictionary<string, JsonElement>();
    public IReadOnlyList<string> Members { get; init; } = [];
    public string? ProjectId { get; init; }
    public string? UserId { get; init; }
}

public sealed record CreateServerGroupOptions
{
    public required string Name { get; init; }
    public required string Policy { get; init; }
    public IReadOnlyDictionary<string, int>? Rules { get; init; }
}
