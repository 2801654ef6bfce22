using System.Text.Json;
using System.Text.Json.Serialization;

namespace Draas.OpenStack.Compute.Admin;

public sealed record AvailabilityZone
{
    [JsonPropertyName("zoneName")]
    public string ZoneName { get; init; } = "";
    [JsonPropertyName("zoneState")]
    public ZoneState ZoneState { get; init; } = new();
}

public sealed record ZoneState
{
    public bool Available { get; init; }
}

/// <summary>A project's compute quotas; keys this record does not name land in <see cref="Extra"/>.</summary>
public sealed record ComputeQuotaSet
{
    public string? Id { get; init; }
    public int Instances { get; init; }
    public int Cores { get; init; }
    public int Ram { get; init; }
    public int KeyPairs { get; init; }
    public int MetadataItems { get; init; }
    public int ServerGroups { get; init; }
    public int ServerGroupMembers { get; init; }
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; init; } = [];
}
