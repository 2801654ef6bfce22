using System.Text.Json.Serialization;

namespace Draas.OpenStack.BlockStorage.Volumes;

/// <summary>POST /v3/{project}/volumes.</summary>
public sealed record CreateVolumeOptions
{
    public required int Size { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? VolumeType { get; init; }
    public string? AvailabilityZone { get; init; }
    public string? SnapshotId { get; init; }
    public string? SourceVolid { get; init; }
    public string? BackupId { get; init; }
    [JsonPropertyName("imageRef")]
    public string? ImageRef { get; init; }
    public bool? Multiattach { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>Filters of GET /v3/{project}/volumes/detail.</summary>
public sealed record VolumeListOptions
{
    /// <summary>Every project's volumes (admin).</summary>
    public bool? AllTenants { get; init; }
    /// <summary>With <see cref="AllTenants"/>: one project's volumes.</summary>
    public string? ProjectId { get; init; }
    public string? Name { get; init; }
    public string? Status { get; init; }
    public string? Sort { get; init; }
    /// <summary>Page size the pager asks for; the service may cap it.</summary>
    public int? Limit { get; init; }
    public string? Marker { get; init; }
}
