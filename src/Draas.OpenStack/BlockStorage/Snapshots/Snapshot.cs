using System.Text.Json.Serialization;

namespace Draas.OpenStack.BlockStorage.Snapshots;

public sealed record Snapshot
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string VolumeId { get; init; } = "";
    public string Status { get; init; } = "";
    public int Size { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    [JsonPropertyName("os-extended-snapshot-attributes:progress")]
    public string? Progress { get; init; }
    [JsonPropertyName("os-extended-snapshot-attributes:project_id")]
    public string? ProjectId { get; init; }
}

public sealed record CreateSnapshotOptions
{
    public required string VolumeId { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    /// <summary>Snapshot an attached (in-use) volume.</summary>
    public bool? Force { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
