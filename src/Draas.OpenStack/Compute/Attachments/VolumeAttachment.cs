using System.Text.Json.Serialization;

namespace Draas.OpenStack.Compute.Attachments;

/// <summary>A volume attached to a server, as Nova lists it (camelCase on the wire).</summary>
public sealed record VolumeAttachment
{
    public string Id { get; init; } = "";
    public string? Device { get; init; }
    [JsonPropertyName("serverId")]
    public string ServerId { get; init; } = "";
    [JsonPropertyName("volumeId")]
    public string VolumeId { get; init; } = "";
    public string? Tag { get; init; }
    public bool? DeleteOnTermination { get; init; }
}

public sealed record AttachVolumeOptions
{
    [JsonPropertyName("volumeId")]
    public required string VolumeId { get; init; }
    /// <summary>Usually left to Nova; libvirt ignores it anyway.</summary>
    public string? Device { get; init; }
    public string? Tag { get; init; }
    public bool? DeleteOnTermination { get; init; }
}
