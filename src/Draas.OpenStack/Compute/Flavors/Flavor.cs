using System.Text.Json.Serialization;

namespace Draas.OpenStack.Compute.Flavors;

public sealed record Flavor
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public int Ram { get; init; }
    public int Vcpus { get; init; }
    public int Disk { get; init; }
    /// <summary>An int since 2.75 (before, "" meant none).</summary>
    public int Swap { get; init; }
    public string? Description { get; init; }
    public double? RxtxFactor { get; init; }
    [JsonPropertyName("OS-FLV-EXT-DATA:ephemeral")]
    public int Ephemeral { get; init; }
    [JsonPropertyName("os-flavor-access:is_public")]
    public bool IsPublic { get; init; } = true;
    [JsonPropertyName("OS-FLV-DISABLED:disabled")]
    public bool Disabled { get; init; }
    /// <summary>Inline since 2.61.</summary>
    public IReadOnlyDictionary<string, string> ExtraSpecs { get; init; } = new Dictionary<string, string>();
}

/// <summary>POST /flavors (admin): the recovery site's copy of a server's flavor.</summary>
public sealed record CreateFlavorOptions
{
    public required string Name { get; init; }
    public required int Ram { get; init; }
    public required int Vcpus { get; init; }
    public required int Disk { get; init; }
    /// <summary>Keep the primary's id so manifests and the recovery site agree; null lets Nova choose.</summary>
    public string? Id { get; init; }
    public int? Swap { get; init; }
    public string? Description { get; init; }
    [JsonPropertyName("OS-FLV-EXT-DATA:ephemeral")]
    public int? Ephemeral { get; init; }
    [JsonPropertyName("os-flavor-access:is_public")]
    public bool? IsPublic { get; init; }
}
