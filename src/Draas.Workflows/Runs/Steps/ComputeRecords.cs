namespace Draas.Workflows.Runs.Steps;

/// <summary>A server of the plan by its id at the primary and its name (stop_server; each server fence_primary stops).</summary>
public sealed record PlannedServer(string ServerId, string? Name = null);

public sealed record StopServerOutput(string ServerId, string Was);

public sealed record EnsureFlavorInput(string? Name, int Vcpus, int Ram, int Disk, int Ephemeral = 0, int Swap = 0, IReadOnlyDictionary<string, string>? ExtraSpecs = null);

/// <summary>The flavor the servers boot with; <paramref name="MappedFrom"/> is the captured name when it had to change.</summary>
public sealed record EnsureFlavorOutput(string FlavorId, string Name, bool Created, string? MappedFrom = null);

public sealed record EnsureKeypairInput(string Name, string? Fingerprint = null);

public sealed record EnsureKeypairOutput(string Name, bool Created, string? TenantUserId, bool TenantCreated, string? Note);

/// <summary>One server to boot as captured; the ids name the manifest's objects, whose recovered copies earlier steps made.</summary>
public sealed record BootServerInput(
    string ServerId,
    string? Name,
    string Flavor,
    string? KeyName = null,
    string? BootVolume = null,
    string? Image = null,
    IReadOnlyList<string>? DataVolumes = null,
    IReadOnlyList<BootNetwork>? Networks = null,
    int Ports = 0,
    string? AvailabilityZone = null,
    string? ServerGroupId = null,
    bool UserData = false,
    bool ConfigDrive = false,
    IReadOnlyList<string>? Tags = null,
    int PriorityGroup = 0);

/// <summary>A network a server without captured ports boots on: the primary's, the mapped one, an address to keep.</summary>
public sealed record BootNetwork(string From, string? To, string? FixedIp);

public sealed record BootServerOutput(
    string ServerId,
    string? Name,
    string Status,
    string? AvailabilityZone,
    string? AccessIpv4,
    string? ServerGroupId,
    IReadOnlyList<BootAddress> Addresses,
    IReadOnlyList<AttachedVolume> DataVolumes);

public sealed record BootAddress(string Network, string Address);

public sealed record AttachedVolume(string From, string VolumeId);
