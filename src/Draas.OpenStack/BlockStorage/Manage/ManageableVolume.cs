namespace Draas.OpenStack.BlockStorage.Manage;

/// <summary>A backend volume Cinder could take over (GET manageable_volumes/detail).</summary>
public sealed record ManageableVolume
{
    /// <summary>How to name it in a manage request, e.g. {"source-name": "volume-…-draas"}.</summary>
    public IReadOnlyDictionary<string, string> Reference { get; init; } = new Dictionary<string, string>();
    public int Size { get; init; }
    public bool SafeToManage { get; init; }
    public string? ReasonNotSafe { get; init; }
    /// <summary>Set when Cinder already manages it.</summary>
    public string? CinderId { get; init; }
    /// <summary>Driver-specific; a string in old releases, an object in newer ones.</summary>
    public System.Text.Json.JsonElement? ExtraInfo { get; init; }
}

/// <summary>
/// POST /v3/{project}/manageable_volumes (microversion ≥ 3.8): import an existing backend volume,
/// such as a replica a storage plugin promoted on the recovery array.
/// </summary>
public sealed record ManageVolumeOptions
{
    /// <summary>"host@backend#pool" of the Cinder backend serving the array.</summary>
    public required string Host { get; init; }
    /// <summary>The backend's name for the volume: {"source-name": …} or {"source-id": …}.</summary>
    public required IReadOnlyDictionary<string, string> Ref { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? VolumeType { get; init; }
    public string? AvailabilityZone { get; init; }
    public bool? Bootable { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public static IReadOnlyDictionary<string, string> SourceName(string name) => new Dictionary<string, string> { ["source-name"] = name };
}
