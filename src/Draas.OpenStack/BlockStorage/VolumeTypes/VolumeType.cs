using System.Text.Json.Serialization;

namespace Draas.OpenStack.BlockStorage.VolumeTypes;

public sealed record VolumeType
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public bool IsPublic { get; init; } = true;
    public string? QosSpecsId { get; init; }
    /// <summary>Includes volume_backend_name, which ties the type to an array's Cinder backend.</summary>
    public IReadOnlyDictionary<string, string> ExtraSpecs { get; init; } = new Dictionary<string, string>();
}

/// <summary>POST /v3/{project}/types (admin): the recovery site's copy of a protected volume's type.</summary>
public sealed record CreateVolumeTypeOptions
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    [JsonPropertyName("os-volume-type-access:is_public")]
    public bool? IsPublic { get; init; }
    public IReadOnlyDictionary<string, string>? ExtraSpecs { get; init; }
}
